// The boundary explorer on the claim fixtures (fixtures/claims/): true claims survive,
// false ones (refuted.*) are refuted with a shrunk counterexample of n <= 4 and d <= 4,
// and the written counterexample replays: as a case@1 file it still satisfies `assume`
// and violates the same conclusion, and its generator witness (`found`) does too.
// The refuted.* files are the live twins of the true ones (halved bounds, dropped terms).
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { parseCase } from '../src/formats/case.ts';
import { runCase } from '../src/unlearn/pipeline.ts';
import type { Rational } from '../src/exact/rational.ts';
import { type Claim, parseClaim } from '../src/study/explore/claimFile.ts';
import { holds } from '../src/study/explore/dsl.ts';
import { explore } from '../src/study/explore/search.ts';
import { caseOfSample, claimQuantities } from '../src/study/explore/evaluate.ts';
import { counterexampleJson, summary } from '../src/study/explore/summary.ts';
import type { Case } from '../src/formats/case.ts';
import { cli, runs } from './support.ts';

const DIR = fileURLToPath(new URL('../fixtures/claims/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (f: string): Claim => parseClaim(JSON.parse(readFileSync(DIR + f, 'utf8')));

/** Runs per fixture: the default, more where a counterexample is rare (about 2% of draws). */
const RUNS: Record<string, number> = { 'refuted.tau-tenth-phi.json': 300 };
const SEED = 0;

/** Which conclusion of the claim a case violates (inside assume), or undefined. */
function violated(claim: Claim, c: Case): number | undefined {
  const q = claimQuantities(c, runCase(c)) as Record<string, Rational | undefined>;
  if (!claim.assume.every((a) => holds(a, q))) return undefined;
  const i = claim.conclude.findIndex((k) => !holds(k, q));
  return i < 0 ? undefined : i;
}

describe('explore on the claim fixtures', () => {
  for (const file of FILES) {
    const refuted = file.startsWith('refuted.');
    test(`${file}: ${refuted ? 'refuted, shrunk to n <= 4, d <= 4, replayable' : 'survives'}`, () => {
      const claim = load(file);
      const report = explore(claim, { runs: runs(RUNS[file] ?? 60), seed: SEED });
      console.log(
        `[stats] explore ${file}: ${report.counts.evaluated} samples, ${report.counts.inAssume} in assume, ${report.counts.shrinkEvaluations} shrink evaluations`,
      );
      expect(report.verdict, summary(report, file)).toBe(refuted ? 'refuted' : 'survived');
      if (!refuted) {
        expect(report.counts.inAssume, `${file}: assume never held, so the claim was not tested`).toBeGreaterThan(0);
        return;
      }
      const ce = report.counterexample!;
      expect(ce.case.data.x.length).toBeLessThanOrEqual(4);
      expect(ce.case.data.x[0]!.dim).toBeLessThanOrEqual(4);
      // The file as written (JSON, rationals as strings) replays through the case@1 parser.
      const json = JSON.parse(JSON.stringify(counterexampleJson(report, file)));
      expect(json.claim.failed).toBe(`conclude[${ce.failed}]`);
      expect(violated(claim, parseCase(json))).toBe(ce.failed);
      // The verdict rests on a sample of the claim's own generator.
      const witness = caseOfSample(claim, json.found);
      expect(witness).not.toBeNull();
      expect(violated(claim, witness!)).toBeDefined();
    });
  }

  test('deterministic: the same seed gives the same counterexample file', () => {
    const claim = load('refuted.L2d-halved.json');
    const a = counterexampleJson(explore(claim, { runs: 40, seed: 3 }), 'x.json');
    const b = counterexampleJson(explore(claim, { runs: 40, seed: 3 }), 'x.json');
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('unlearn-kkt explore (CLI)', () => {
  const exploreCli = (...argv: string[]) => cli(['explore', ...argv], 30_000);

  test('a false claim: exit 1, a summary, DIR/<name>.counterexample.json; a true one: exit 0', () => {
    const dir = mkdtempSync(join(tmpdir(), 'explore-'));
    const bad = exploreCli(join(DIR, 'refuted.ga-is-exact.json'), '--runs', '20', '--out', dir);
    expect(bad.stderr).toBe('');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^REFUTED "GA is exact unlearning: tau == 0"/);
    const out = join(dir, 'refuted.ga-is-exact.counterexample.json');
    expect(existsSync(out)).toBe(true);
    const json = JSON.parse(readFileSync(out, 'utf8'));
    expect(json.format).toBe('unlearn-kkt/case@1');
    expect([json.seed, json.claim.expression]).toEqual([0, 'tau == 0']);
    expect(() => parseCase(json)).not.toThrow();

    const good = exploreCli(join(DIR, 'L2b.tau-bound.json'), '--runs', '10', '--seed', '5', '--out', dir);
    expect([good.status, good.stderr]).toEqual([0, '']);
    expect(good.stdout).toMatch(/^SURVIVED .* no counterexample in 10 runs, seed 5/);
  });
});
