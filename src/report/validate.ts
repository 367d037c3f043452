// `npm run validate`: every claim of the registry sampled from a seed, the verdicts and
// their evidence written to reports/: REPORT.md for people, claims.json and plots.json
// for tools, and the SVG figures of plots.ts. Same seed → byte-identical files: no
// timestamps, fixed orders, and every decimal is a display of an exact value.
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Rational } from '../exact/rational.ts';
import { gram } from '../exact/vec.ts';
import { type Check, describeCheck } from '../claims/check.ts';
import { claimL1 } from '../claims/linear.ts';
import { CLAIMS, type ClaimSpec } from '../claims/registry.ts';
import { parseClaim } from '../claims/claimFile.ts';
import { counterexampleJson, explore, summary } from '../claims/explore.ts';
import { readJsonFile } from '../io/readInput.ts';
import { writeDirAtomic } from '../io/atomicWrite.ts';
import type { Dataset } from '../data/dataset.ts';
import { hadamardFlips } from '../data/generators.ts';
import { geometry, nearlyOrthogonal } from '../data/geometry.ts';
import { maxMargin } from '../kkt/maxMargin.ts';
import { InputError } from '../errors.ts';
import { contextOf } from '../unlearn/run.ts';
import { type SweepPoint, sweepLinear, sweepRelu2 as relu2Sweep } from './sweep.ts';
import { progress } from './progress.ts';
import {
  type BoundaryPoint, type RatioBin, type TauDeltaPoint,
  boundaryRows, boundarySvg, ratioBins, ratiosSvg, renderSvg, shown, sweepRows, sweepSvg, tauDeltaRows, tauDeltaSvg,
} from './plots.ts';
import { type GeneralizationSection, generalizationSection, generalizationSpec } from './generalization.ts';
import type { TopLevelSpec } from 'vega-lite';

export interface Counterexample {
  /** the sample seed: CLAIMS.find(c => c.id === id).sample(seed) replays it */
  seed: number;
  data: string;
  failed: string[];
  checks: { claim: string; quantity: string; measured: string; relation: string; bound: string }[];
  /** the case as text: x (small d) or the Gram matrix (large d), with y */
  matrix: string | null;
}

interface SampleRecord {
  seed: number;
  held: boolean;
  point: Record<string, Rational>;
  checks: Check[];
}

export interface ClaimResult {
  id: string;
  statement: string;
  assumption: string;
  runs: number;
  held: number;
  verdict: 'holds' | 'refuted' | 'vacuous';
  /** max measured/bound over '<=' checks with a positive bound (display only) */
  worstRatio: number | null;
  /** the check attaining worstRatio, exact */
  worst: { ratio: string; check: string; seed: number } | null;
  /** measured/bound of every '<=' check with a positive bound, exact */
  ratios: Rational[];
  counterexamples: Counterexample[];
  /** every sample with its checks, for the figures (not written to JSON) */
  samples: SampleRecord[];
}

/** A claim file's verdict from `explore` (fixtures/claims/*.json), for the table. */
export interface FixtureClaimRow {
  file: string;
  name: string;
  verdict: 'holds' | 'refuted' | 'vacuous' | 'error';
  runs: number;
  /** samples evaluated and how many satisfied `assume` */
  evaluated: number;
  inAssume: number;
  /** explore's own summary (or the error message) */
  summary: string;
  /** the shrunk counterexample: its file name in the report directory and its data as text */
  counterexample: { file: string; matrix: string; json: string } | null;
}

function ratio(c: Check): Rational | null {
  if (c.relation !== '<=' || c.bound.sign() <= 0) return null;
  return c.measured.div(c.bound);
}

const MAX_COUNTEREXAMPLES = 5;

