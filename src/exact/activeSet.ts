// A fast exact route to the LCP  w = M z + q >= 0, z >= 0, z·w = 0  (src/exact/lcp.ts):
// guess the complementary basis with a float64 Lemke run, then solve for that basis
// exactly and verify every sign exactly. Floats only propose the basis (ARCHITECTURE.md:
// floats may seed, never decide); a verified basis IS an exact LCP solution, and a wrong
// guess returns null so the caller runs exact Lemke. Used by solveQP only when the QP's
// minimizer is unique (H nonsingular), so the answer is the one Lemke would give.
import { Rational, lcm } from './rational.ts';
import { scaledRows, solveInteger } from './pivot.ts';
import { overDen } from './vec.ts';
import { claim } from './wasm.ts';
import { floatSolve } from './floatSolve.ts';

/** The z-basic set of a float Lemke run (no lexicographic rule: a guess), or null. */
function floatLemkeBasis(M: readonly (readonly number[])[], q: readonly number[]): boolean[] | null {
  const n = q.length;
  if (q.every((v) => v >= 0)) return new Array<boolean>(n).fill(false);
  // Rows: w_i - M_i z - z0 = q_i. Columns: w 0..n-1, z n..2n-1, z0 2n, rhs 2n+1.
  const Z0 = 2 * n;
  const W = 2 * n + 2;
  const { k: kernels, at, f64 } = claim([8 * n * W]); // the tableau, pivoted in src/exact/kernels/eliminate.wat
  const T = f64.subarray(at[0] / 8, at[0] / 8 + n * W);
  T.fill(0);
  let scale = 0;
  for (let i = 0; i < n; i++) {
    T[i * W + i] = 1;
    for (let k = 0; k < n; k++) {
      T[i * W + n + k] = -M[i]![k]!;
      scale = Math.max(scale, Math.abs(M[i]![k]!));
    }
    T[i * W + Z0] = -1;
    T[i * W + W - 1] = q[i]!;
  }
  // Degenerate problems (ties in the ratio test) make plain Lemke cycle; a tiny distinct shift
  // of q breaks the ties (the guess is verified exactly, so a shift can only cost a retry).
  let qScale = 0;
  for (let i = 0; i < n; i++) qScale = Math.max(qScale, Math.abs(q[i]!));
  for (let i = 0; i < n; i++) T[i * W + W - 1] = T[i * W + W - 1]! + 1e-9 * qScale * ((i + 1) / n);
  const tol = 1e-11 * Math.max(1, scale);
  const basic = Array.from({ length: n }, (_, i) => i);
  const pivot = (r: number, c: number) => kernels.lemkePivot(at[0], n, W, r, c);
  let r = 0;
  for (let i = 1; i < n; i++) if (q[i]! < q[r]!) r = i;
  pivot(r, Z0);
  let leaving = basic[r]!;
  basic[r] = Z0;
  for (let it = 0; it < 50 * (n + 1); it++) {
    const entering = leaving < n ? leaving + n : leaving - n;
    let best = -1;
    let ratio = Infinity;
    for (let i = 0; i < n; i++) {
      const a = T[i * W + entering]!;
      if (a <= tol) continue;
      const t = Math.max(0, T[i * W + W - 1]!) / a;
      // ties: let z0 leave (ends the run)
      const eps = 1e-12 * Math.max(1, t);
      if (best < 0 || t < ratio - eps || (t <= ratio + eps && basic[i] === Z0)) {
        ratio = t;
        best = i;
      }
    }
    if (best < 0) return null;
    pivot(best, entering);
    leaving = basic[best]!;
    basic[best] = entering;
    if (leaving === Z0) {
      const zBasic = new Array<boolean>(n).fill(false);
      for (const v of basic) if (v >= n && v < Z0) zBasic[v - n] = true;
      return zBasic;
    }
  }
  return null;
}

/**
 * The LCP solution for the guessed basis, verified exactly, or null.
 * Rows of M are scaled to integers (L_k > 0) and q brought to one denominator D, so
 * w_k L_k D = Σ_j Mi_kj y_j + qi_k with z = y / D: every sign test is a BigInt sum.
 */
export function lcpByGuess(M: readonly (readonly Rational[])[], q: readonly Rational[]): Rational[] | null {
  const Mf = M.map((row) => row.map((v) => v.toNumber()));
  const qf = q.map((v) => v.toNumber());
  // every z basic first (d >> n: every point a support vector): one float solve, not a Lemke run
  if (allActive(Mf, qf)) {
    const z = lcpOnBasis(M, q, new Array<boolean>(q.length).fill(true));
    if (z) return z;
  }
  const zBasic = floatLemkeBasis(Mf, qf);
  return zBasic ? lcpOnBasis(M, q, zBasic) : null;
}

/**
 * Does M z = -q (every w = 0) have a float solution with every z clearly positive? Gaussian
 * elimination with partial pivoting, O(n³/3) (src/exact/kernels/eliminate.wat floatSolve); a guess
 * only (lcpOnBasis decides exactly).
 */
export function allActive(M: readonly ArrayLike<number>[], q: readonly number[]): boolean {
  const z = floatSolve(
    M,
    q.map((v) => -v),
  )?.z;
  if (!z) return false;
  let zMax = 0;
  for (const v of z) zMax = Math.max(zMax, Math.abs(v));
  return z.every((v) => v > 1e-9 * zMax);
}

/** The complementary solution with z_k basic exactly where zBasic[k], if it is one (exact). */
export function lcpOnBasis(
  M: readonly (readonly Rational[])[],
  q: readonly Rational[],
  zBasic: readonly boolean[],
): Rational[] | null {
  const n = q.length;
  const { A: Mi, L } = scaledRows(M);
  const ql = q.map((v, k) => Rational.of(v.num * L[k]!, v.den));
  let D = 1n;
  for (const v of ql) if (D % v.den !== 0n) D = lcm(D, v.den);
  const qi = ql.map((v) => v.num * (D / v.den));
  const B = zBasic.flatMap((b, i) => (b ? [i] : []));
  // Mi_BB y = -qi_B  (z_B = y / D)
  const sol = solveInteger(
    B.map((k) => B.map((j) => Mi[k]![j]!)),
    B.map((k) => -qi[k]!),
  );
  if (!sol) return null;
  if (sol.num.some((v) => v < 0n)) return null; // z_B < 0
  for (let k = 0; k < n; k++) {
    if (zBasic[k]) continue;
    let s = qi[k]! * sol.den;
    B.forEach((j, a) => (s += Mi[k]![j]! * sol.num[a]!));
    if (s < 0n) return null; // w_k < 0
  }
  const z = new Array<Rational>(n).fill(Rational.ZERO);
  const den = sol.den * D;
  const zB = overDen(sol.num, den);
  B.forEach((j, a) => (z[j] = zB[a]!));
  return z;
}
