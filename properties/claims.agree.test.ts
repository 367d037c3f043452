// One source of truth: every true claim file in fixtures/claims/ restates a bound of a claim
// function (src/claims/linear.ts, relu2.ts). On runs sampled from the file's own generator,
// the file's comparison must read the same measured value and the same bound as the
// function's Check (or a bound on the stated side of it, where a name is missing), and the
// file's `assume` must switch the function's gated checks on and off (L2(d), T2(c)).
// A new true claim file without a row here fails the coverage test.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Rational } from '../src/exact/rational.ts';
import { Rng } from '../src/data/random.ts';
import { geometry, type Geometry } from '../src/data/geometry.ts';
import { NotSeparableError } from '../src/errors.ts';
import { type Check } from '../src/claims/check.ts';
import { claimL2, claimL3, claimL5 } from '../src/claims/linear.ts';
import { claimT2a, claimT2c } from '../src/claims/relu2.ts';
import { type Claim, parseClaim } from '../src/study/explore/claimFile.ts';
import { holds, sidesOf } from '../src/study/explore/dsl.ts';
import { sampleParams } from '../src/study/explore/sample.ts';
import { caseOfSample, claimQuantities } from '../src/study/explore/evaluate.ts';
import { type CaseRun, runCase } from '../src/unlearn/pipeline.ts';
import { runs, tally } from './support.ts';

const DIR = fileURLToPath(new URL('../fixtures/claims/', import.meta.url));
const FILES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (f: string): Claim => parseClaim(JSON.parse(readFileSync(DIR + f, 'utf8')));

/** How the file's right-hand side relates to the function's bound. */
type Relation = 'same' | 'rhs >= bound' | 'rhs <= bound';

interface Row {
  /** the function's checks on a run (κ: the step fraction of the case) */
  checks: (run: CaseRun, geom: Geometry, kappa: Rational) => Check[];
  /** per conclusion: the function's check (claim id, quantity) and the relation */
  conclude: { claim: string; quantity: string; relation: Relation }[];
  /** the function emits these checks only inside the file's assumption */
  gated?: boolean;
}

const AGREE: Record<string, Row> = {
  'L2b.tau-bound.json': {
    checks: (run, g, k) => claimL2(run, g, k),
    conclude: [{ claim: 'L2(b)', quantity: 'tau', relation: 'same' }],
  },
  'L2a.exact-at-kappa-one.json': {
    checks: (run, g, k) => claimL2(run, g, k),
    conclude: [{ claim: 'L2(a)', quantity: 'epsilon2_inherited', relation: 'same' }],
  },
  // ||x_r||^2 has no name: the file brackets L2(a)'s exact value with R2min and R2max.
  'L2a.epsilon-bracket.json': {
    checks: (run, g, k) => claimL2(run, g, k),
    conclude: [
      { claim: 'L2(a)', quantity: 'epsilon2_inherited', relation: 'rhs >= bound' },
      { claim: 'L2(a)', quantity: 'epsilon2_inherited', relation: 'rhs <= bound' },
    ],
  },
  'L2d.tau-under-NO.json': {
    checks: (run, g, k) => claimL2(run, g, k),
    conclude: [{ claim: 'L2(d)', quantity: 'tau', relation: 'same' }],
    gated: true,
  },
  'L3.distance-under-NO.json': {
    checks: (run, g) => claimL3(run, g).filter((c) => c.relation === '<='),
    conclude: [{ claim: 'L3', quantity: 'distance2', relation: 'same' }],
  },
  // The corollary: at φ_r = 0 the L3 bound is 0, so "dist2_retrain == 0" reads the same numbers.
  'L3.orthogonal-is-exact.json': {
    checks: (run, g) => claimL3(run, g).filter((c) => c.relation === '<='),
    conclude: [{ claim: 'L3', quantity: 'distance2', relation: 'same' }],
  },
  'L5.tau-after-training.json': {
    checks: (run, g, k) => claimL5(run, g, k),
    conclude: [{ claim: 'L5', quantity: 'tau', relation: 'same' }],
  },
  // L5's ε bound is a sum of square roots, shown as an upper enclosure; at κ = 1 it is ε0².
  'L5.epsilon-after-training.json': {
    checks: (run, g, k) => claimL5(run, g, k),
    conclude: [{ claim: 'L5', quantity: 'epsilon2_inherited', relation: 'rhs <= bound' }],
  },
  'T2a.tau-bound.json': {
    checks: (run, g, k) => claimT2a(run, g, k),
    conclude: [{ claim: 'T2(a)', quantity: 'tau', relation: 'same' }],
  },
  'T2c.stable-clarke-is-exact.json': {
    checks: (run, _g, k) => claimT2c(run, k),
    conclude: [{ claim: 'T2(c)', quantity: 'epsilon2_inherited', relation: 'same' }],
    gated: true,
  },
};

