// Lemke's complementary pivoting for the LCP  w = M z + q,  w, z >= 0,  w.z = 0,
// on an integer tableau with fraction-free pivots and the lexicographic rule
// (finite termination, no cycling). For positive semidefinite M (every QP here)
// ray termination proves the LCP infeasible (Cottle, Pang & Stone, Thm 4.4.13).
import { Rational, lcm } from './rational.ts';
import { pivotInPlace } from './pivot.ts';

export type LcpResult = { kind: 'solved'; z: Rational[]; w: Rational[] } | { kind: 'infeasible' };

export function lemke(M: readonly (readonly Rational[])[], q: readonly Rational[]): LcpResult {
  const n = q.length;
  if (q.every((v) => v.sign() >= 0)) return { kind: 'solved', z: q.map(() => Rational.ZERO), w: q.slice() };

  // Row i scaled by s_i > 0 (w'_i = s_i w_i):  w'_i - s_i M_i z - s_i z0 = s_i q_i.
  // Columns: w' 0..n-1, z n..2n-1, z0 2n, rhs 2n+1. Covering vector s > 0.
  const Z0 = 2 * n;
  const RHS = 2 * n + 1;
  const T: bigint[][] = [];
  for (let i = 0; i < n; i++) {
    let s = q[i]!.den;
    for (const m of M[i]!) s = lcm(s, m.den);
    const row = new Array<bigint>(RHS + 1).fill(0n);
    row[i] = 1n;
    for (let k = 0; k < n; k++) row[n + k] = -M[i]![k]!.num * (s / M[i]![k]!.den);
    row[Z0] = -s;
    row[RHS] = q[i]!.num * (s / q[i]!.den);
    T.push(row);
  }
  const basic = Array.from({ length: n }, (_, i) => i);

  // Lexicographic minimum ratio over rows whose entering-column entry has the given sign.
  const leavingRow = (c: number, sign: 1 | -1): number => {
    let best = -1;
    for (let i = 0; i < n; i++) {
      const a = T[i]![c]! * BigInt(sign);
      if (a <= 0n) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const b = T[best]![c]! * BigInt(sign);
      // Ties: compare the rows of the current basis inverse (the w' columns) in order.
      for (let t = -1; t < n; t++) {
        const k = t < 0 ? RHS : t;
        const l = T[i]![k]! * b;
        const r = T[best]![k]! * a;
        if (l !== r) {
          if (l < r) best = i;
          break;
        }
      }
    }
    return best;
  };

  // First pivot: z0 enters at the row with the (lexicographically) most negative q.
  let r = leavingRow(Z0, -1);
  let det = pivotInPlace(T, r, Z0, 1n);
  if (det < 0n) {
    for (const row of T) for (let j = 0; j <= RHS; j++) row[j] = -row[j]!;
    det = -det;
  }
  let leaving = basic[r]!;
  basic[r] = Z0;
  const limit = 1000 * (n + 1) * (n + 1);
  for (let it = 0; it < limit; it++) {
    const entering = leaving < n ? leaving + n : leaving - n; // complement of what left
    r = leavingRow(entering, 1);
    if (r < 0) return { kind: 'infeasible' };
    det = pivotInPlace(T, r, entering, det);
    leaving = basic[r]!;
    basic[r] = entering;
    if (leaving === Z0) {
      const z = new Array<Rational>(n).fill(Rational.ZERO);
      const w = new Array<Rational>(n).fill(Rational.ZERO);
      basic.forEach((v, i) => {
        const val = Rational.of(T[i]![RHS]!, det);
        if (v < n) w[v] = val;
        else z[v - n] = val;
      });
      // w was scaled row-wise; recover it from M z + q (exact and independent of the scaling).
      for (let i = 0; i < n; i++) {
        let s = q[i]!;
        for (let k = 0; k < n; k++) if (!z[k]!.isZero()) s = s.add(M[i]![k]!.mul(z[k]!));
        w[i] = s;
      }
      return { kind: 'solved', z, w };
    }
  }
  throw new Error('Lemke: iteration limit reached (should be impossible with the lexicographic rule)');
}
