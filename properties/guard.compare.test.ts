// compare.ts (docs/FORMAT-result.md): the verdicts on results near and far from the exact
// reference. For linear models agreement within rtol implies D4 at the reference's values
// with the documented slacks (s_ε = ν, s_τ = ν Rmax, s_δ = s_τ λmax, ν = rtol S): a
// perturbation of norm <= ν must pass, one of norm > ν must be a mismatch. Claims: the
// exact attained values are true claims; half the attained ε (beyond the slack) is false.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { sqrtEnclosure } from '../src/exact/enclosure.ts';
import { ScaledVec } from '../src/exact/vec.ts';
import { parseCase } from '../src/formats/case.ts';
import { DEFAULT_RTOL, compareResult } from '../src/guard/compare.ts';
import { arbFuzzParams, fuzzCase } from '../src/guard/fuzz.ts';
import { runCase, type CaseRun } from '../src/unlearn/pipeline.ts';
import { Rng } from '../src/data/random.ts';
import { liveTwin, params, tally } from './support.ts';

/** The reference run of a fuzzed case (undefined when degenerate). */
function refOf(p: Parameters<typeof fuzzCase>[0]): CaseRun | undefined {
  const c = fuzzCase(p);
  return c ? runCase(parseCase(c)) : undefined;
}

/** θ_ref + a u, u a seeded integer direction, a chosen so that ||a u||² is `factor`² ν² (bounded from the side asked). */
function perturbed(run: CaseRun, seed: number, factor: Rational, side: 'within' | 'beyond'): ScaledVec[] {
  const rng = new Rng(seed);
  const theta = run.ga.params.vectors();
  const u = theta.map((t) => {
    const ints: bigint[] = Array.from({ length: t.dim }, () => BigInt(rng.nextInt(-3, 3)));
    if (!ints.some((v) => v !== 0n)) ints[0] = 1n;
    return ScaledVec.of(ints);
  });
  const u2 = u.reduce((s, v) => s.add(v.norm2()), Rational.ZERO);
  let scale2 = run.ga.params.normSquared;
  if (scale2.isZero()) scale2 = run.theta.normSquared;
  const q = DEFAULT_RTOL.mul(DEFAULT_RTOL).mul(scale2).div(u2).mul(factor).mul(factor);
  const e = sqrtEnclosure(q, 20);
  const a = side === 'within' ? e.lo : e.hi.mul(Rational.of(1001, 1000));
  return theta.map((t, j) => t.addScaled(a, u[j]!));
}

const arbLinear = arbFuzzParams({ models: 'linear', maxGaussD: 64 });

