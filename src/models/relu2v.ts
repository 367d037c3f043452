// The two-layer network with the output layer trained too (docs/THEORY-extensions.md V0):
// θ = (W, v), N(x; θ) = Σ_j v_j σ(<w_j, x>), 2-homogeneous. Kept internal (not a case@1
// model kind): W is a Params under the relu2 model with the CURRENT v, because the
// W-block of the gradient, v_j s x, is exactly relu2's; the v-block, σ(<w_j, x>), is the
// certificate's extra block (src/kkt/certificate.ts ExtraBlock).
import { Rational } from '../exact/rational.ts';
import type { Dataset } from '../data/dataset.ts';
import { InputError } from '../errors.ts';
import { type Certificate, type CertifyOptions, type Context, type ExtraBlock, certify } from '../kkt/certificate.ts';
import { type Gradient, type Step, gaStep } from '../unlearn/ga.ts';
import { type Model, marginsOf } from './model.ts';
import type { Params } from './params.ts';

export interface Relu2V {
  W: Params;
  v: Rational[];
}

const relu = (p: Rational): Rational => (p.sign() > 0 ? p : Rational.ZERO);

/** The relu2 context with output weights v (the W-block of θ = (W, v)). */
export function contextV(data: Dataset, G: readonly (readonly Rational[])[], v: readonly Rational[]): Context {
  const model: Model = { kind: 'relu2', v };
  return { model, data, G };
}

/** The v-block: θ's values v and each point's gradient there, σ(<w_j, x_i>). */
export function extraOf(theta: Relu2V): ExtraBlock {
  const n = theta.W.pre[0]?.length ?? 0;
  return { theta: theta.v, gradient: Array.from({ length: n }, (_, i) => theta.W.pre.map((row) => relu(row[i]!))) };
}

export function marginsV(theta: Relu2V, y: Dataset['y']): Rational[] {
  return marginsOf({ kind: 'relu2', v: theta.v }, theta.W.pre, y);
}

/** ||θ||² = ||W||² + ||v||² */
export function normSquaredV(theta: Relu2V): Rational {
  return theta.v.reduce((s, vj) => s.add(vj.mul(vj)), theta.W.normSquared);
}

/** The D2 certificate of θ = (W, v) w.r.t. `points` (optimal, or inherited with opts.lambda). */
export function certifyV(data: Dataset, G: readonly (readonly Rational[])[], theta: Relu2V, points: readonly number[], opts: Omit<CertifyOptions, 'extra'> = {}): Certificate {
  if (theta.v.length !== theta.W.blocks) throw new InputError(`relu2v: v has ${theta.v.length} entries, W has ${theta.W.blocks} rows`);
  return certify(contextV(data, G, theta.v), theta.W, points, { ...opts, extra: extraOf(theta) });
}

export interface GAStepV {
  theta: Relu2V;
  c: Rational[];
  /** g_jr per forgotten point (as in GAStep) */
  g: Rational[][];
  /** ν_j = v~_j - v_j = -Σ_{r in F} c_r y_r σ(<w_j, x_r>) */
  nu: Rational[];
}

/**
 * D3 for θ = (W, v): θ~ = θ - Σ_{r in F} c_r y_r h_r with h_r = ((v_j g_jr x_r)_j, (σ(<w_j,x_r>))_j),
 * everything evaluated at θ (one batch step). `before` is θ's certificate w.r.t. all points.
 */
export function gaStepV(data: Dataset, G: readonly (readonly Rational[])[], theta: Relu2V, forget: readonly number[], step: Step, before: Certificate, gradient: Gradient = 'autodiff'): GAStepV {
  const ga = gaStep(contextV(data, G, theta.v), theta.W, forget, step, before, gradient);
  const nu = theta.v.map((_, j) =>
    forget.reduce((s, r, a) => s.sub(ga.c[a]!.mul(Rational.of(data.y[r]!)).mul(relu(theta.W.pre[j]![r]!))), Rational.ZERO),
  );
  return { theta: { W: ga.params, v: theta.v.map((vj, j) => vj.add(nu[j]!)) }, c: ga.c, g: ga.g, nu };
}
