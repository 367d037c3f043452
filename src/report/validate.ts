// `npm run validate`: every claim of the registry sampled from a seed, the verdicts and
// their evidence written to reports/ (REPORT.md for people, claims.json for tools).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rational } from '../exact/rational.ts';
import { type Check, describeCheck } from '../claims/check.ts';
import { CLAIMS, type ClaimSpec } from '../claims/registry.ts';
import { progress } from './progress.ts';

export interface ClaimResult {
  id: string;
  statement: string;
  assumption: string;
  runs: number;
  held: number;
  verdict: 'holds' | 'refuted' | 'vacuous';
  /** max measured/bound over '<=' checks with a positive bound */
  worstRatio: number | null;
  ratios: number[];
  counterexamples: { seed: number; data: string; failed: string[] }[];
  points: Record<string, string>[];
}

function ratio(c: Check): number | null {
  if (c.relation !== '<=' || c.bound.sign() <= 0) return null;
  return c.measured.div(c.bound).toNumber(); // display only: the verdict is c.holds
}

export function runClaim(spec: ClaimSpec, runs: number, seed: number, tick: () => void): ClaimResult {
  const res: ClaimResult = {
    id: spec.id, statement: spec.statement, assumption: spec.assumption,
    runs, held: 0, verdict: 'holds', worstRatio: null, ratios: [], counterexamples: [], points: [],
  };
  for (let k = 0; k < runs; k++) {
    const s = seed * 1_000_003 + k;
    const sample = spec.sample(s);
    tick();
    res.points.push({ ...Object.fromEntries(Object.entries(sample.point).map(([n, v]) => [n, String(v)])), held: String(sample.held) });
    if (!sample.held) continue;
    res.held++;
    for (const c of sample.checks) {
      const r = ratio(c);
      if (r !== null) {
        res.ratios.push(r);
        if (res.worstRatio === null || r > res.worstRatio) res.worstRatio = r;
      }
    }
    const bad = sample.checks.filter((c) => !c.holds);
    if (bad.length && res.counterexamples.length < 5) res.counterexamples.push({ seed: s, data: sample.data, failed: bad.map(describeCheck) });
  }
  res.verdict = res.counterexamples.length ? 'refuted' : res.held === 0 ? 'vacuous' : 'holds';
  return res;
}

function table(results: readonly ClaimResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.id} | ${r.statement.replace(/\|/g, '\\|')} | ${r.assumption} | **${r.verdict}** | ${r.runs} | ${((100 * r.held) / r.runs).toFixed(0)}% | ${r.worstRatio === null ? '–' : r.worstRatio.toFixed(4)} |`,
  );
  return ['| claim | statement | assumption | verdict | runs | assumption held | worst measured/bound |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

export function writeReport(results: readonly ClaimResult[], outDir: string, seed: number): void {
  mkdirSync(outDir, { recursive: true });
  const ce = results.flatMap((r) => r.counterexamples.map((c) => `- **${r.id}** (seed ${c.seed}): ${c.data}\n${c.failed.map((f) => `  - ${f}`).join('\n')}`));
  const md = [
    '# unlearn-kkt validation report',
    '',
    `Seed ${seed}. Every verdict is decided in exact rational arithmetic; ratios are shown as decimals for reading only.`,
    '',
    '## Claims',
    '',
    table(results),
    '',
    '## Counterexamples',
    '',
    ce.length ? ce.join('\n') : 'None: every sampled case inside its assumption satisfied its claim.',
    '',
  ].join('\n');
  writeFileSync(join(outDir, 'REPORT.md'), md);
  writeFileSync(join(outDir, 'claims.json'), JSON.stringify({ seed, results: results.map(({ points, ratios, ...r }) => r) }, null, 2) + '\n');
}

export function validate(opts: { seed: number; runs: number; out: string }): ClaimResult[] {
  const bar = progress('validate', CLAIMS.length * opts.runs);
  const results = CLAIMS.map((spec) => runClaim(spec, opts.runs, opts.seed, bar.tick));
  bar.done();
  writeReport(results, opts.out, opts.seed);
  return results;
}
