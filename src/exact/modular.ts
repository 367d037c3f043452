// Exact square integer solves by Chinese remaindering (ARCHITECTURE.md: exact integer
// arithmetic in float64 under 2^53). For A x = b with integer A, b the Cramer numerators
// det(A_i) and det(A) are integers bounded (Hadamard) by B = Π_k ||[A | b]_k||. Each is
// computed modulo primes p < 2^26 by Gaussian elimination in Number arithmetic (every
// product < 2^52, exact) and reconstructed by Garner's mixed-radix CRT once Π p > 2B.
// The result is the same exact integer pair a fraction-free (Bareiss) elimination gives;
// only the route is cheaper (O(n³) Number operations per prime instead of O(n³) BigInt
// operations on ever longer integers).
//
// A matrix singular modulo some prime (singular over Q, or an unlucky prime dividing det)
// gives null: the caller falls back to Bareiss, which decides exactly.
import { bitLength, bitLengthOf } from './rational.ts';

const PRIME_TOP = 1 << 26;
const primes: number[] = [];
/** garner[k][j] = p_j^{-1} mod p_k for j < k */
const garner: number[][] = [];

/** Trial division (p odd, small). */
export function isPrime(p: number): boolean {
  if (p % 2 === 0) return p === 2;
  for (let f = 3; f * f <= p; f += 2) if (p % f === 0) return false;
  return true;
}

/** x^{-1} mod p for 0 < x < p (p prime), extended Euclid in Numbers (all < 2^26). */
function invMod(x: number, p: number): number {
  let a = x;
  let b = p;
  let u = 1;
  let v = 0;
  while (b !== 0) {
    const q = Math.floor(a / b);
    const t = a - q * b;
    a = b;
    b = t;
    const s = u - q * v;
    u = v;
    v = s;
  }
  return ((u % p) + p) % p;
}

export function prime(k: number): number {
  while (primes.length <= k) {
    let p = primes.length ? primes[primes.length - 1]! - 2 : PRIME_TOP - 1;
    while (!isPrime(p)) p -= 2;
    const row: number[] = [];
    for (const q of primes) row.push(invMod(q % p, p));
    primes.push(p);
    garner.push(row);
  }
  return primes[k]!;
}

/** s mod p in [0, p) for an integer |s| < 2^53 - p: floor(s / p) is off by at most one, fixed once. */
export function reduce(s: number, p: number, pinv: number): number {
  const v = s - Math.floor(s * pinv) * p;
  return v < 0 ? v + p : v >= p ? v - p : v;
}

/** (a * b) mod p for 0 <= a, b < p < 2^26: a*b < 2^52 is exact. */
function mulMod(a: number, b: number, p: number, pinv: number): number {
  return reduce(a * b, p, pinv);
}

/**
 * For a right-hand side b, bits of a bound on |det A| and on every Cramer numerator
 * |det A_i| (A_i: column i replaced by b). Hadamard by rows: Π_k ||[A | b]_k||; by columns:
 * ||b|| Π_j ||A_j|| (valid since every nonzero integer column has norm >= 1). The smaller one
 * is used: the column form keeps a long right-hand side from being counted once per row.
 * A's row and column sizes are read once, for every b.
 */
export function hadamard(
  A: readonly (readonly bigint[])[],
  Af: Float64Array | null = null,
): (b: readonly bigint[]) => number {
  const n = A.length;
  const half = 0.5 * Math.log2(n + 1);
  const abs = (v: bigint) => (v < 0n ? -v : v);
  // bit lengths of each row's and column's largest |entry| (from Af, A as doubles, when given)
  const rowMax = new Array<bigint | number>(n).fill(0);
  const colMax = new Array<bigint | number>(n).fill(0);
  for (let k = 0; k < n; k++) {
    const row = A[k]!;
    for (let j = 0; j < n; j++) {
      const v = Af ? Math.abs(Af[k * n + j]!) : abs(row[j]!);
      if (v > rowMax[k]!) rowMax[k] = v;
      if (v > colMax[j]!) colMax[j] = v;
    }
  }
  const bits = (m: bigint | number) => (typeof m === 'number' ? bitLengthOf(m) : bitLength(m));
  const rowBits = rowMax.map(bits);
  let colBits = half;
  for (const m of colMax) colBits += bits(m) + half;
  return (b) => {
    let rows = 0;
    let bMax = 0n;
    for (let k = 0; k < n; k++) {
      const m = abs(b[k]!);
      if (m > bMax) bMax = m;
      rows += Math.max(bitLength(m), rowBits[k]!) + half; // ||row|| <= sqrt(n+1) max|entry|
    }
    return Math.min(rows, colBits + bitLength(bMax));
  };
}

