// LU factorization of an integer matrix modulo a prime p < 2^20 in Number arithmetic: the
// engine of the p-adic lifting in src/exact/dixon.ts (the solves with the factors run in
// src/exact/kernels.wat solveModP, on the same argument).
//
// Exactness: residues lie in [0, p), so a product of two is below 2^40 and a sum of up to
// CHUNK = 2^12 of them (plus one value below p) stays below 2^52 + 2^20 < 2^53: every such
// sum is an exact integer in a double, whatever the order of the additions, and is reduced
// mod p once (reduce below) instead of once per product.
import { invMod, isPrime, mulMod, reduce } from './modular.ts';

/** Terms summed before a reduction: CHUNK · (p - 1)² + p < 2^53 for p < 2^20. */
const CHUNK = 4096;

/** Primes below 2^20, largest first. */
const TOP = 1 << 20;
const primes: number[] = [];
export function luPrime(k: number): number {
  while (primes.length <= k) {
    let q = primes.length ? primes[primes.length - 1]! - 2 : TOP - 1;
    while (!isPrime(q)) q -= 2;
    primes.push(q);
  }
  return primes[k]!;
}

/**
 * Σ_{j in [lo, hi)} a[ao + j] x[j], unrolled by four into two chains. Exact when the sum of
 * |terms| stays below 2^53: every partial sum is then an integer below 2^53.
 */
export function dot(a: Float64Array, ao: number, x: Float64Array, lo: number, hi: number): number {
  let s0 = 0;
  let s1 = 0;
  let j = lo;
  let k = ao + lo;
  for (; j + 3 < hi; j += 4, k += 4) {
    s0 += a[k]! * x[j]! + a[k + 1]! * x[j + 1]!;
    s1 += a[k + 2]! * x[j + 2]! + a[k + 3]! * x[j + 3]!;
  }
  for (; j < hi; j++, k++) s0 += a[k]! * x[j]!;
  return s0 + s1;
}

/** PA = LU mod p: unit lower L below the diagonal, U with its pivots inverted on it. */
export interface LU {
  T: Float64Array;
  perm: Int32Array;
  p: number;
}

/**
 * The LU factors of A (n × n, row-major residues in [0, p)) mod p, or null when A is
 * singular mod p. Right-looking elimination with lazy reduction: an entry of the trailing
 * block only has (p - 1)² subtracted per column, so it is reduced when its row or column
 * becomes the pivot's, and the whole block every CHUNK columns (values stay in
 * (-CHUNK (p - 1)², p), exact).
 */
export function luModP(R: Float64Array, n: number, p: number): LU | null {
  const pinv = 1 / p;
  const T = R.slice();
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let c = 0; c < n; c++) {
    if (c > 0 && c % CHUNK === 0)
      for (let i = c; i < n; i++) for (let j = c; j < n; j++) T[i * n + j] = reduce(T[i * n + j]!, p, pinv);
    let r = -1;
    for (let i = c; i < n; i++) {
      const v = reduce(T[i * n + c]!, p, pinv);
      T[i * n + c] = v;
      if (r < 0 && v !== 0) r = i;
    }
    if (r < 0) return null;
    if (r !== c) {
      for (let j = 0; j < n; j++) {
        const t = T[r * n + j]!;
        T[r * n + j] = T[c * n + j]!;
        T[c * n + j] = t;
      }
      const t = perm[r]!;
      perm[r] = perm[c]!;
      perm[c] = t;
    }
    const rc = c * n;
    for (let j = c + 1; j < n; j++) T[rc + j] = reduce(T[rc + j]!, p, pinv);
    const inv = invMod(T[rc + c]!, p);
    T[rc + c] = inv;
    for (let i = c + 1; i < n; i++) {
      const ri = i * n;
      if (T[ri + c] === 0) continue;
      const f = mulMod(T[ri + c]!, inv, p, pinv);
      T[ri + c] = f; // L multiplier
      for (let j = c + 1; j < n; j++) T[ri + j] -= f * T[rc + j]!;
    }
  }
  return { T, perm, p };
}
