// The max-margin problem P(S') for the linear model (THEORY.md D1, L1):
//   minimize ½||w||² subject to y_i <w, x_i> >= 1 (i in S'),
// solved through its dual, the LCP  Gλ - 1 >= 0, λ >= 0, λ·(Gλ - 1) = 0 with the signed
// Gram G_ik = y_i y_k <x_i, x_k>; then w = Σ λ_i y_i x_i. Exact for any separable data
// (support vectors may drop out); Lemke's ray termination proves non-separability.
import { Rational } from '../exact/rational.ts';
import { anyMinimizer, leastNorm, optimalFace } from '../exact/qp.ts';
import { leastNormMinimizer } from '../exact/face.ts';
import { InputError, NotSeparableError } from '../errors.ts';
import { Params } from '../models/params.ts';
import { commonDenominator, matVec, noteProduct } from '../exact/vec.ts';
import { type Context, signedGram } from './certificate.ts';

export interface MaxMargin {
  /** λ_i for i in S' (in the order given), from the dual LCP */
  lambda: Rational[];
  params: Params;
  /** θ = Σ_i coef[0][i] x_i with coef = λ_i y_i on S', 0 elsewhere */
  coef: Rational[][];
}

export { signedGram };

export function maxMargin(ctx: Context, points: readonly number[]): MaxMargin {
  if (ctx.model.kind !== 'linear')
    throw new InputError('the max-margin solver is for linear models; relu2 needs theta');
  const Gs = signedGram(ctx, points);
  const f = points.map(() => Rational.ONE.neg());
  // The dual LCP (Gs λ - 1 >= 0, λ >= 0, complementary) is solveQP's LCP with H = Gs and no
  // constraints: the same problem; any exact minimizer will do, the face makes λ canonical.
  const res = anyMinimizer({ H: Gs, f });
  if (res.kind === 'infeasible') {
    throw new NotSeparableError(
      `the data${points.length < ctx.data.x.length ? ' (retained points)' : ''} is not separable through the origin: no w has y_i <w, x_i> >= 1 for all i`,
    );
  }
  // λ is unique unless G is singular; then take the least-norm one (canonical).
  return solutionOf(ctx, points, leastNormMinimizer(Gs, f, res.z) ?? leastNormOnFace(Gs, f, res.z));
}

/**
 * The max-margin solution with dual λ (an exact minimizer) on `points`: w = Σ λ_i y_i x_i.
 * Its products come with the dual: y_i <w, x_i> = 1 wherever λ_i > 0 (complementarity) and
 * ||w||² = λᵀ Gs λ = Σ λ_i, so only the other points' pre-activations are formed (their rows
 * of G), and Gs λ is handed to matVec for the certificate's hint check. `shared`: λ as
 * ints / den (unreduced, den > 0), when the caller's solve gave it so.
 */
export function solutionOf(
  ctx: Context,
  points: readonly number[],
  lambda: Rational[],
  shared?: { readonly ints: readonly bigint[]; readonly den: bigint },
): MaxMargin {
  const { x, y } = ctx.data;
  const coef = coefOf(ctx, points, lambda);
  const onSupport = new Array<boolean>(x.length).fill(false);
  points.forEach((i, a) => (onSupport[i] = lambda[a]!.sign() > 0));
  const rest = x.map((_, i) => i).filter((i) => !onSupport[i]);
  const formed = rest.length ? matVec(ctx.G, coef, rest) : [];
  const pre = y.map((yi) => (yi === 1 ? Rational.ONE : Rational.MINUS_ONE));
  rest.forEach((i, k) => (pre[i] = formed[k]!));
  // ||w||² = Σ λ_i, on the solve's own denominator when the caller has it (λ_i = num_i / den)
  const { ints, den } = shared ?? commonDenominator(lambda);
  const norm2 = Rational.of(
    ints.reduce((s, v) => s + v, 0n),
    den,
  );
  noteProduct(
    signedGram(ctx, points),
    lambda,
    points.map((i) => (y[i] === 1 ? pre[i]! : pre[i]!.neg())),
  );
  return { lambda, params: Params.withKnown([coef], ctx.data, [pre], [norm2]), coef: [coef] };
}

/** w's coefficients on the data points: λ_i y_i on `points`, 0 elsewhere. */
function coefOf(ctx: Context, points: readonly number[], lambda: readonly Rational[]): Rational[] {
  const coef = new Array<Rational>(ctx.data.x.length).fill(Rational.ZERO);
  points.forEach((i, a) => (coef[i] = ctx.data.y[i] === 1 ? lambda[a]! : lambda[a]!.neg()));
  return coef;
}

/** The least-norm minimizer through the full optimal face (when the reduced one is inconclusive). */
function leastNormOnFace(Gs: Rational[][], f: Rational[], z: Rational[]): Rational[] {
  const face = optimalFace(Gs, f, z);
  return face.A.length ? leastNorm(z.length, face.A, face.b) : z;
}