const TWO53 = 2 ** 53;

/**
 * det(A) > 0 up to sign and the numerators: A x = b has x_i = num[i] / den exactly, den > 0.
 * null when A is singular modulo one of the primes tried (caller: fall back to Bareiss).
 */
export function crtSolve(
  A: readonly (readonly bigint[])[],
  b: readonly bigint[],
): { den: bigint; num: bigint[] } | null {
  const n = A.length;
  if (n === 0) return { den: 1n, num: [] };
  const w = n + 1;
  // Entries as Numbers when safe (reduced with Number %), else BigInt (reduced per prime).
  const flat = new Float64Array(n * w);
  const big: { at: number; v: bigint }[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= n; j++) {
      const v = j < n ? A[i]![j]! : b[i]!;
      const x = Number(v);
      if (Math.abs(x) < TWO53) flat[i * w + j] = x;
      else big.push({ at: i * w + j, v });
    }
  }
  const need = hadamard(A)(b) + 2; // symmetric residues: Π p > 2 B
  const residues: Float64Array[] = []; // per prime: det, then det * x_i (mod p)
  const T = new Float64Array(n * w);
  let got = 0;
  for (let k = 0; got < need; k++) {
    const p = prime(k);
    const pinv = 1 / p;
    for (let t = 0; t < n * w; t++) {
      const r = flat[t]! % p;
      T[t] = r < 0 ? r + p : r;
    }
    const P = BigInt(p);
    for (const { at, v } of big) {
      const r = Number(v % P);
      T[at] = r < 0 ? r + p : r;
    }
    // Gauss-Jordan-free forward elimination with unit pivots, then back substitution.
    let det = 1;
    for (let c = 0; c < n; c++) {
      let r = c;
      while (r < n && T[r * w + c] === 0) r++;
      if (r === n) return null;
      if (r !== c) {
        for (let j = c; j < w; j++) {
          const t = T[r * w + j]!;
          T[r * w + j] = T[c * w + j]!;
          T[c * w + j] = t;
        }
        det = det === 0 ? 0 : p - det;
      }
      const piv = T[c * w + c]!;
      det = mulMod(det, piv, p, pinv);
      const inv = invMod(piv, p);
      const rc = c * w;
      for (let j = c + 1; j < w; j++) T[rc + j] = mulMod(T[rc + j]!, inv, p, pinv);
      T[rc + c] = 1;
      // Hot loop (mulMod inlined): row_i -= f row_c over the columns right of c.
      for (let i = c + 1; i < n; i++) {
        const ri = i * w;
        const f = T[ri + c]!;
        if (f === 0) continue;
        T[ri + c] = 0;
        for (let j = c + 1; j < w; j++) {
          const x = f * T[rc + j]!;
          let v = T[ri + j]! - (x - Math.floor(x * pinv) * p); // in (-2p, 2p)
          if (v < 0) v += p;
          if (v < 0) v += p;
          else if (v >= p) v -= p;
          T[ri + j] = v;
        }
      }
    }
    const res = new Float64Array(n + 1);
    res[0] = det;
    const x = new Float64Array(n);
    for (let i = n - 1; i >= 0; i--) {
      let s = T[i * w + n]!;
      for (let j = i + 1; j < n; j++) {
        s -= mulMod(T[i * w + j]!, x[j]!, p, pinv);
        if (s < 0) s += p;
      }
      x[i] = s;
      res[i + 1] = mulMod(s, det, p, pinv);
    }
    residues.push(res);
    got += Math.log2(p);
  }
  // Garner: mixed-radix digits in Numbers, then Horner in BigInt, then symmetric range.
  const K = residues.length;
  let M = 1n;
  for (let k = 0; k < K; k++) M *= BigInt(primes[k]!);
  const halfM = M >> 1n;
  const out: bigint[] = [];
  const digits = new Float64Array(K);
  for (let v = 0; v <= n; v++) {
    for (let k = 0; k < K; k++) {
      const p = primes[k]!;
      const pinv = 1 / p;
      let t = residues[k]![v]!;
      const g = garner[k]!;
      for (let j = 0; j < k; j++) {
        const dj = digits[j]!; // < p_j < 2 p (primes are within a factor 2)
        t -= dj >= p ? dj - p : dj;
        if (t < 0) t += p;
        t = mulMod(t, g[j]!, p, pinv);
      }
      digits[k] = t;
    }
    let V = 0n;
    for (let k = K - 1; k >= 0; k--) V = V * BigInt(primes[k]!) + BigInt(digits[k]!);
    out.push(V > halfM ? V - M : V);
  }
  let den = out[0]!;
  let num = out.slice(1);
  if (den === 0n) return null; // cannot happen (det != 0 mod p), kept as a guard
  if (den < 0n) {
    den = -den;
    num = num.map((v) => -v);
  }
  return { den, num };
}

