// L4 (THEORY.md section 4): a forget set F with c_r = λ_r. ε = 0 with λ_R; τ and δ bounds;
// sequential single-point steps with the original certificate equal the batch step exactly,
// in any order; under NO ||w~ - w*_R||² = bᵀ G_RR⁻¹ b with b = G_RF λ_F.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { arbIntMatrix, arbNearlyOrthogonal, arbSmallInts } from '../src/data/arbitraries.ts';
import type { Dataset } from '../src/data/dataset.ts';
import { claimL4 } from '../src/claims/linear.ts';
import { gaStep } from '../src/unlearn/ga.ts';
import { NotSeparableError } from '../src/errors.ts';
import type { CaseRun } from '../src/unlearn/pipeline.ts';
import { expectHolds, forgetSet, intData, linearRun, liveTwin, params, tally } from './support.ts';

function tryRun(data: Dataset, F: number[]): CaseRun | undefined {
  try {
    return linearRun(data, F);
  } catch (e) {
    if (e instanceof NotSeparableError) return undefined;
    throw e;
  }
}

describe('L4: forget sets and sequences', () => {
  const stat = tally('L4 under NO');
  test.prop([arbNearlyOrthogonal({ nMin: 2, nMax: 6 }), fc.nat(63)], params(200))(
    'ε = 0, τ and δ bounds, exact distance',
    (g, mask) => {
      const F = forgetSet(g.data.x.length, mask);
      const run = linearRun(g.data, F);
      stat('run');
      stat('|F| >= 2', F.length >= 2);
      expectHolds(claimL4(run));
    },
  );

  const statSeq = tally('L4 sequential = batch');
  test.prop([arbSmallInts({ nMin: 2, nMax: 5, dMax: 5 }), fc.nat(31), fc.nat()], params(200))(
    'sequential steps with the original certificate equal the batch step, in any order',
    (g, mask, perm) => {
      const F = forgetSet(g.data.x.length, mask);
      const run = tryRun(g.data, F);
      statSeq('run');
      statSeq('separable', run !== undefined);
      if (!run) return;
      statSeq('|F| >= 2', F.length >= 2);
      // a permutation of F from `perm` (Lehmer code)
      const pool = F.slice();
      const order: number[] = [];
      for (let k = pool.length, p = perm; k > 0; p = Math.floor(p / k), k--) order.push(pool.splice(p % k, 1)[0]!);
      let params_ = run.theta;
      for (const r of order)
        params_ = gaStep(run.ctx, params_, [r], { kind: 'kappa', kappa: Rational.ONE }, run.before).params;
      expect(params_.vectors()[0]!.equals(run.ga.params.vectors()[0]!)).toBe(true);
      expect(params_.pre[0]!.every((p, i) => p.eq(run.ga.params.pre[0]![i]!))).toBe(true);
    },
  );

  test('mutation: the τ bound of a forget set cannot be halved', () => {
    liveTwin(
      'L4.half-bound',
      'L4',
      'τ <= max_R Σ_F λ_r |<x_i, x_r>| / 2',
      fc.tuple(
        arbIntMatrix({ nMin: 3, nMax: 4, dMax: 3 }).map((g) => g.params),
        fc.nat(15),
      ),
      ([{ x, y }, mask]) => {
        const run = tryRun(intData(x, y), forgetSet(x.length, mask));
        if (!run) return true;
        const c = claimL4(run).find((k) => k.quantity === 'tau')!;
        return c.measured.le(c.bound.div(Rational.of(2)));
      },
    );
  });
});
