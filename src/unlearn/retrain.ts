// Retraining from scratch on the retained data, and the closeness of the unlearned model
// to it (THEORY.md L3, L4, T3): ||θ~ - θ*_R||² and the signed cos².
import { Rational } from '../exact/rational.ts';
import { matVec } from '../exact/vec.ts';
import type { Params } from '../models/params.ts';

/** <θ_a, θ_b> for two Params of the same dataset, θ_b being a combination of data points. */
export function innerWithCombination(a: Params, coefB: readonly (readonly Rational[])[]): Rational {
  // Σ_i cb_ji <θ_a,j, x_i> per block as one BigInt dot on shared denominators (matVec), not a gcd per term.
  return coefB.reduce((s, row, j) => s.add(matVec([a.pre[j]!], row)[0]!), Rational.ZERO);
}

export interface Closeness {
  distance2: Rational;
  /** cos²(θ~, θ*_R) carrying the sign of <θ~, θ*_R> */
  cos2: Rational;
}

/** ||a - b||² and signed cos² where b = Σ coefB[j][i] x_i (the retrained model). */
export function closeness(a: Params, b: Params, coefB: readonly (readonly Rational[])[]): Closeness {
  const ab = innerWithCombination(a, coefB);
  const aa = a.normSquared;
  const bb = b.normSquared;
  const distance2 = aa.sub(ab.mul(Rational.of(2))).add(bb);
  // ab |ab| / (aa bb) as one fraction: one reduction instead of one per product and quotient
  const cos2 =
    aa.isZero() || bb.isZero()
      ? Rational.ZERO
      : Rational.of(ab.num * (ab.num < 0n ? -ab.num : ab.num) * aa.den * bb.den, ab.den * ab.den * aa.num * bb.num);
  return { distance2, cos2 };
}
