// P(S) and P(R), S every point and R = S \ {f}, from one factorization: the two max-margin
// duals of a case share it when every point of S is a support vector (the d >> n regime).
//
// With Gs the signed Gram on S, λ_S = Gs⁻¹ 1 and v = Gs⁻¹ e_f are lifted on one LU
// (dixonSolveMany). Then z = λ_S - (λ_f / v_f) v has z_f = 0 and (Gs z)_i = 1 for i ≠ f, so
// z_R solves Gs_RR z_R = 1_R: R's dual with every point active, which is R's LCP solution
// when z_R >= 0. v_f = det Gs_RR / det Gs (Cramer), so v_f ≠ 0 proves Gs_RR nonsingular and
// both λ are unique: the same as maxMargin on S and on R. Otherwise (a point off the
// support, |F| ≠ 1, v_f = 0, a negative z) null: the caller solves each on its own.
// Both solutions take their products from the duals (solutionOf), and the inherited λ_R's
// product Gs_RR λ_S,R = 1 - λ_f Gs_Rf is handed to matVec for the certificate after the step.
import { Rational, gcd } from '../exact/rational.ts';
import { noteProduct, overDen } from '../exact/vec.ts';
import { allActive } from '../exact/activeSet.ts';
import { dixonSolveMany, numbersOf } from '../exact/dixon.ts';
import { scaledRows } from '../exact/pivot.ts';
import { noteNonsingularSource } from '../exact/modular.ts';
import { type Context, signedGram } from './certificate.ts';
import { type MaxMargin, solutionOf } from './maxMargin.ts';

export function maxMarginPair(ctx: Context, forget: readonly number[]): { S: MaxMargin; R: MaxMargin } | null {
  const { x, y } = ctx.data;
  const n = x.length;
  const at = forget.length === 1 ? forget[0]! : -1;
  if (ctx.model.kind !== 'linear' || at < 0 || at >= n || n < 2) return null;
  const points = Array.from({ length: n }, (_, i) => i);
  const Gs = signedGram(ctx, points);
  // rows scaled to integers by their lcm L_k: Gs x = 1 is A x = L, Gs v = e_f is A v = L_f e_f
  const { A, L } = scaledRows(Gs);
  const Af = numbersOf(A); // A as doubles (each exact), for the float guess and Dixon both
  // a float guess first: the exact solves below are worth doing only if it says all active
  const M = Af ? points.map((i) => Af.subarray(i * n, (i + 1) * n)) : A.map((row) => row.map(Number));
  const minusL = L.map((l) => -Number(l));
  if (!allActive(M, minusL)) return null;
  const sols = dixonSolveMany(A, [L, L.map((l, k) => (k === at ? l : 0n))], Af);
  const [w, v] = sols ?? [];
  if (!w || !v || w.num.some((z) => z < 0n)) return null;
  const vf = v.num[at]!;
  if (vf === 0n) return null;
  // z = w/dw - (w_f/dw)/(v_f/dv) v/dv = (w v_f - w_f v) / (dw v_f)
  const wf = w.num[at]!;
  const sign = vf < 0n ? -1n : 1n;
  const Z = w.num.map((z, i) => sign * (z * vf - wf * v.num[i]!));
  if (Z.some((z) => z < 0n)) return null;
  // Z and D share a long factor (w_i v_f - w_f v_i is a 2 × 2 minor of the adjugate, det Gs
  // times a minor): it goes first, or no range of overDen's batched gcds would clear
  let D = sign * w.den * vf;
  let g = D; // shrinks to gcd(D, Z_0, ..., Z_{n-1}): a remainder test per entry, a gcd only when one fails
  for (let a = 0; a < n && g > 1n; a++) if (Z[a]! % g !== 0n) g = gcd(g, Z[a]!);
  if (g > 1n) {
    for (let a = 0; a < n; a++) Z[a] = Z[a]! / g;
    D /= g;
  }
  const retained = points.filter((i) => i !== at);
  const GsR = signedGram(ctx, retained);
  // v_f ≠ 0 proves Gs_RR nonsingular, Dixon's factorization Gs: later rank and face questions on either skip eliminating
  noteNonsingularSource(GsR);
  noteNonsingularSource(Gs);
  const lambdaS = overDen(w.num, w.den);
  const zR = Z.filter((_, i) => i !== at);
  const lambdaR = overDen(zR, D);
  // the inherited λ_R's product, for the certificate after the step (matVec):
  // Gs_RR (λ_S on R) = (Gs λ_S)_R - λ_f Gs_Rf = 1 - λ_f Gs_Rf
  // (λ_f reduced times an integer Gs_if: Rational's short gcd of Gs_if with λ_f's denominator)
  noteProduct(
    GsR,
    retained.map((i) => lambdaS[i]!),
    retained.map((i) => Rational.ONE.sub(lambdaS[at]!.mul(Gs[i]![at]!))),
  );
  return {
    S: solutionOf(ctx, points, lambdaS, { ints: w.num, den: w.den }),
    R: solutionOf(ctx, retained, lambdaR, { ints: zR, den: D }),
  };
}
