// Integer (fraction-free) pivoting, Edmonds/Bareiss style: every entry of the tableau
// stays an integer minor of the starting tableau, so one exact division per entry and
// no gcds. Used by the linear solver (Gauss-Jordan) and by Lemke's algorithm.
import { Rational, lcm } from './rational.ts';

/**
 * Pivot the integer tableau T in place on (r, c). `det` is the previous pivot (1 at the
 * start). Returns the new one, T[r][c]. Every basic column ends with value T[r][c] in its row.
 */
export function pivotInPlace(T: bigint[][], r: number, c: number, det: bigint): bigint {
  const pr = T[r]!;
  const p = pr[c]!;
  const width = pr.length;
  for (let i = 0; i < T.length; i++) {
    if (i === r) continue;
    const row = T[i]!;
    const a = row[c]!;
    if (a === 0n) {
      if (p !== det) for (let j = 0; j < width; j++) row[j] = (row[j]! * p) / det;
      continue;
    }
    for (let j = 0; j < width; j++) row[j] = (row[j]! * p - a * pr[j]!) / det;
  }
  return p;
}

/** Multiply each row by the lcm of its denominators: an integer matrix with the same row space. */
export function integerRows(rows: readonly (readonly Rational[])[]): bigint[][] {
  return rows.map((row) => {
    let L = 1n;
    for (const q of row) L = lcm(L, q.den);
    return row.map((q) => q.num * (L / q.den));
  });
}

/**
 * Solve A x = b exactly (A square). Returns null when A is singular.
 * Fraction-free Gauss-Jordan: one division per unknown at the end.
 */
export function solve(A: readonly (readonly Rational[])[], b: readonly Rational[]): Rational[] | null {
  const n = A.length;
  if (n === 0) return [];
  const T = integerRows(A.map((row, i) => [...row, b[i]!]));
  let det = 1n;
  for (let k = 0; k < n; k++) {
    let r = k;
    while (r < n && T[r]![k] === 0n) r++;
    if (r === n) return null;
    if (r !== k) [T[r], T[k]] = [T[k]!, T[r]!];
    det = pivotInPlace(T, k, k, det);
  }
  return T.map((row, i) => Rational.of(row[n]!, row[i]!));
}

/** Rank of a rational matrix (fraction-free elimination). */
export function rank(A: readonly (readonly Rational[])[]): number {
  if (A.length === 0) return 0;
  const T = integerRows(A);
  const cols = T[0]!.length;
  let det = 1n;
  let rk = 0;
  for (let c = 0; c < cols && rk < T.length; c++) {
    let r = rk;
    while (r < T.length && T[r]![c] === 0n) r++;
    if (r === T.length) continue;
    if (r !== rk) [T[r], T[rk]] = [T[rk]!, T[r]!];
    det = pivotInPlace(T, rk, c, det);
    rk++;
  }
  return rk;
}
