// Integer (fraction-free) pivoting, Edmonds/Bareiss style: every entry of the tableau
// stays an integer minor of the starting tableau, so one exact division per entry and
// no gcds. Used by Lemke's algorithm, and by the linear solver and rank when the faster
// modular route (src/exact/modular.ts) cannot decide on its own.
import { Rational, lcm } from './rational.ts';
import { crtSolve, isProvenSource, rankModP } from './modular.ts';
import { dixonSolve } from './dixon.ts';

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

/**
 * Each row times the lcm L_k of its denominators (the least L_k > 0 with L_k·row integer):
 * the integer rows A and their scales L.
 */
export function scaledRows(rows: readonly (readonly Rational[])[]): { A: bigint[][]; L: bigint[] } {
  const L = rows.map((row) => {
    let l = 1n;
    for (const q of row) if (q.den !== 1n && l % q.den !== 0n) l = lcm(l, q.den);
    return l;
  });
  // integer entries (a Gram of integer data: every one) take no BigInt operation
  const scaled = (q: Rational, l: bigint) => (q.den === l ? q.num : q.num * (l / q.den));
  return { A: rows.map((row, k) => row.map((q) => scaled(q, L[k]!))), L };
}

/** Multiply each row by the lcm of its denominators: an integer matrix with the same row space. */
export function integerRows(rows: readonly (readonly Rational[])[]): bigint[][] {
  return scaledRows(rows).A;
}

/**
 * Is the square rational matrix H of full rank? Proven by object (modular.ts's sources: no
 * integer rows formed), else its integer rows' rank mod p (itself answered by the content memo
 * when it can).
 */
export function fullRank(H: readonly (readonly Rational[])[]): boolean {
  return isProvenSource(H) || rankModP(integerRows(H)) === H.length;
}

/**
 * A x = b for integer A, b (A square) with one shared denominator: x_i = num[i] / den,
 * den > 0, or null when A is singular. Chinese remaindering first (src/exact/modular.ts);
 * when a prime hits det ≡ 0 it cannot tell singular from unlucky, so fraction-free
 * Gauss-Jordan decides. Both give the same exact solution.
 */
export function solveShared(
  A: readonly (readonly bigint[])[],
  b: readonly bigint[],
): { den: bigint; num: bigint[] } | null {
  const n = A.length;
  if (n === 0) return { den: 1n, num: [] };
  const fast = crtSolve(A, b);
  if (fast) return fast;
  const T = A.map((row, i) => [...row, b[i]!]);
  let det = 1n;
  for (let k = 0; k < n; k++) {
    let r = k;
    while (r < n && T[r]![k] === 0n) r++;
    if (r === n) return null;
    if (r !== k) [T[r], T[k]] = [T[k]!, T[r]!];
    det = pivotInPlace(T, k, k, det);
  }
  // Every diagonal entry is now det; make it positive.
  return det < 0n ? { den: -det, num: T.map((row) => -row[n]!) } : { den: det, num: T.map((row) => row[n]!) };
}

/**
 * A x = b for integer A, b (A square): x_i = num[i] / den with den > 0 a common
 * denominator (not necessarily |det A|), or null when A is singular. p-adic lifting first
 * (src/exact/dixon.ts, verified exactly), then solveShared decides what it cannot.
 */
export function solveInteger(
  A: readonly (readonly bigint[])[],
  b: readonly bigint[],
): { den: bigint; num: bigint[] } | null {
  return dixonSolve(A, b) ?? solveShared(A, b);
}

/**
 * Rows scaled to integers by their own lcm L_k (A part only, so long denominators of b
 * do not inflate A), and b_k L_k brought to one common denominator D:
 * A' x = b' / D with A' = diag(L) A and b' = D diag(L) b integer.
 */
export function integerSystem(
  A: readonly (readonly Rational[])[],
  b: readonly Rational[],
): { A: bigint[][]; b: bigint[]; D: bigint } {
  const L = A.map((row) => {
    let l = 1n;
    for (const q of row) l = lcm(l, q.den);
    return l;
  });
  const Ai = A.map((row, k) => row.map((q) => q.num * (L[k]! / q.den)));
  const bl = b.map((q, k) => Rational.of(q.num * L[k]!, q.den));
  let D = 1n;
  for (const q of bl) D = lcm(D, q.den);
  return { A: Ai, b: bl.map((q) => q.num * (D / q.den)), D };
}

/**
 * Solve A x = b exactly (A square). Returns null when A is singular.
 * Integer system with a shared denominator (integerSystem), solved by solveShared:
 * one division (gcd) per unknown at the end.
 */
export function solve(A: readonly (readonly Rational[])[], b: readonly Rational[]): Rational[] | null {
  const n = A.length;
  if (n === 0) return [];
  const sys = integerSystem(A, b);
  const s = solveInteger(sys.A, sys.b);
  if (!s) return null;
  const den = s.den * sys.D;
  return s.num.map((v) => Rational.of(v, den));
}

/** Rank of a rational matrix (modular check for full rank, else fraction-free elimination). */
export function rank(A: readonly (readonly Rational[])[]): number {
  if (A.length === 0) return 0;
  const T = integerRows(A);
  // Full rank modulo a prime proves full rank over Q (a minor nonzero mod p is nonzero).
  const full = Math.min(T.length, T[0]!.length);
  if (full > 0 && rankModP(T) === full) return full;
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
