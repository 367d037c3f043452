// The two-layer network with the output layer trained too (docs/THEORY-extensions.md V0):
// θ = (W, v), N(x; θ) = Σ_j v_j σ(<w_j, x>), 2-homogeneous. Kept internal (not a case@1
// model kind): W is a Params under the relu2 model with the CURRENT v, because the
// W-block of the gradient, v_j s x, is exactly relu2's; the v-block, σ(<w_j, x>), is the
// certificate's extra block (src/kkt/certificateV.ts). Its certificate is kkt/certificateV.ts,
// its GA step unlearn/gaV.ts.
import { Rational } from '../exact/rational.ts';
import type { Dataset } from '../data/dataset.ts';
import { marginsOf } from './model.ts';
import type { Params } from './params.ts';

export interface Relu2V {
  W: Params;
  v: Rational[];
}

/** σ(p) = max(p, 0) */
export const relu = (p: Rational): Rational => (p.sign() > 0 ? p : Rational.ZERO);

export function marginsV(theta: Relu2V, y: Dataset['y']): Rational[] {
  return marginsOf({ kind: 'relu2', v: theta.v }, theta.W.pre, y);
}

/** ||θ||² = ||W||² + ||v||² */
export function normSquaredV(theta: Relu2V): Rational {
  return theta.v.reduce((s, vj) => s.add(vj.mul(vj)), theta.W.normSquared);
}
