// The data of the boundary map: L1 over a grid of n and flips that crosses ρ = 1/2, inside
// NO the whole claim, outside it the conclusion "every λ_i > 0" alone.
import type { Rational } from '../../exact/rational.ts';
import { hadamardFlips } from '../../data/generators.ts';
import { geometry, nearlyOrthogonal } from '../../data/geometry.ts';
import { maxMargin } from '../../kkt/maxMargin.ts';
import { NotSeparableError } from '../../errors.ts';
import { contextOf } from '../../unlearn/pipeline.ts';
import { claimL1 } from '../../claims/linear.ts';
import { DEFAULTS } from '../../defaults.ts';

export const VERDICTS = [
  'NO holds, L1 holds',
  'NO holds, L1 refuted',
  'NO fails, every λ_i > 0 anyway',
  'NO fails, a support vector drops out (some λ_i = 0)',
  'NO fails, not separable',
] as const;
export type BoundaryVerdict = (typeof VERDICTS)[number];

export interface BoundaryPoint {
  n: number;
  rho: Rational;
  verdict: BoundaryVerdict;
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
        const data = hadamardFlips({ n, d, flips, seed: seed * DEFAULTS.seedStride + (n * (flipsMax + 1) + flips) * seeds + k });
        const g = geometry(data);
        const ctx = contextOf({ kind: 'linear' }, data);
        let mm;
        try {
          mm = maxMargin(ctx, data.x.map((_, i) => i));
        } catch (e) {
          if (!(e instanceof NotSeparableError)) throw e;
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
