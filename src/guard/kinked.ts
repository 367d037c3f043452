// relu2 cases with exact kinks that floats cannot land on (the fuzz family relu2/kinked).
//
// Two positive points a, b with <a,b> < 0 and one negative point e orthogonal to both
// (in their own coordinates, before rotation). Units (v_0, v_1 > 0, v_2 < 0):
//   w_0 = v_0 (λ_a a + μ b)   active on a, a KINK on b with Clarke choice s = μ/λ_b
//   w_1 = v_1 (λ_a a + λ_b b) active on a and b
//   w_2 = -v_2 λ_e e          active on e, kinks on a and b (non-orthogonal)
// <w_0,b> = 0 gives μ = -λ_a <a,b>/||b||² > 0; q_a = q_b = 1 is a 2x2 system in (λ_a, λ_b),
// λ_e = 1/(v_2² ||e||²). The point is an exact KKT point (T1) with a unique certificate
// when the signs check out (else null: the fuzzer skips it) and 0 < s < 1.
// Everything is then rotated by a rational orthogonal Q (Cayley transform of a random skew
// matrix): Gram matrix and pre-activations are unchanged, but the entries become
// non-dyadic rationals (thirds times Cayley denominators), so no binary64 computation
// lands on the kinks exactly.
import { Rational } from '../exact/rational.ts';
import { ScaledVec } from '../exact/vec.ts';
import { solve } from '../exact/pivot.ts';
import { Rng } from '../data/random.ts';

export interface KinkedParams {
  seed: number;
  /** coordinates of the positive block (2..4); d = k + 2 */
  k: number;
  /** v_0 = 2^vExp; v_1 = 1; v_2 = -(1 + third/3) */
  vExp: number;
  third: 0 | 1;
}

export interface KinkedCase {
  v: Rational[];
  x: ScaledVec[];
  y: (1 | -1)[];
  theta: ScaledVec[];
  /** the Clarke choice of unit 0 on x_1 (interior) */
  s: Rational;
}

const Q3 = (n: number) => Rational.of(n, 3);

/** Q = (I - S)(I + S)^{-1} for a skew S: orthogonal and rational. */
function cayley(rng: Rng, d: number): Rational[][] {
  const S: Rational[][] = Array.from({ length: d }, () => new Array<Rational>(d).fill(Rational.ZERO));
  for (let i = 0; i < d; i++) {
    for (let k = i + 1; k < d; k++) {
      const s = Rational.of(rng.nextInt(-2, 2), 2 + rng.nextInt(0, 1));
      S[i]![k] = s;
      S[k]![i] = s.neg();
    }
  }
  const I = (i: number, k: number) => (i === k ? Rational.ONE : Rational.ZERO);
  const plus = S.map((row, i) => row.map((s, k) => I(i, k).add(s)));
  const minus = S.map((row, i) => row.map((s, k) => I(i, k).sub(s)));
  // Q = minus · plus^{-1}: row t of Q solves plusᵀ q_t = minus_t (I + S is invertible for skew S)
  const plusT = plus.map((_, i) => plus.map((row) => row[i]!));
  return minus.map((row) => solve(plusT, row)!);
}

const apply = (Q: Rational[][], v: Rational[]) =>
  ScaledVec.fromRationals(Q.map((row) => row.reduce((s, q, t) => s.add(q.mul(v[t]!)), Rational.ZERO)));

export function kinkedCase(p: KinkedParams): KinkedCase | null {
  const rng = new Rng(p.seed);
  const k = p.k;
  const d = k + 2;
  const ints = (len: number) => Array.from({ length: len }, () => Q3(rng.nextInt(-3, 3)));
  const a0 = ints(k);
  let b0 = ints(k);
  const e0 = ints(2);
  const dot = (u: Rational[], w: Rational[]) => u.reduce((s, ut, t) => s.add(ut.mul(w[t]!)), Rational.ZERO);
  let g = dot(a0, b0);
  if (g.isZero() || e0.every((t) => t.isZero())) return null;
  if (g.sign() > 0) {
    b0 = b0.map((t) => t.neg());
    g = g.neg();
  }
  const A = dot(a0, a0);
  const B = dot(b0, b0);
  if (A.mul(B).le(g.mul(g))) return null; // a, b dependent
  const v0 = Rational.of(2).pow(p.vExp);
  const v1 = Rational.ONE;
  const v2 = Rational.ONE.add(Rational.of(p.third, 3)).neg();
  const v02 = v0.mul(v0);
  const v12 = v1.mul(v1);
  // q_a = v0² λ_a (A - g²/B) + v1² (λ_a A + λ_b g) = 1,  q_b = v1² (λ_a g + λ_b B) = 1
  const sol = solve(
    [
      [v02.mul(A.sub(g.mul(g).div(B))).add(v12.mul(A)), v12.mul(g)],
      [v12.mul(g), v12.mul(B)],
    ],
    [Rational.ONE, Rational.ONE],
  );
  if (!sol) return null;
  const [la, lb] = sol as [Rational, Rational];
  if (la.sign() <= 0 || lb.sign() <= 0) return null;
  const mu = la.mul(g).div(B).neg();
  const s = mu.div(lb);
  if (!s.lt(Rational.ONE)) return null;
  // <w_1, a>, <w_1, b> > 0 (w_1 active on both)
  if (la.mul(A).add(lb.mul(g)).sign() <= 0 || la.mul(g).add(lb.mul(B)).sign() <= 0) return null;
  const le = Rational.ONE.div(v2.mul(v2).mul(dot(e0, e0)));
  const pad = (u: Rational[], at: 'pos' | 'neg') =>
    at === 'pos' ? [...u, Rational.ZERO, Rational.ZERO] : [...new Array<Rational>(k).fill(Rational.ZERO), ...u];
  const a = pad(a0, 'pos');
  const b = pad(b0, 'pos');
  const e = pad(e0, 'neg');
  const comb = (c: [Rational, Rational[]][]) =>
    a.map((_, t) => c.reduce((acc, [q, u]) => acc.add(q.mul(u[t]!)), Rational.ZERO));
  const W = [
    comb([
      [v0.mul(la), a],
      [v0.mul(mu), b],
    ]),
    comb([
      [v1.mul(la), a],
      [v1.mul(lb), b],
    ]),
    comb([[v2.neg().mul(le), e]]),
  ];
  const Q = cayley(rng, d);
  return { v: [v0, v1, v2], x: [a, b, e].map((u) => apply(Q, u)), y: [1, 1, -1], theta: W.map((w) => apply(Q, w)), s };
}
