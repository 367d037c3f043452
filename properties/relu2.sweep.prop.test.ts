// The step-size sweep for the two-layer network (THEORY.md section 4, "the paper's
// figure", with T2): from an exact KKT input and a Clarke-consistent GA step, when no
// pair flips anywhere on κ in [0, 2], ε² of the optimal certificate is a convex V with
// its minimum 0 at κ = 1. (No flip at κ = 2 means none on [0, 2]: pre-activations move
// linearly in κ. Then the certificate set is fixed and ε is the distance of an affine
// path to a convex cone: convex in κ.)
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { certify } from '../src/kkt/certificate.ts';
import { gaStep } from '../src/unlearn/ga.ts';
import { flipsOf } from '../src/claims/quantities.ts';
import type { CaseRun } from '../src/unlearn/pipeline.ts';
import { sweepLinear, sweepRelu2, SWEEP_KAPPAS } from '../src/study/figures/sweep.ts';
import { liveTwin, params, tally } from './support.ts';
import { arbSmallParams, arbTrainedParams, relu2Run, trained, trainedSmall } from './relu2.support.ts';

const GRID = Array.from({ length: 9 }, (_, k) => Rational.of(k, 4));
const ONE = Rational.ONE;

/** ε² (optimal, inherited) along the grid, and whether any pair flipped on it. */
function curve(run: CaseRun) {
  const { ctx, theta, before, forget, retained } = run;
  const lambdaR = retained.map((i) => before.lambda[i]!);
  let flips = false;
  const pts = GRID.map((kappa) => {
    const ga = gaStep(ctx, theta, forget, { kind: 'kappa', kappa }, before, 'clarke');
    flips ||= flipsOf({ ...run, ga }) > 0;
    return {
      kappa,
      opt: certify(ctx, ga.params, retained).epsilon2,
      inh: certify(ctx, ga.params, retained, { lambda: lambdaR }).epsilon2,
    };
  });
  return { pts, flips };
}

const convex = (ys: readonly Rational[]) =>
  ys.every((y, k) => k === 0 || k === ys.length - 1 || ys[k - 1]!.add(ys[k + 1]!).ge(y.mul(Rational.of(2))));

const arbExact = fc.oneof(
  fc
    .record({ small: arbSmallParams({ nMax: 4, dMax: 3, mMax: 3 }), seed: fc.nat(1000) })
    .map(({ small, seed }) => ({ kind: 'small' as const, small, seed })),
  arbTrainedParams({ nMin: 2, nMax: 4, mMin: 4, mMax: 6, rademacher: false, flipsMax: 2 }).map((p) => ({
    kind: 'trained' as const,
    p,
  })),
);

describe('step-size sweep (two-layer)', () => {
  const stat = tally('relu2 sweep');
  test.prop([arbExact, fc.nat()], params(100))(
    'no flip on [0, 2]: ε²_optimal is convex with minimum 0 at κ = 1',
    (e, rs) => {
      const { data, v, kkt } = e.kind === 'small' ? trainedSmall(e.small, e.seed) : trained(e.p);
      stat('run');
      if (!kkt) return;
      stat('exact KKT input');
      const run = relu2Run(data, v, kkt.params.vectors(), rs % data.x.length, ONE, 'clarke');
      const { pts, flips } = curve(run);
      stat('no flip on the grid', !flips);
      pts.forEach((p) => expect(p.opt.le(p.inh)).toBe(true));
      if (flips) {
        stat(
          'with flips: minimum still at κ = 1',
          pts.every((p) => pts[4]!.opt.le(p.opt)),
        );
        return;
      }
      expect(pts[4]!.opt.isZero()).toBe(true);
      expect(convex(pts.map((p) => p.opt))).toBe(true);
      stat('strict V (ε² > 0 at κ = 0)', pts[0]!.opt.sign() > 0);
    },
  );

  test('live twin: with flips the minimum can leave κ = 1', () => {
    const ce = liveTwin(
      'T2sweep.flips',
      'T2(c)',
      'ε²_optimal is smallest at κ = 1 on the grid, flips or not',
      fc.record({ small: arbSmallParams({ nMax: 3, dMax: 3, mMax: 3 }), seed: fc.nat(100), rs: fc.nat(2) }),
      ({ small, seed, rs }) => {
        const { data, v, kkt } = trainedSmall(small, seed);
        if (!kkt) return true;
        const { pts } = curve(relu2Run(data, v, kkt.params.vectors(), rs % data.x.length, ONE, 'clarke'));
        return pts.every((p) => pts[4]!.opt.le(p.opt));
      },
      300,
    );
    const { data, v, kkt } = trainedSmall(ce.small, ce.seed);
    expect(curve(relu2Run(data, v, kkt!.params.vectors(), ce.rs % data.x.length, ONE, 'clarke')).flips).toBe(true);
  });

  test('the report curves: linear V exactly; relu2 optimal <= inherited', () => {
    const lin = sweepLinear(0);
    expect(lin.map((p) => p.kappa.toString())).toEqual(SWEEP_KAPPAS.map(String));
    const at1 = lin[8]!;
    expect(at1.epsilon2_optimal.isZero() && at1.epsilon2_inherited.isZero()).toBe(true);
    // L2(a): inherited ε² = (1-κ)² λ_r² ||x_r||², a parabola symmetric about κ = 1
    lin.forEach((p, k) => expect(p.epsilon2_inherited.eq(lin[16 - k]!.epsilon2_inherited)).toBe(true));
    expect(convex(lin.map((p) => p.epsilon2_optimal))).toBe(true);
    const orth = sweepRelu2(0, { flips: 0 });
    expect(orth[8]!.epsilon2_optimal.isZero()).toBe(true);
    expect(convex(orth.map((p) => p.epsilon2_optimal))).toBe(true);
    sweepRelu2(0).forEach((p) => expect(p.epsilon2_optimal.le(p.epsilon2_inherited)).toBe(true));
  });
});