describe('compare: verdicts near the exact reference', () => {
  const stat = tally('guard compare (linear, perturbation within rtol)');
  test.prop([arbLinear, fc.nat(), fc.integer({ min: 0, max: 8 })], params(40))(
    'linear: within rtol passes (agreement implies D4 with slack)',
    (p, seed, k) => {
      const run = refOf(p);
      fc.pre(run !== undefined);
      const cmp = compareResult(run!, { theta: perturbed(run!, seed, Rational.of(k, 8), 'within'), claims: {} });
      stat('run');
      stat('unperturbed', k === 0);
      stat('τ_ref > 0', run!.after.tau.sign() > 0);
      stat('ε_ref > 0', run!.after.epsilon2.sign() > 0);
      expect(cmp.checks.filter((c) => !c.holds).map((c) => `${c.claim} ${c.quantity}`)).toEqual([]);
      expect(cmp.verdict).toBe('pass');
    },
  );

  test("twin: without the slacks, D4 at the reference's exact values fails for some output within rtol", () => {
    const ce = liveTwin(
      'guard.no-slack',
      'verify D4 slack',
      'a result within rtol is (ε_ref, δ_ref, τ_ref)-successful without slack',
      fc.tuple(arbLinear, fc.nat(), fc.integer({ min: 1, max: 8 })),
      ([p, seed, k]) => {
        const run = refOf(p);
        if (!run) return true;
        const a = compareResult(run, { theta: perturbed(run, seed, Rational.of(k, 8), 'within'), claims: {} }).attained;
        return a.tau.le(run.after.tau) && a.epsilon2.le(run.after.epsilon2);
      },
    );
    expect(ce[2]).toBeGreaterThan(0);
  });

  test.prop([arbLinear, fc.nat()], params(20))('twin: just beyond rtol is a mismatch', (p, seed) => {
    const run = refOf(p);
    fc.pre(run !== undefined);
    const cmp = compareResult(run!, { theta: perturbed(run!, seed, Rational.ONE, 'beyond'), claims: {} });
    expect(cmp.verdict).toBe('mismatch');
  });

  test.prop([arbFuzzParams({ maxGaussD: 32 })], params(30))(
    'claims: the exact attained values are true, half of a positive ε is false',
    (p) => {
      const run = refOf(p);
      fc.pre(run !== undefined);
      const theta = run!.ga.params.vectors();
      const own = compareResult(run!, { theta, claims: {} }).attained;
      const eps = sqrtEnclosure(own.epsilon2, 20).hi;
      const honest = compareResult(run!, {
        theta,
        claims: { epsilon: eps, tau: own.tau, delta: own.delta.sign() > 0 ? own.delta : Rational.ZERO },
      });
      expect(honest.verdict).toBe('pass');
      // half the ε, when that is below ε minus the slack ν (ν tiny here)
      fc.pre(own.epsilon2.gt(Rational.of(1, 1_000_000)));
      const liar = compareResult(run!, {
        theta,
        claims: { epsilon: sqrtEnclosure(own.epsilon2, 20).lo.div(Rational.of(2)) },
      });
      expect(liar.verdict).toBe('false-claim');
    },
  );

  // relu2 at exact kinks: an output that misses a kink of the reference by a hair (as a
  // float does) is judged on its exact projection onto those kinks (compare.ts, 3.).
  const arbKinked = arbFuzzParams({ families: ['relu2/orthogonal'] });
  /** θ~_ref with every retained kink pair (j, i) pushed to <w_j, x_i> > 0 by a hair. */
  function offKinks(run: CaseRun, hair: Rational): { theta: ScaledVec[]; pairs: number } {
    let pairs = 0;
    const pre = run.ga.params.pre;
    const theta = run.ga.params.vectors().map((w, j) =>
      run.retained.reduce((acc, i) => {
        if (!pre[j]![i]!.isZero()) return acc;
        pairs++;
        return acc.addScaled(hair, run.ctx.data.x[i]!);
      }, w),
    );
    return { theta, pairs };
  }
  const hairOf = (run: CaseRun) =>
    DEFAULT_RTOL.mul(Rational.of(1, 1000)).div(Rational.of(run.ctx.data.x.length * run.ctx.data.x[0]!.dim));

  const statK = tally('guard compare (relu2, kinks missed by a hair)');
  test.prop([arbKinked], params(30))('relu2: a result that misses exact kinks by a hair passes after snapping', (p) => {
    const run = refOf(p);
    fc.pre(run !== undefined);
    const { theta, pairs } = offKinks(run!, hairOf(run!));
    fc.pre(pairs > 0);
    const cmp = compareResult(run!, { theta, claims: {} });
    statK('run');
    statK('snapping needed', cmp.snapped !== undefined);
    expect(cmp.verdict).toBe('pass');
  });

  test('twin: without snapping, the exact certificate of such a result misses the reference', () => {
    const ce = liveTwin(
      'guard.kink-snap',
      'verify kink snapping',
      'an output off the exact kinks by a hair is successful at the reference values as it is',
      arbKinked,
      (p) => {
        const run = refOf(p);
        if (!run) return true;
        const { theta, pairs } = offKinks(run, hairOf(run));
        if (pairs === 0) return true;
        const cmp = compareResult(run, { theta, claims: {} });
        return cmp.attained.epsilon2.le(cmp.thresholds.epsilon2) && cmp.attained.tau.le(cmp.thresholds.tau);
      },
    );
    expect(ce.model).toBe('relu2');
  });
});
