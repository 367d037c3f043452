// The two positively homogeneous models of THEORY.md section 1, seen through their
// pre-activations P[j][i] = <θ_j, x_i>: linear is one block with identity output,
// relu2 is m blocks with ReLU and fixed output weights v.
import { Rational } from '../exact/rational.ts';
import type { Label } from '../data/dataset.ts';

export type Model = { kind: 'linear' } | { kind: 'relu2'; v: readonly Rational[] };

/** Number of parameter blocks θ_j (rows of W; 1 for linear). */
/** Output weights v_j = +1, -1, +1, ... (m units of alternating sign). */
export function alternatingSigns(m: number): Rational[] {
  return Array.from({ length: m }, (_, j) => (j % 2 ? Rational.ONE.neg() : Rational.ONE));
}

export function blocksOf(model: Model): number {
  return model.kind === 'linear' ? 1 : model.v.length;
}

/** Output weight of block j (1 for linear). */
export function outWeight(model: Model, j: number): Rational {
  return model.kind === 'linear' ? Rational.ONE : model.v[j]!;
}

/**
 * Activation state of block j on a point: 'on' (gradient x), 'off' (gradient 0) or
 * 'kink' (<w_j,x> = 0 exactly: Clarke choice s in [0,1]). Linear blocks are always on.
 */
export type Activation = 'on' | 'off' | 'kink';

export function activation(model: Model, p: Rational): Activation {
  if (model.kind === 'linear') return 'on';
  const s = p.sign();
  return s > 0 ? 'on' : s < 0 ? 'off' : 'kink';
}

/** N(x_i; θ) from the pre-activations of point i. */
export function outputOf(model: Model, pre: readonly (readonly Rational[])[], i: number): Rational {
  if (model.kind === 'linear') return pre[0]![i]!;
  let s = Rational.ZERO;
  model.v.forEach((vj, j) => {
    const p = pre[j]![i]!;
    if (p.sign() > 0) s = s.add(vj.mul(p));
  });
  return s;
}

/** Margins q_i = y_i N(x_i; θ). */
export function marginsOf(model: Model, pre: readonly (readonly Rational[])[], y: readonly Label[]): Rational[] {
  return y.map((yi, i) => (yi === 1 ? outputOf(model, pre, i) : outputOf(model, pre, i).neg()));
}

/** τ(θ) = max(0, max_i (1 - q_i)) over the given margins (THEORY.md D2). */
export function tauOf(margins: readonly Rational[]): Rational {
  // = 1 - min q over the margins below 1 (q < 1 read off num < den): one subtraction
  let low: Rational | null = null;
  for (const q of margins) if (q.num < q.den && (low === null || q.lt(low))) low = q;
  return low ? Rational.ONE.sub(low) : Rational.ZERO;
}
