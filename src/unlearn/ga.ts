// One gradient-ascent step on the forget set (THEORY.md D3, T2):
//   θ~_j = θ_j - Σ_{r in F} c_r y_r v_j g_jr x_r
// with effective step c_r = κ λ_r (proper scaling at κ = 1) or c_r = -β ℓ'(q_r(θ)), and
// g_jr the gradient the implementation uses: 1 on active units, 0 on inactive ones, and at
// a kink 0 (autodiff) or the certificate's Clarke choice s_jr (clarke). Linear: g = v = 1.
import { Rational } from '../exact/rational.ts';
import { type Enclosure, lossDerivativeEnclosure, midpoint } from '../exact/enclosure.ts';
import { activation, marginsOf, outWeight } from '../models/model.ts';
import type { Params } from '../models/params.ts';
import type { Certificate, Context } from '../kkt/certificate.ts';
import { DEFAULTS } from '../defaults.ts';

export type Loss = 'logistic' | 'exponential';
export type Step = { kind: 'kappa'; kappa: Rational } | { kind: 'beta'; beta: Rational; loss: Loss };
export type Gradient = 'autodiff' | 'clarke';

export interface GAStep {
  params: Params;
  /** effective step c_r per forgotten point (same order as `forget`) */
  c: Rational[];
  /** for β steps: the validated enclosure of each c_r; c_r is its midpoint */
  cEnclosure?: Enclosure[];
  /** g_jr per forgotten point: the gradient choice used on each block */
  g: Rational[][];
}

/**
 * `before` is the certificate of θ w.r.t. all n points (its λ and Clarke choices).
 * All c_r are evaluated at θ: one batch step.
 */
export function gaStep(
  ctx: Context,
  params: Params,
  forget: readonly number[],
  step: Step,
  before: Certificate,
  gradient: Gradient = 'autodiff',
): GAStep {
  const n = ctx.data.x.length;
  const m = params.blocks;
  const margins = marginsOf(ctx.model, params.pre, ctx.data.y);
  let cEnclosure: Enclosure[] | undefined;
  let c: Rational[];
  if (step.kind === 'kappa') {
    c = forget.map((r) => step.kappa.mul(before.lambda[r]!));
  } else {
    cEnclosure = forget.map((r) => {
      const e = lossDerivativeEnclosure(step.loss, margins[r]!, DEFAULTS.stepDigits); // far below any tolerance a verdict uses
      return { lo: e.lo.mul(step.beta), hi: e.hi.mul(step.beta) };
    });
    c = cEnclosure.map(midpoint);
  }
  const g = forget.map((r) =>
    Array.from({ length: m }, (_, j) => {
      const a = activation(ctx.model, params.pre[j]![r]!);
      if (a === 'on') return Rational.ONE;
      if (a === 'off' || gradient === 'autodiff') return Rational.ZERO;
      return before.kinks.find((k) => k.block === j && k.point === r)?.s ?? Rational.ZERO;
    }),
  );
  const coef = Array.from({ length: m }, (_, j) => {
    const row = new Array<Rational>(n).fill(Rational.ZERO);
    forget.forEach((r, a) => {
      const yr = Rational.of(-ctx.data.y[r]!);
      row[r] = row[r]!.add(c[a]!.mul(yr).mul(outWeight(ctx.model, j)).mul(g[a]![j]!));
    });
    return row;
  });
  return { params: params.plus(coef, ctx.data, ctx.G), c, cEnclosure, g };
}