export function runClaim(spec: ClaimSpec, runs: number, seed: number, tick: () => void): ClaimResult {
  const res: ClaimResult = {
    id: spec.id, statement: spec.statement, assumption: spec.assumption,
    runs, held: 0, verdict: 'holds', worstRatio: null, worst: null, ratios: [], counterexamples: [], samples: [],
  };
  let worst: Rational | null = null;
  for (let k = 0; k < runs; k++) {
    const s = seed * 1_000_003 + k;
    const sample = spec.sample(s);
    tick();
    res.samples.push({ seed: s, held: sample.held, point: sample.point, checks: sample.checks });
    if (!sample.held) continue;
    res.held++;
    for (const c of sample.checks) {
      const r = ratio(c);
      if (r === null) continue;
      res.ratios.push(r);
      if (worst === null || r.gt(worst)) {
        worst = r;
        res.worst = { ratio: String(r), check: `${c.claim} ${c.quantity}`, seed: s };
      }
    }
    const bad = sample.checks.filter((c) => !c.holds);
    if (bad.length && res.counterexamples.length < MAX_COUNTEREXAMPLES) {
      res.counterexamples.push({
        seed: s,
        data: sample.data,
        failed: bad.map(describeCheck),
        checks: bad.map((c) => ({ claim: c.claim, quantity: c.quantity, measured: String(c.measured), relation: c.relation, bound: String(c.bound) })),
        matrix: sample.dataset ? matrixText(sample.dataset) : null,
      });
    }
  }
  res.worstRatio = worst === null ? null : shown(worst);
  res.verdict = res.counterexamples.length ? 'refuted' : res.held === 0 ? 'vacuous' : 'holds';
  return res;
}

// ---- counterexamples in readable form ----

/** x with y when d is small; else the Gram matrix <x_i,x_k> (what the claims depend on). */
export function matrixText(data: Dataset): string {
  const n = data.x.length;
  const d = data.x[0]?.dim ?? 0;
  const useX = d <= 8;
  const rows = useX ? data.x.map((v) => v.toRationals().map(String)) : gram(data.x).map((r) => r.map(String));
  const cells = rows.map((r, i) => [data.y[i] === 1 ? '+1' : '-1', ...r]);
  const widths = cells[0]!.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  const head = useX ? `y  | x (n = ${n}, d = ${d})` : `y  | Gram matrix <x_i,x_k> (n = ${n}, d = ${d})`;
  return [head, ...cells.map((r) => `${r[0]} | ${r.slice(1).map((c, j) => c.padStart(widths[j + 1]!)).join(' ')}`)].join('\n');
}

// ---- data behind the figures ----

/** The paper's figure (sweep.ts), linear and relu2, with a description of the data. */
export function sweeps(seed: number): Pick<Figures, 'sweepLinear' | 'sweepRelu2'> {
  const data = `hadamardFlips(n = 6, d = 64, flips = 1) from sweepData(${seed}), forget r = 0`;
  let sweepRelu2: Figures['sweepRelu2'];
  try {
    sweepRelu2 = { points: relu2Sweep(seed), about: [`${data} (seed advanced until T1 polishes),`, 'm = 8 units with v = ±1 at an exact KKT point (T1), Clarke-consistent GA step.'] };
  } catch (e) {
    if (!(e instanceof Error && e.message.startsWith('sweepRelu2:'))) throw e;
    sweepRelu2 = { points: [], about: [e.message] }; // reported, not fatal
  }
  return { sweepLinear: { points: sweepLinear(seed), about: [`${data}, θ = the exact max-margin solution.`] }, sweepRelu2 };
}

