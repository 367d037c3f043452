// L1 (THEORY.md section 4): under NO every point is a support vector, every margin is
// exactly 1, and (1-2ρ)/((1-ρ)||x_i||²) <= λ_i <= 1/((1-ρ)||x_i||²).
import { describe, expect } from 'vitest';
import { test } from '@fast-check/vitest';
import { arbIntMatrix, arbNearlyOrthogonal } from '../src/data/arbitraries.ts';
import { geometry, nearlyOrthogonal } from '../src/data/geometry.ts';
import { maxMargin } from '../src/kkt/maxMargin.ts';
import { contextOf } from '../src/unlearn/pipeline.ts';
import { claimL1 } from '../src/claims/linear.ts';
import { NotSeparableError } from '../src/errors.ts';
import { expectHolds, intData, liveTwin, params, tally } from './support.ts';

const linear = { kind: 'linear' } as const;

describe('L1: structure of the max-margin solution', () => {
  const stat = tally('L1');
  test.prop([arbNearlyOrthogonal({ nMax: 6 })], params(200))(
    'under NO: λ_i > 0 within its interval, margins exactly 1',
    (g) => {
      const ctx = contextOf(linear, g.data);
      const all = g.data.x.map((_, i) => i);
      const geom = geometry(g.data, undefined, ctx.G);
      stat('run');
      stat('phi > 0', geom.phi.sign() > 0);
      stat('n >= 4', all.length >= 4);
      expectHolds(claimL1(ctx, maxMargin(ctx, all), geom));
    },
  );

  test('live twin: with ρ >= 1/2 a support vector drops out', () => {
    const ce = liveTwin(
      'L1.support-vectors',
      'L1',
      'every λ_i > 0 (all points are support vectors) without assumption NO',
      arbIntMatrix({ nMin: 2, nMax: 4, dMax: 4 }).map((g) => g.params),
      ({ x, y }) => {
        const data = intData(x, y);
        const ctx = contextOf(linear, data);
        try {
          return maxMargin(
            ctx,
            x.map((_, i) => i),
          ).lambda.every((l) => l.sign() > 0);
        } catch (e) {
          if (e instanceof NotSeparableError) return true; // not separable: outside L1 altogether
          throw e;
        }
      },
    );
    expect(ce.x.length).toBeLessThanOrEqual(4);
    expect(nearlyOrthogonal(geometry(intData(ce.x, ce.y)))).toBe(false);
  });
});
