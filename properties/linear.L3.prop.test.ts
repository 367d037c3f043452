// L3 (THEORY.md section 4): under NO with κ = 1, ||w~ - w*_R||² = λ_r² gᵀ G_R⁻¹ g exactly,
// bounded by λ_r² (n-1) φ_r² / (R2min - (n-2) φ), with cos² >= 1 - η²; tight at n = 2
// with equal norms; orthogonal x_r gives w~ = w*_R exactly and ε = δ = τ = 0.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { arbHadamard, arbIntMatrix, arbNearlyOrthogonal, arbRademacher } from '../src/data/arbitraries.ts';
import { geometry, nearlyOrthogonal } from '../src/data/geometry.ts';
import { claimL3 } from '../src/claims/linear.ts';
import { NotSeparableError } from '../src/errors.ts';
import { expectHolds, intData, linearRun, liveTwin, params, tally } from './support.ts';

describe('L3: closeness to retraining', () => {
  const stat = tally('L3 under NO');
  test.prop([arbNearlyOrthogonal({ nMin: 2, nMax: 6 }), fc.nat()], params(200))(
    'exact distance, its bound and the cosine',
    (g, rs) => {
      const r = rs % g.data.x.length;
      const run = linearRun(g.data, [r]);
      stat('run');
      stat('distance > 0', run.retrained!.closeness.distance2.sign() > 0);
      expectHolds(claimL3(run, geometry(g.data, r, run.ctx.G)));
    },
  );

  test.prop(
    [arbRademacher({ nMin: 2, nMax: 2, dMin: 8, dMax: 64 }).filter((g) => nearlyOrthogonal(geometry(g.data)))],
    params(200),
  )('tight at n = 2 with equal norms: distance² equals the bound', (g) => {
    const run = linearRun(g.data, [0]);
    const bound = claimL3(run, geometry(g.data, 0, run.ctx.G)).find((c) => c.relation === '<=')!;
    expect(bound.measured.eq(bound.bound)).toBe(true);
  });

  test.prop([arbHadamard({ nMin: 2, nMax: 6, flipsMax: 0 }), fc.nat()], params(200))(
    'corollary: x_r orthogonal to the rest gives w~ = w*_R and ε = δ = τ = 0',
    (g, rs) => {
      const r = rs % g.data.x.length;
      const run = linearRun(g.data, [r]);
      expect(run.retrained!.closeness.distance2.isZero()).toBe(true);
      expect(run.ga.params.vectors()[0]!.equals(run.retrained!.params.vectors()[0]!)).toBe(true);
      for (const q of [run.after.epsilon2, run.after.delta, run.after.tau]) expect(q.isZero()).toBe(true);
    },
  );

  test('live twin: without NO the exact distance formula of L3 fails', () => {
    const ce = liveTwin(
      'L3.no-assumption',
      'L3',
      'distance² = λ_r² gᵀ G_R⁻¹ g and its bound, without assumption NO',
      arbIntMatrix({ nMin: 2, nMax: 4, dMax: 3 }).map((g) => g.params),
      ({ x, y }) => {
        const data = intData(x, y);
        const geom = geometry(data, 0);
        const denom = geom.R2min.sub(Rational.of(x.length - 2).mul(geom.phi));
        if (denom.sign() <= 0) return true; // the bound is not even defined there
        try {
          const run = linearRun(data, [0]);
          return claimL3(run, geom).every((c) => c.holds);
        } catch (e) {
          if (e instanceof NotSeparableError || (e instanceof Error && e.message === 'G_R is singular')) return true;
          throw e;
        }
      },
    );
    expect(nearlyOrthogonal(geometry(intData(ce.x, ce.y)))).toBe(false);
  });
});
