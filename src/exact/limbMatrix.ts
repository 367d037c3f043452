// The p-adic lifting's residual update r ← (r - A x) / p (src/exact/dixon.ts) in Number
// arithmetic when A has long entries: A is split once into k-bit limbs, A = Σ_t A_t 2^(k t),
// and each residual coordinate is kept as limbs too, r = Σ_t R_t 2^(k t). Per step: T n² exact
// Number products (the limb row sums A_t x) and O(n T) limb work, no BigInt at all.
//
// Exactness, for a prime p < 2^20 and digits 0 <= x_j < p:
// - k = 32 - ceil(log2 n), so every limb row sum Σ_j A_t[i][j] x_j (|A_t[i][j]| < 2^k) and each
//   partial sum on the way is an integer of magnitude <= n (2^k - 1)(p - 1) < 2^52: exact.
// - Carries (low limbs to [0, 2^k), the carry up): a value R_t - s_t + c has |·| < 2^52 + 2^k +
//   2^(53-k) < 2^53 while |c| <= 2^(53-k) (which the next carry keeps for 2 <= k <= 32): exact.
// - Exact division by p from the top limb down: rem 2^k + R_t < p 2^k <= 2^52 (rem in [0, p),
//   low limbs in [0, 2^k)), and the top limb is small (ResidualLimbs' size), so each partial
//   quotient is an exact floor (off by one at most in floating point, corrected).
import { babs, bitLength } from './rational.ts';
import { reduce } from './modular.ts';
import { dot } from './luModP.ts';

/** A = Σ_t L[t n² ..] 2^(k t), row-major, sign-magnitude limbs: |A_t[i][j]| < 2^k. */
export interface Limbs {
  n: number;
  k: number;
  T: number;
  L: Float64Array;
}

/** The limb width for n columns: n (2^k - 1)(p - 1) < 2^52 for every p < 2^20. */
function limbBits(n: number): number {
  return Math.max(2, 32 - Math.ceil(Math.log2(Math.max(n, 1))));
}

/**
 * v = Σ_t l_t 2^(k t) in sign-magnitude limbs (|l_t| < 2^k, each carrying v's sign), written to
 * L[at + t stride] for t = 0, 1, ... up to v's top limb (k <= 32; the rest of L untouched).
 */
export function writeLimbs(v: bigint, k: number, L: Float64Array, at: number, stride: number): void {
  const s = v < 0n ? -1 : 1;
  const x = Number(v);
  if (Math.abs(x) < 2 ** 53) {
    // exact as a Number: split it there
    const B = 2 ** k;
    let m = Math.abs(x);
    for (let t = 0; m > 0; t++) {
      const l = m % B;
      L[at + t * stride] = s * l;
      m = (m - l) / B;
    }
  } else {
    const K = BigInt(k);
    let m = babs(v);
    for (let t = 0; m > 0n; t++, m >>= K) L[at + t * stride] = s * Number(BigInt.asUintN(k, m));
  }
}

export function splitLimbs(A: readonly (readonly bigint[])[]): Limbs {
  const n = A.length;
  const k = limbBits(n);
  let max = 0n;
  for (const row of A) for (const v of row) if (babs(v) > max) max = babs(v);
  const T = Math.max(1, Math.ceil(bitLength(max) / k));
  const nn = n * n;
  const L = new Float64Array(T * nn);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) writeLimbs(A[i]![j]!, k, L, i * n + j, nn);
  return { n, k, T, L };
}

/**
 * The residuals of one right-hand side, n coordinates of Tr limbs each: limbs below the top in
 * [0, 2^k), the top one signed (floor). Tr: every |r_k| <= R = max(max|b|, n max|A|) (as
 * |r_{k+1}| <= (|r_k| + n max|A| (p - 1)) / p), so |r_k - A x_k| <= R p < 2^(k (Tr - 1) + 20)
 * and the top limb stays below 2^20 in magnitude.
 */
export class ResidualLimbs {
  private readonly R: Float64Array;
  private readonly Tr: number;
  private readonly w: Float64Array; // 2^(k t) mod p

  constructor(
    private readonly A: Limbs,
    b: readonly bigint[],
    private readonly p: number,
  ) {
    const { n, k, T } = A;
    let bMax = 0n;
    for (const v of b) if (babs(v) > bMax) bMax = babs(v);
    const bitsR = Math.max(bitLength(bMax), Math.ceil(Math.log2(n + 1)) + k * T);
    const Tr = Math.max(T + 1, Math.ceil(bitsR / k) + 1);
    this.Tr = Tr;
    this.R = new Float64Array(n * Tr);
    const K = BigInt(k);
    for (let i = 0; i < n; i++) {
      let v = b[i]!;
      for (let t = 0; t < Tr - 1; t++, v >>= K) this.R[i * Tr + t] = Number(BigInt.asUintN(k, v));
      this.R[i * Tr + Tr - 1] = Number(v); // the floor shift of a negative: the signed top
    }
    this.w = new Float64Array(Tr);
    const P = BigInt(p);
    for (let t = 0; t < Tr; t++) this.w[t] = Number((1n << (K * BigInt(t))) % P);
  }

  /**
   * rm = r mod p in [0, p): Σ_t R_t (2^(k t) mod p), each term reduced (|R_t w_t| < 2^52) and the
   * sum of Tr terms in [0, p) reduced once.
   */
  mod(rm: Float64Array): void {
    const { R, Tr, w, p } = this;
    const pinv = 1 / p;
    for (let i = 0; i < rm.length; i++) {
      let s = 0;
      for (let t = 0; t < Tr; t++) s += reduce(R[i * Tr + t]! * w[t]!, p, pinv);
      rm[i] = reduce(s, p, pinv);
    }
  }

  /** The residuals as BigInts (for tests). */
  values(): bigint[] {
    const { R, Tr } = this;
    const K = BigInt(this.A.k);
    return Array.from({ length: R.length / Tr }, (_, i) => {
      let v = 0n;
      for (let t = Tr - 1; t >= 0; t--) v = (v << K) + BigInt(R[i * Tr + t]!);
      return v;
    });
  }

  /** r ← (r - A x) / p, exact (A x ≡ r mod p). */
  step(x: Float64Array): void {
    const { R, Tr, p } = this;
    const { n, k, T, L } = this.A;
    const nn = n * n;
    const B = 2 ** k;
    const invB = 2 ** -k;
    const pinv = 1 / p;
    for (let i = 0; i < n; i++) {
      const o = i * Tr;
      for (let t = 0; t < T; t++) R[o + t] -= dot(L, t * nn + i * n, x, 0, n);
      let c = 0;
      for (let t = 0; t < Tr - 1; t++) {
        const v = R[o + t]! + c;
        c = Math.floor(v * invB); // a power of two: exact
        R[o + t] = v - c * B;
      }
      R[o + Tr - 1] += c;
      let rem = 0;
      for (let t = Tr - 1; t >= 0; t--) {
        const v = rem * B + R[o + t]!;
        let q = Math.floor(v * pinv);
        rem = v - q * p;
        if (rem < 0) {
          q--;
          rem += p;
        } else if (rem >= p) {
          q++;
          rem -= p;
        }
        R[o + t] = q;
      }
    }
  }
}
