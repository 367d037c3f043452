// D3 for the two-layer network with a trained output layer, θ = (W, v)
// (docs/THEORY-extensions.md V0): relu2's GA step on W plus the step ν on v.
import { Rational } from '../exact/rational.ts';
import type { Dataset } from '../data/dataset.ts';
import type { Certificate } from '../kkt/certificate.ts';
import { type Relu2V, relu } from '../models/relu2v.ts';
import { contextV } from '../kkt/certificateV.ts';
import { type Gradient, type Step, gaStep } from './ga.ts';

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
export function gaStepV(
  data: Dataset,
  G: readonly (readonly Rational[])[],
  theta: Relu2V,
  forget: readonly number[],
  step: Step,
  before: Certificate,
  gradient: Gradient = 'autodiff',
): GAStepV {
  const ga = gaStep(contextV(data, G, theta.v), theta.W, forget, step, before, gradient);
  const nu = theta.v.map((_, j) =>
    forget.reduce(
      (s, r, a) => s.sub(ga.c[a]!.mul(Rational.of(data.y[r]!)).mul(relu(theta.W.pre[j]![r]!))),
      Rational.ZERO,
    ),
  );
  return { theta: { W: ga.params, v: theta.v.map((vj, j) => vj.add(nu[j]!)) }, c: ga.c, g: ga.g, nu };
}
