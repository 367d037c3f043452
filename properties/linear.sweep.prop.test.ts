// The step-size sweep (THEORY.md section 4, the paper's figure): ε² of the unlearned model
// w.r.t. R against κ in [0, 2]. With the inherited certificate it is exactly
// (1-κ)² λ_r² ||x_r||²; with the optimal certificate it is a V: convex in κ (the distance
// from a moving point to a convex cone), zero at κ = 1.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { arbIntMatrix, arbSmallInts } from '../src/data/arbitraries.ts';
import type { Dataset } from '../src/data/dataset.ts';
import { NotSeparableError } from '../src/errors.ts';
import { intData, linearRun, liveTwin, params, tally } from './support.ts';

const GRID = Array.from({ length: 9 }, (_, k) => Rational.of(k, 4)); // 0, 1/4, ..., 2

/** [κ, optimal ε², inherited ε²] over the grid, or undefined if not separable. */
function sweep(data: Dataset, r: number) {
  try {
    return GRID.map((kappa) => {
      const run = linearRun(data, [r], { kind: 'kappa', kappa });
      return {
        kappa,
        optimal: run.after.epsilon2,
        inherited: run.inherited.epsilon2,
        lambdaR: run.before.lambda[r]!,
        xr2: run.ctx.G[r]![r]!,
      };
    });
  } catch (e) {
    if (e instanceof NotSeparableError) return undefined;
    throw e;
  }
}

describe('step-size sweep (linear)', () => {
  const stat = tally('sweep');
  test.prop([arbSmallInts({ nMin: 2, nMax: 4, dMax: 4 }), fc.nat()], params(200))(
    'inherited ε² is (1-κ)² λ_r² ||x_r||²; optimal ε² is a convex V with minimum 0 at κ = 1',
    (g, rs) => {
      const r = rs % g.data.x.length;
      const curve = sweep(g.data, r);
      stat('run');
      if (!curve) return;
      stat(
        'nontrivial V (optimal ε² > 0 somewhere)',
        curve.some((p) => p.optimal.sign() > 0),
      );
      for (const p of curve) {
        expect(p.inherited.eq(Rational.ONE.sub(p.kappa).pow(2).mul(p.lambdaR.pow(2)).mul(p.xr2))).toBe(true);
        expect(p.optimal.le(p.inherited)).toBe(true);
      }
      expect(curve[4]!.optimal.isZero()).toBe(true);
      // convexity on a uniform grid: second differences >= 0
      for (let k = 1; k + 1 < curve.length; k++) {
        expect(
          curve[k - 1]!.optimal.add(curve[k + 1]!.optimal)
            .sub(curve[k]!.optimal.mul(Rational.of(2)))
            .sign(),
        ).toBeGreaterThanOrEqual(0);
      }
    },
  );

  test('live twin: the V is real (optimal ε² = 0 for every κ fails)', () => {
    liveTwin(
      'sweep.flat',
      'sweep',
      'optimal ε² = 0 for every κ in [0, 2]',
      arbIntMatrix({ nMin: 2, nMax: 3, dMax: 3 }).map((g) => g.params),
      ({ x, y }) => (sweep(intData(x, y), 0) ?? []).every((p) => p.optimal.isZero()),
    );
  });
});