/** L2 samples inside NO at κ = 1 (those carrying the L2(d) checks), scaled so the bound is y = φ. */
export function tauDeltaPoints(results: readonly ClaimResult[]): TauDeltaPoint[] {
  const l2 = results.find((r) => r.id === 'L2');
  if (!l2) return [];
  const out: TauDeltaPoint[] = [];
  for (const s of l2.samples) {
    const tau = s.checks.find((c) => c.claim === 'L2(d)' && c.quantity === 'tau');
    const delta = s.checks.find((c) => c.claim === 'L2(d)' && c.quantity === 'delta_inherited');
    const phi = s.point.phi;
    if (!tau || !delta || !phi) continue;
    // y = measured · φ / bound = measured · (bound's denominator); at φ = 0 the bound is 0
    const scaled = (c: Check) => (c.bound.isZero() ? c.measured : c.measured.mul(phi).div(c.bound));
    out.push({ phi, tauScaled: scaled(tau), deltaScaled: scaled(delta) });
  }
  return out;
}

const BOUNDARY = { d: 16, nMax: 10, flipsMax: 8, seeds: 2 };

/**
 * L1 over a grid of n and flips (hadamardFlips, d = 16) that crosses ρ = 1/2: inside NO the
 * whole claim, outside it the conclusion "every λ_i > 0" alone, to show where it breaks.
 */
export function boundaryPoints(seed: number): { points: BoundaryPoint[]; label: string } {
  const { d, nMax, flipsMax, seeds } = BOUNDARY;
  const points: BoundaryPoint[] = [];
  for (let n = 2; n <= nMax; n++) {
    for (let flips = 0; flips <= flipsMax; flips++) {
      for (let k = 0; k < seeds; k++) {
        const data = hadamardFlips({ n, d, flips, seed: seed * 1_000_003 + (n * (flipsMax + 1) + flips) * seeds + k });
        const g = geometry(data);
        const ctx = contextOf({ kind: 'linear' }, data);
        let mm;
        try {
          mm = maxMargin(ctx, data.x.map((_, i) => i));
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
        }
        let verdict: BoundaryPoint['verdict'];
        if (nearlyOrthogonal(g)) verdict = mm && claimL1(ctx, mm, g).every((c) => c.holds) ? 'NO holds, L1 holds' : 'NO holds, L1 refuted';
        else if (!mm) verdict = 'NO fails, not separable';
        else verdict = mm.lambda.every((l) => l.sign() > 0) ? 'NO fails, every λ_i > 0 anyway' : 'NO fails, a support vector drops out (some λ_i = 0)';
        points.push({ n, rho: g.rho, verdict });
      }
    }
  }
  return { points, label: `hadamardFlips(d = ${d}), n = 2..${nMax}, flips = 0..${flipsMax}, ${seeds} seeds each: ${points.length} datasets.` };
}

// ---- claim files (fixtures/claims/*.json) ----

/** `explore` on every claim file in `dir` (sorted by name), one table row each. */
export function exploreFixtureClaims(dir: string, seed: number, runs: number): FixtureClaimRow[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return files.map((file) => {
    const row: FixtureClaimRow = { file, name: file, verdict: 'error', runs, evaluated: 0, inAssume: 0, summary: '', counterexample: null };
    try {
      const claim = parseClaim(readJsonFile(join(dir, file)));
      row.name = claim.name;
      const rep = explore(claim, { runs, seed });
      row.evaluated = rep.counts.evaluated;
      row.inAssume = rep.counts.inAssume;
      row.verdict = rep.verdict === 'refuted' ? 'refuted' : rep.counts.inAssume === 0 ? 'vacuous' : 'holds';
      const ceFile = `counterexamples/${file.replace(/\.json$/i, '')}.counterexample.json`;
      row.summary = summary(rep, file, rep.counterexample ? ceFile : undefined);
      if (rep.counterexample) row.counterexample = { file: ceFile, matrix: matrixText(rep.counterexample.case.data), json: json(counterexampleJson(rep, file)) };
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      row.summary = `error: ${e.message}`; // a bad claim file is reported, not fatal
    }
    return row;
  });
}

// ---- REPORT.md ----

const esc = (s: string) => s.replace(/\|/g, '\\|');
const pct = (k: number, n: number) => (n === 0 ? '–' : `${((100 * k) / n).toFixed(0)}%`);

