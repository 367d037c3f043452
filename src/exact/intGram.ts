// The exact integer Gram <ints_i, ints_k> of integer rows (the data's rows on their own
// scales, src/exact/vec.ts gram), by the cheapest route that is exact for the rows given:
//   sign rows (entries in {-1, 0, 1})      bit masks and popcounts, 64 entries a word
//   small integers (max² · d < 2^53)       doubles, 2×2 register-blocked
//   long integers (binary64 data)          limbs of c bits in doubles, summed in BigInt
//   otherwise                              BigInt products
// Every route gives the same integers; the properties compare each with BigInt sums.

import { bitLength } from './rational.ts';
import { onTwoCores, sharedDoubles } from './secondCore.ts';
import { writeLimbs } from './limbMatrix.ts';
import { claim } from './wasm.ts';

/** What the kernels read of a ScaledVec. */
export interface IntRow {
  readonly ints: readonly bigint[];
  readonly nums: Float64Array | null;
  readonly maxAbs: bigint;
  readonly dim: number;
}

const TWO53 = 1n << 53n;
/** Multiply-adds past which blockedGram takes a second core (~70 ms on one; the worker costs ~40 ms once). */
const PARALLEL_MADDS = 2 ** 26;
/** Beyond this many limbs (T² double dot products a pair) BigInt products are as cheap. */
const MAX_LIMBS = 8;

/**
 * <ints_i, ints_k> for k >= i at [i n + k] (the lower triangle is left empty): as doubles
 * (each an exact integer) when a small route applies, else BigInts.
 */
export function intGram(xs: readonly IntRow[]): Float64Array | bigint[] {
  const n = xs.length;
  const d = n ? xs[0]!.dim : 0;
  if (n === 0 || xs.some((x) => x.dim !== d)) return bigGram(xs);
  return signGram(xs) ?? smallGram(xs, d) ?? limbGram(xs, d) ?? bigGram(xs);
}

/** Rows of safe integers with max² · d < 2^53 (the bound intDot uses): doubles, else null. */
function smallGram(xs: readonly IntRow[], d: number): Float64Array | null {
  let m = 0n;
  for (const x of xs) {
    if (!x.nums) return null;
    if (x.maxAbs > m) m = x.maxAbs;
  }
  return m * m * BigInt(d) < TWO53
    ? blockedGram(
        xs.map((x) => x.nums!),
        d,
      )
    : null;
}

/** Dot products pair by pair (intDot: doubles for a pair of short rows, else BigInt). */
function bigGram(xs: readonly IntRow[]): bigint[] {
  const n = xs.length;
  const out = new Array<bigint>(n * n);
  for (let i = 0; i < n; i++) for (let k = i; k < n; k++) out[i * n + k] = intDot(xs[i]!, xs[k]!);
  return out;
}

/** The exact integer <a.ints, b.ints>: in doubles when max|a| max|b| d < 2^53, else BigInt. */
export function intDot(a: IntRow, b: IntRow): bigint {
  const d = a.dim;
  if (b.dim !== d) throw new RangeError(`dimension mismatch ${d} vs ${b.dim}`);
  if (a.nums && b.nums && a.maxAbs * b.maxAbs * BigInt(d) < TWO53) {
    const x = a.nums;
    const y = b.nums;
    let s = 0;
    for (let k = 0; k < d; k++) s += x[k]! * y[k]!;
    return BigInt(s);
  }
  let s = 0n;
  for (let k = 0; k < d; k++) s += a.ints[k]! * b.ints[k]!;
  return s;
}

/**
 * The integer Gram of sign rows (entries in {-1, 0, 1}: the generators' usual data) from bit
 * masks, 64 entries a word (src/exact/kernels/sign.wat packSigns, signGram): with Z the nonzero
 * entries and S the negative ones, <a, b> = |Za & Zb| - 2 |Za & Zb & (Sa ^ Sb)|, and
 * d - 2 |Sa ^ Sb| when no entry is 0. Same integers as blockedGram, about 10× fewer
 * operations; null unless every row is a sign row. Upper triangle only (k >= i), row-major n × n.
 */
function signGram(xs: readonly IntRow[]): Float64Array | null {
  const n = xs.length;
  if (n === 0) return null;
  const d = xs[0]!.dim;
  if (xs.some((x) => !x.nums || x.maxAbs > 1n)) return null; // equal dims: intGram checked
  const rowBytes = 8 * Math.ceil(d / 64); // one row's mask in 64-bit words
  const { k, at, f64 } = claim([8 * d, n * rowBytes, n * rowBytes, 8 * n * n]);
  const [row, Z, S, out] = at;
  let zeros = 0;
  xs.forEach((x, i) => {
    f64.set(x.nums!, row / 8);
    zeros |= k.packSigns(row, 1, d, Z + i * rowBytes, S + i * rowBytes);
  });
  f64.fill(0, out / 8, out / 8 + n * n); // the lower triangle: the memory holds old arrays
  k.signGram(Z, S, n, d, zeros, out);
  return f64.slice(out / 8, out / 8 + n * n);
}

