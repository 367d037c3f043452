// LU factorization of an integer matrix modulo a prime p < 2^20 in Number arithmetic: the
// engine of the p-adic lifting in src/exact/dixon.ts. The elimination and the solves with
// its factors run in WebAssembly (src/exact/kernels/: luModP, solveModP), on this argument:
//
// Exactness: residues lie in [0, p), so a product of two is below 2^40 and a sum of up to
// CHUNK = 2^12 of them (plus one value below p) stays below 2^52 + 2^20 < 2^53: every such
// sum is an exact integer in a double, whatever the order of the additions, and is reduced
// mod p once instead of once per product.
import { isPrime } from './modular.ts';
import { claim } from './wasm.ts';

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
 * singular mod p: right-looking elimination with lazy reduction in src/exact/kernels/eliminate.wat
 * (luModP), an entry of the trailing block reduced when its row or column becomes the
 * pivot's and the whole block every CHUNK columns (values stay in (-CHUNK (p - 1)², p), exact).
 */
export function luModP(R: Float64Array, n: number, p: number): LU | null {
  const { k, at, f64, i32 } = claim([8 * n * n, 4 * n]);
  const [T, perm] = at;
  f64.set(R, T / 8);
  for (let i = 0; i < n; i++) i32[perm / 4 + i] = i;
  if (!k.luModP(T, perm, n, p)) return null;
  return { T: f64.slice(T / 8, T / 8 + n * n), perm: i32.slice(perm / 4, perm / 4 + n), p };
}