/**
 * The rank of A modulo the first prime: a lower bound on its rank over Q (every minor that
 * is nonzero mod p is nonzero). When it equals min(rows, cols) it is the exact rank.
 */
export function rankModP(A: readonly (readonly bigint[])[]): number {
  return pivotColumnsModP(A).length;
}

/**
 * Square integer matrices proven nonsingular (full rank modulo some prime), the last few,
 * by content: a case asks about the same signed Gram several times (the max-margin dual
 * factored by Dixon, then the optimal faces of the max-margin λ and of the certificate), and
 * each O(n³) elimination after the first is skipped. Entries are compared exactly.
 */
const proven: bigint[][][] = [];
const PROVEN_KEPT = 4;
const sameEntries = (M: readonly (readonly bigint[])[], A: readonly (readonly bigint[])[]) =>
  M.length === A.length && M.every((row, i) => row.length === A[i]!.length && row.every((v, j) => v === A[i]![j]));
/** Is A (square) among the matrices proven nonsingular? A lookup, never an elimination. */
export function isProvenNonsingular(A: readonly (readonly bigint[])[]): boolean {
  return proven.some((M) => sameEntries(M, A));
}
/**
 * The rational matrices A came from (by object, never changed after: the signed Grams a
 * context shares), so a later question about the same object skips forming its integer rows.
 */
let provenSources = new WeakSet<object>();
/** Was the integer form of this rational matrix (the same object) proven nonsingular? */
export function isProvenSource(H: object): boolean {
  return provenSources.has(H);
}
/** Forget every matrix proven nonsingular: a case starts with none (runCase), so no answer carries over to the next. */
export function forgetProven(): void {
  proven.length = 0;
  provenSources = new WeakSet();
}
/** Record the rational matrix H (by object) as nonsingular: the caller has proved it. */
export function noteNonsingularSource(H: object): void {
  provenSources.add(H);
}
/** Record A (square) as nonsingular: the caller has a nonzero determinant modulo a prime. */
export function noteNonsingular(A: readonly (readonly bigint[])[]): void {
  if (A.length === 0 || isProvenNonsingular(A)) return;
  proven.unshift(A.map((row) => row.slice()));
  if (proven.length > PROVEN_KEPT) proven.pop();
}

/**
 * The pivot columns of A's row echelon form modulo the first prime: columns that are
 * linearly independent over Q (independent mod p implies independent over Q); they span A's
 * column space unless p is unlucky, which callers check on their result.
 */
export function pivotColumnsModP(A: readonly (readonly bigint[])[]): number[] {
  const rows = A.length;
  const cols = rows ? A[0]!.length : 0;
  // every column of a nonsingular matrix is independent over Q
  if (rows === cols && isProvenNonsingular(A)) return Array.from({ length: cols }, (_, c) => c);
  const p = prime(0);
  const pinv = 1 / p;
  const P = BigInt(p);
  const T = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = A[i]![j]!;
      const x = Number(v);
      const r = Math.abs(x) < TWO53 ? x % p : Number(v % P);
      T[i * cols + j] = r < 0 ? r + p : r;
    }
  }
  const pivots: number[] = [];
  let rk = 0;
  for (let c = 0; c < cols && rk < rows; c++) {
    let r = rk;
    while (r < rows && T[r * cols + c] === 0) r++;
    if (r === rows) continue;
    if (r !== rk)
      for (let j = c; j < cols; j++) [T[r * cols + j], T[rk * cols + j]] = [T[rk * cols + j]!, T[r * cols + j]!];
    const inv = invMod(T[rk * cols + c]!, p);
    for (let i = rk + 1; i < rows; i++) {
      const f = mulMod(T[i * cols + c]!, inv, p, pinv);
      if (f === 0) continue;
      for (let j = c; j < cols; j++) {
        const t = T[rk * cols + j]!;
        if (t === 0) continue;
        let v = T[i * cols + j]! - mulMod(f, t, p, pinv);
        if (v < 0) v += p;
        T[i * cols + j] = v;
      }
    }
    pivots.push(c);
    rk++;
  }
  if (rows === cols && rk === rows) noteNonsingular(A);
  return pivots;
}