function table(results: readonly ClaimResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.id} | ${esc(r.statement)} | ${esc(r.assumption)} | **${r.verdict}** | ${r.runs} | ${pct(r.held, r.runs)} | ${r.worst === null ? '–' : `${r.worstRatio} (${esc(r.worst.check)})`} |`,
  );
  return ['| claim | statement | assumption | verdict | runs | assumption held | worst measured/bound |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

/** Claim files named `refuted.*` are live twins: a bound deliberately broken, expected refuted. */
export const expectedVerdict = (file: string): 'holds' | 'refuted' => (file.startsWith('refuted.') ? 'refuted' : 'holds');

function fileTable(fixtures: readonly FixtureClaimRow[]): string {
  const rows = fixtures.map((f) => {
    const expected = expectedVerdict(f.file);
    const mark = f.verdict === expected ? expected : `${expected} — **unexpected**`;
    return `| ${esc(f.file)} | ${esc(f.name)} | **${f.verdict}** | ${mark} | ${f.evaluated} | ${pct(f.inAssume, f.evaluated)} |`;
  });
  return ['| claim file | claim | verdict | expected | samples | `assume` held |', '|---|---|---|---|---|---|', ...rows].join('\n');
}

function sampleCounterexamples(results: readonly ClaimResult[]): string {
  const blocks = results.flatMap((r) =>
    r.counterexamples.map((c) =>
      [
        `### ${r.id}, sample seed ${c.seed}`,
        '',
        `Data: \`${c.data}\``,
        '',
        ...(c.matrix ? ['```', c.matrix, '```', ''] : []),
        'Failing checks (exact):',
        '',
        ...c.checks.map((k) => `- ${k.claim} \`${k.quantity}\`: measured ${k.measured}, required ${k.relation} ${k.bound}`),
        '',
      ].join('\n'),
    ),
  );
  return blocks.length ? blocks.join('\n') : 'None: every sampled case inside its assumption satisfied its claim.\n';
}

function fileCounterexamples(fixtures: readonly FixtureClaimRow[]): string {
  const blocks = fixtures
    .filter((f) => f.verdict === 'refuted' || f.verdict === 'error')
    .map((f) =>
      [
        `### ${f.file}${f.verdict === expectedVerdict(f.file) ? '' : ' (unexpected)'}`,
        '',
        ...(f.counterexample ? ['```', f.counterexample.matrix, '```', '', `Replayable case: [${f.counterexample.file}](${f.counterexample.file}).`, ''] : []),
        '```',
        f.summary,
        '```',
        '',
      ].join('\n'),
    );
  return blocks.length ? blocks.join('\n') : 'None.\n';
}

const howToRead = (runs: number) => `Each claim of THEORY.md (L1..L5, ...) is sampled ${runs} times from the seed. A sample
draws data; if the data satisfy the claim's assumption (column "assumption held"), the
pipeline runs and every inequality of the claim is checked in exact rational arithmetic.
**holds**: no sampled check failed; **refuted**: at least one failed (see Counterexamples,
which print the data and the failing check exactly; \`CLAIMS.find(c => c.id === ID).sample(SEED)\`
replays one); **vacuous**: no sample satisfied the assumption, so nothing was tested.
"worst measured/bound" is the largest ratio over the claim's "≤" checks: 1 means some
sample attains the bound, values near 0 mean it holds with room. The figures show the same
exact numbers as decimals (6 significant digits, for reading only); the exact values are in
plots.json and claims.json. The boundary map runs L1 outside its assumption on purpose, to
show that the assumption matters. Claim files (fixtures/claims/*.json) are searched by
\`explore\` with the same seed and budget; their rows count the samples that satisfied \`assume\`.`;