/**
 * The Gram of rows of small integers in doubles (upper triangle, row-major n × n). The caller
 * guarantees max|entry|² · d < 2^53, so every partial sum is exact. Past PARALLEL_MADDS
 * multiply-adds half the rows run on a second core (src/exact/secondCore.ts): the same sums.
 */
function blockedGram(rows: readonly Float64Array[], d: number): Float64Array {
  const n = rows.length;
  const parallel = (n * n * d) / 2 >= PARALLEL_MADDS;
  const X = parallel ? sharedDoubles(n * d) : new Float64Array(n * d);
  rows.forEach((r, i) => X.set(r, i * d));
  const out = parallel ? sharedDoubles(n * n) : new Float64Array(n * n);
  if (parallel) onTwoCores(blockedPairs, X, n, d, out);
  else blockedPairs(X, n, d, out, 0, 1);
  return out;
}

/**
 * blockedGram's loop over the row pairs (i, k >= i) of part `part` of `parts` (every
 * parts-th pair of rows i), 2×2 register-blocked: each pass over four rows of X (n × d,
 * row-major) gives four dot products, half the memory traffic of pair by pair. Self-contained
 * (secondCore.ts runs its source text on the worker).
 */
function blockedPairs(X: Float64Array, n: number, d: number, out: Float64Array, part: number, parts: number): void {
  for (let i = 0; i < n; i += 2) {
    if ((i >> 1) % parts !== part) continue;
    const a0 = i * d;
    const a1 = Math.min(i + 1, n - 1) * d;
    for (let k = i; k < n; k += 2) {
      const b0 = k * d;
      const b1 = Math.min(k + 1, n - 1) * d;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let t = 0; t < d; t++) {
        const x0 = X[a0 + t]!;
        const x1 = X[a1 + t]!;
        const y0 = X[b0 + t]!;
        const y1 = X[b1 + t]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      // the clamped last row/column duplicates an entry already written: same value
      out[i * n + k] = s00;
      if (k + 1 < n) out[i * n + k + 1] = s01;
      if (i + 1 < n) {
        if (k >= i + 1) out[(i + 1) * n + k] = s10;
        if (k + 1 < n) out[(i + 1) * n + k + 1] = s11;
      }
    }
  }
}

/**
 * Long integer rows (binary64 data on one power-of-two scale: 60-bit entries and more) cut
 * into limbs of c bits, v = Σ_s v_s 2^(c s) with |v_s| < 2^c carrying v's sign, where
 * 2^(2c) · d <= 2^53: every limb row pair is an exact blocked double Gram, and
 * <a, b> = Σ_(s,t) <a_s, b_t> 2^(c (s + t)) is summed in BigInt, T² double dot products and
 * 2T - 1 BigInt additions per pair instead of d BigInt products. null beyond MAX_LIMBS limbs.
 */
function limbGram(xs: readonly IntRow[], d: number): bigint[] | null {
  const n = xs.length;
  let c = Math.floor((53 - Math.log2(d)) / 2);
  while (2 ** (2 * c) * d > 2 ** 53) c--;
  let bits = 0;
  for (const x of xs) bits = Math.max(bits, bitLength(x.maxAbs));
  const T = Math.max(1, Math.ceil(bits / c));
  if (c < 8 || T > MAX_LIMBS) return null;
  const C = BigInt(c);
  // limb rows: row i, limb s at index i T + s
  const limbs: Float64Array[] = [];
  for (const x of xs) {
    const L = new Float64Array(T * d); // limb s of entry k at s d + k
    x.ints.forEach((v, k) => {
      if (v !== 0n) writeLimbs(v, c, L, k, d);
    });
    for (let s = 0; s < T; s++) limbs.push(L.subarray(s * d, (s + 1) * d));
  }
  const V = blockedGram(limbs, d);
  const N = n * T;
  const at = (u: number, w: number) => (u <= w ? V[u * N + w]! : V[w * N + u]!);
  const out = new Array<bigint>(n * n);
  for (let i = 0; i < n; i++)
    for (let k = i; k < n; k++) {
      let sum = 0n;
      for (let e = 2 * T - 2; e >= 0; e--) {
        // the limb pairs of weight 2^(c e): each < 2^53, at most T of them, summed in BigInt
        let w = 0n;
        for (let s = Math.max(0, e - T + 1); s <= Math.min(e, T - 1); s++) {
          const v = at(i * T + s, k * T + e - s);
          if (v !== 0) w += BigInt(v);
        }
        sum = (sum << C) + w;
      }
      out[i * n + k] = sum;
    }
  return out;
}