describe('claim files restate the claim functions (one source of truth)', () => {
  test('every true claim file has a row; every refuted one is named refuted.*', () => {
    const trueFiles = FILES.filter((f) => !f.startsWith('refuted.'));
    expect(trueFiles.filter((f) => !(f in AGREE))).toEqual([]);
    expect(Object.keys(AGREE).filter((f) => !FILES.includes(f))).toEqual([]);
  });

  for (const [file, row] of Object.entries(AGREE)) {
    const stat = tally(`${file} vs its claim function`);
    test(`${file} agrees with its claim function on sampled runs`, () => {
      const { inside, mismatches } = compare(file, row, stat);
      expect(mismatches).toEqual([]);
      expect(inside, `${file}: no sample satisfied assume`).toBeGreaterThan(0);
    });
  }

  // Live twins: the halved bounds (refuted.*-halved.json) must be caught by the same rows.
  for (const [twin, of] of [
    ['refuted.L2b-halved.json', 'L2b.tau-bound.json'],
    ['refuted.L2d-halved.json', 'L2d.tau-under-NO.json'],
    ['refuted.L3-halved.json', 'L3.distance-under-NO.json'],
  ] as const) {
    test(`twin: ${twin} is caught disagreeing with ${of}'s claim function`, () => {
      expect(compare(twin, AGREE[of]!, () => {}).mismatches.length).toBeGreaterThan(0);
    });
  }
});

/** Sample the file's generator; list every disagreement with the row's claim function. */
function compare(
  file: string,
  row: Row,
  stat: (label: string, hit?: boolean) => void,
): { inside: number; mismatches: string[] } {
  const claim = load(file);
  const root = new Rng(7);
  const mismatches: string[] = [];
  let inside = 0;
  for (let k = 0; k < runs(claim.model === 'relu2' ? 20 : 25); k++) {
    const c = caseOfSample(claim, sampleParams(claim, root.fork(k)));
    if (!c) continue;
    let run: CaseRun;
    try {
      run = runCase(c);
    } catch (e) {
      if (e instanceof NotSeparableError) continue; // not separable: outside every claim
      throw e;
    }
    stat('run');
    const q = claimQuantities(c, run) as Record<string, Rational | undefined>;
    const inAssume = claim.assume.every((a) => holds(a, q));
    stat('inside assume', inAssume);
    if (!inAssume && !row.gated) continue; // (L3's bound is not even defined outside NO)
    const checks = row.checks(run, geometry(run.ctx.data, run.forget[0], run.ctx.G), q.kappa!);
    const find = (id: string, quantity: string) => checks.find((ch) => ch.claim === id && ch.quantity === quantity);
    if (!inAssume) {
      for (const r of row.conclude)
        if (find(r.claim, r.quantity))
          mismatches.push(`sample ${k}: ${r.claim} ${r.quantity} checked outside the file's assume`);
      continue;
    }
    inside++;
    row.conclude.forEach((r, i) => {
      const check = find(r.claim, r.quantity);
      if (!check) return void mismatches.push(`sample ${k}: ${r.claim} ${r.quantity} missing inside the file's assume`);
      const sides = sidesOf(claim.conclude[i]!, q)!;
      const at = `sample ${k} conclude[${i}]`;
      if (!sides.lhs.eq(check.measured))
        mismatches.push(`${at}: reads ${sides.lhs}, ${r.claim} measures ${check.measured}`);
      if (r.relation === 'same') {
        if (!sides.rhs.eq(check.bound))
          mismatches.push(`${at}: states ${sides.rhs}, ${r.claim}'s bound is ${check.bound}`);
        if (holds(claim.conclude[i]!, q) !== check.holds) mismatches.push(`${at}: verdicts differ`);
      } else if (r.relation === 'rhs >= bound' ? sides.rhs.lt(check.bound) : sides.rhs.gt(check.bound)) {
        mismatches.push(`${at}: ${sides.rhs} is not ${r.relation} ${check.bound}`);
      }
    });
  }
  return { inside, mismatches };
}