export interface Figures {
  sweepLinear: { points: SweepPoint[]; about: string[] };
  /** no points: no exact KKT point was found (`about` says why) */
  sweepRelu2: { points: SweepPoint[]; about: string[] };
  tauDelta: TauDeltaPoint[];
  ratioBins: RatioBin[];
  boundary: { points: BoundaryPoint[]; label: string };
  generalization: GeneralizationSection;
}

/** Quick runs (--runs below 100) use a smaller generalization grid: it costs ~20 s in full. */
const QUICK_GRID = { ns: [8], ds: [32], mus: [1, 4], testPoints: 200 };

export function figuresOf(results: readonly ClaimResult[], seed: number, runs: number): Figures {
  return {
    ...sweeps(seed),
    tauDelta: tauDeltaPoints(results),
    ratioBins: results.flatMap((r) => ratioBins(r.id, r.ratios)),
    boundary: boundaryPoints(seed),
    generalization: generalizationSection(seed, runs >= 100 ? {} : QUICK_GRID),
  };
}

function markdown(results: readonly ClaimResult[], fixtures: readonly FixtureClaimRow[], fig: Figures, seed: number, runs: number): string {
  const sweepRelu2 = fig.sweepRelu2.points.length
    ? `Two-layer network (T2, the paper's figure): ${fig.sweepRelu2.about.join(' ')} With activation flips or a kink on x_r, ε need not vanish at κ = 1 (T2(b), T2(d)); a jump just after κ = 0 means kink pairs (<w_j,x_i> = 0) left the kink, so their Clarke choice is no longer free.\n\n![step-size figure, relu2](sweep-relu2.svg)`
    : `_relu2 sweep not drawn: ${fig.sweepRelu2.about.join(' ')}_`;
  return [
    '# unlearn-kkt validation report',
    '',
    `Seed ${seed}, ${runs} samples per claim (\`npm run validate -- --seed ${seed} --runs ${runs}\` reproduces every file byte for byte).`,
    '',
    '## How to read this',
    '',
    howToRead(runs),
    '',
    '## Claims',
    '',
    table(results),
    '',
    ...(fixtures.length
      ? [
          '## Claim files',
          '',
          'Each file in fixtures/claims searched by `explore` (same seed, same budget of samples; a search stops at its first counterexample). Files named `refuted.*` break a bound on purpose, to show it is live: for them **refuted** is the expected verdict.',
          '',
          fileTable(fixtures),
          '',
        ]
      : []),
    '## Figures',
    '',
    '### Step-size sweep (THEORY.md section 4)',
    '',
    `ε of the unlearned model w.r.t. the retained points against κ = c_r/λ_r. Inherited certificate: exactly |1-κ| λ_r ||x_r|| (L2(a)); optimal certificate: a V with its minimum 0 at κ = 1. Data: ${fig.sweepLinear.about.join(' ')}`,
    '',
    '![step-size figure](sweep-linear.svg)',
    '',
    sweepRelu2,
    '',
    '### L2(d): τ and δ against φ',
    '',
    `${fig.tauDelta.length} L2 samples inside NO at κ = 1, each scaled by its bound's denominator so that L2(d) is the line y = φ. δ = max_i λ_i (q_i - 1) with the inherited λ_R is negative when every retained margin dropped below 1.`,
    '',
    '![tau and delta against phi](tau-delta-vs-phi.svg)',
    '',
    '### measured/bound per claim',
    '',
    '![ratio histogram](ratios.svg)',
    '',
    '### Boundary map: where L1 breaks',
    '',
    `${fig.boundary.label} Above ρ = 1/2 support vectors start to drop out, as THEORY.md section 7 predicts.`,
    '',
    '![boundary map](boundary.svg)',
    '',
    '## Generalization (THEORY.md section 6, G1)',
    '',
    fig.generalization.markdown,
    '',
    '![test errors](generalization.svg)',
    '',
    '## Counterexamples',
    '',
    sampleCounterexamples(results),
    ...(fixtures.length ? ['## Counterexamples from claim files', '', fileCounterexamples(fixtures)] : []),
  ].join('\n');
}

const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';
const exact = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v instanceof Rational ? String(v) : v]));

/** The files of a report, by name (written by writeReport; compared by the determinism test). */
export async function reportFiles(results: readonly ClaimResult[], fixtures: readonly FixtureClaimRow[], fig: Figures, seed: number, runs: number): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  files.set('REPORT.md', markdown(results, fixtures, fig, seed, runs));
  files.set(
    'claims.json',
    json({
      seed,
      runs,
      results: results.map(({ ratios, samples, ...r }) => ({ ...r, ratioBins: fig.ratioBins.filter((b) => b.claim === r.id).map(({ claim, ...b }) => b) })),
      claimFiles: fixtures.map(({ counterexample, ...f }) => ({ ...f, expected: expectedVerdict(f.file), counterexample: counterexample?.file ?? null })),
    }),
  );
  files.set(
    'plots.json',
    json({
      seed,
      'sweep-linear': { data: fig.sweepLinear.about.join(' '), exact: fig.sweepLinear.points.map(exact), shown: sweepRows(fig.sweepLinear.points) },
      'sweep-relu2': { data: fig.sweepRelu2.about.join(' '), exact: fig.sweepRelu2.points.map(exact), shown: sweepRows(fig.sweepRelu2.points) },
      'tau-delta-vs-phi': { exact: fig.tauDelta.map(exact), shown: tauDeltaRows(fig.tauDelta) },
      ratios: fig.ratioBins,
      boundary: { data: fig.boundary.label, exact: fig.boundary.points.map(exact), shown: boundaryRows(fig.boundary.points) },
      generalization: fig.generalization.plotData,
    }),
  );
  files.set('sweep-linear.svg', await sweepSvg('linear', fig.sweepLinear.points, fig.sweepLinear.about));
  for (const f of fixtures) if (f.counterexample) files.set(f.counterexample.file, f.counterexample.json);
  if (fig.sweepRelu2.points.length) files.set('sweep-relu2.svg', await sweepSvg('relu2', fig.sweepRelu2.points, fig.sweepRelu2.about));
  files.set('tau-delta-vs-phi.svg', await tauDeltaSvg(fig.tauDelta));
  files.set('ratios.svg', await ratiosSvg(fig.ratioBins, results.map((r) => r.id)));
  files.set('boundary.svg', await boundarySvg(fig.boundary.points, fig.boundary.label));
  files.set('generalization.svg', await renderSvg(generalizationSpec(fig.generalization.plotData) as unknown as TopLevelSpec));
  return files;
}

export async function writeReport(results: readonly ClaimResult[], outDir: string, seed: number, runs: number, fixtures: readonly FixtureClaimRow[] = []): Promise<string[]> {
  const files = await reportFiles(results, fixtures, figuresOf(results, seed, runs), seed, runs);
  // All at once (io/atomicWrite.ts): a crash leaves the old report whole. counterexamples/
  // holds only this run's files: a stale one would contradict REPORT.md.
  const mine = new Set([...files.keys()].map((f) => f.split('/')[0]!).concat('counterexamples'));
  writeDirAtomic(outDir, files, (entry) => mine.has(entry));
  return [...files.keys()];
}

export async function validate(opts: { seed: number; runs: number; out: string; claimsDir?: string }): Promise<{ results: ClaimResult[]; fixtures: FixtureClaimRow[] }> {
  const bar = progress('validate', CLAIMS.length * opts.runs);
  const results = CLAIMS.map((spec) => runClaim(spec, opts.runs, opts.seed, bar.tick));
  bar.done();
  const fixtures = exploreFixtureClaims(opts.claimsDir ?? 'fixtures/claims', opts.seed, opts.runs);
  await writeReport(results, opts.out, opts.seed, opts.runs, fixtures);
  return { results, fixtures };
}
