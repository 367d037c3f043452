// Exact square integer solves by p-adic lifting (Dixon 1982): one LU factorization of A
// modulo a prime p < 2^20 (O(n³) Number operations, once), then lifting steps of O(n²) each:
//   x_k = A⁻¹ r_k (mod p, by the LU factors),  r_{k+1} = (r_k - A x_k) / p   (exact integer division),
// so Σ_k x_k p^k ≡ A⁻¹ b (mod p^K). Rational reconstruction (one common denominator) turns
// that into num / den, and the exact check A·num = den·b decides: a wrong early guess is
// never returned. Output-sensitive: reconstruction is tried as the p-adic precision grows
// (×1.5), so a solution with short numerators stops early; by 2B + 2 bits (B the Hadamard
// bound on det A and the Cramer numerators) reconstruction is guaranteed to succeed.
// Compared with crtSolve (one O(n³) elimination per 26 bits of the answer), the cost is one
// elimination plus O(n²) per 26 bits.
//
// Returns the solution with den > 0 (any common denominator: the reduced one here, not
// necessarily |det A|), or null when A is singular modulo each prime tried (singular over
// Q, or unlucky): the caller falls back to a route that decides.
import { hadamardBits, invMod, mulMod, noteNonsingular } from './modular.ts';
import { babs } from './rational.ts';

const TWO53 = 2 ** 53;
const TRIES = 3;

/** Primes below 2^20: products of two residues stay below 2^40, so a row of up to 2^13 of them sums exactly in a double with one reduction. */
const DIXON_TOP = 1 << 20;
const dixonPrimes: number[] = [];
function dixonPrime(k: number): number {
  while (dixonPrimes.length <= k) {
    let q = dixonPrimes.length ? dixonPrimes[dixonPrimes.length - 1]! - 2 : DIXON_TOP - 1;
    for (;;) {
      let ok = true;
      for (let f = 3; f * f <= q; f += 2)
        if (q % f === 0) {
          ok = false;
          break;
        }
      if (ok) break;
      q -= 2;
    }
    dixonPrimes.push(q);
  }
  return dixonPrimes[k]!;
}

/** PA = LU mod p (unit lower L below the diagonal, U with the inverted pivots on it), or null when A is singular mod p. */
interface LU {
  T: Float64Array;
  perm: Int32Array;
}
function luModP(A: readonly (readonly bigint[])[], p: number): LU | null {
  const n = A.length;
  const pinv = 1 / p;
  const P = BigInt(p);
  const T = new Float64Array(n * n);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    perm[i] = i;
    for (let j = 0; j < n; j++) {
      const v = A[i]![j]!;
      const x = Number(v);
      const r = Math.abs(x) < TWO53 ? x % p : Number(v % P);
      T[i * n + j] = r < 0 ? r + p : r;
    }
  }
  for (let c = 0; c < n; c++) {
    let r = c;
    while (r < n && T[r * n + c] === 0) r++;
    if (r === n) return null;
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
    const inv = invMod(T[rc + c]!, p);
    T[rc + c] = inv;
    for (let i = c + 1; i < n; i++) {
      const ri = i * n;
      if (T[ri + c] === 0) continue;
      const f = mulMod(T[ri + c]!, inv, p, pinv);
      T[ri + c] = f; // L multiplier
      for (let j = c + 1; j < n; j++) {
        const t = T[rc + j]!;
        if (t === 0) continue;
        const x = f * t;
        let v = T[ri + j]! - (x - Math.floor(x * pinv) * p);
        if (v < 0) v += p;
        T[ri + j] = v;
      }
    }
  }
  return { T, perm };
}

/** x = A⁻¹ r mod p from the LU factors (r, x in [0, p)); out may not alias r. */
function luSolveModP({ T, perm }: LU, r: Float64Array, p: number, out: Float64Array): void {
  const n = perm.length;
  const pinv = 1 / p;
  // forward: L y = P r (products < 2^40, rows reduced every 2^12 terms)
  for (let i = 0; i < n; i++) {
    let s = r[perm[i]!]!;
    const o = i * n;
    for (let j = 0; j < i; j++) {
      s -= T[o + j]! * out[j]!;
      if ((j & 4095) === 4095) s -= Math.floor(s * pinv) * p;
    }
    s -= Math.floor(s * pinv) * p;
    out[i] = s < 0 ? s + p : s >= p ? s - p : s;
  }
  // back: U x = y, with U's diagonal stored inverted
  for (let i = n - 1; i >= 0; i--) {
    let s = out[i]!;
    const o = i * n;
    for (let j = i + 1; j < n; j++) {
      s -= T[o + j]! * out[j]!;
      if ((j & 4095) === 4095) s -= Math.floor(s * pinv) * p;
    }
    s -= Math.floor(s * pinv) * p;
    if (s < 0) s += p;
    else if (s >= p) s -= p;
    out[i] = mulMod(s, T[o + i]!, p, pinv);
  }
}

/**
 * n/d with |n| <= N, 0 < d <= D and n ≡ u d (mod M), if one exists (Wang's half extended
 * Euclid); unique when 2 N D < M.
 */
function reconstruct(u: bigint, M: bigint, N: bigint, D: bigint): { num: bigint; den: bigint } | null {
  let r0 = M;
  let r1 = ((u % M) + M) % M;
  let t0 = 0n;
  let t1 = 1n;
  while (r1 > N) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (t1 === 0n || babs(t1) > D) return null;
  return t1 < 0n ? { num: -r1, den: -t1 } : { num: r1, den: t1 };
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((n.toString(2).length >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** The common-denominator reconstruction of X (mod M) and its exact check against A x = b. */
function tryReconstruct(
  A: readonly (readonly bigint[])[],
  b: readonly bigint[],
  X: readonly bigint[],
  M: bigint,
): { den: bigint; num: bigint[] } | null {
  const half = isqrt(M / 2n);
  let den = 1n;
  for (const u of X) {
    let v = (u * den) % M;
    if (v > M >> 1n) v -= M;
    if (babs(v) <= half) continue;
    const q = reconstruct(v, M, half, half / den);
    if (!q) return null;
    den *= q.den;
  }
  const num = X.map((u) => {
    const v = (u * den) % M;
    return v > M >> 1n ? v - M : v;
  });
  if (num.some((v) => babs(v) > half)) return null;
  for (let i = 0; i < A.length; i++) {
    const row = A[i]!;
    let s = 0n;
    for (let j = 0; j < num.length; j++) if (num[j] !== 0n && row[j] !== 0n) s += row[j]! * num[j]!;
    if (s !== den * b[i]!) return null;
  }
  return { den, num };
}

export function dixonSolve(
  A: readonly (readonly bigint[])[],
  b: readonly bigint[],
): { den: bigint; num: bigint[] } | null {
  return dixonSolveMany(A, [b])?.[0] ?? null;
}

/** A x = b for each b, on one factorization (an entry is null when its lifting fails; null when A is singular mod each prime). */
export function dixonSolveMany(
  A: readonly (readonly bigint[])[],
  bs: readonly (readonly bigint[])[],
): ({ den: bigint; num: bigint[] } | null)[] | null {
  const n = A.length;
  if (n === 0) return bs.map(() => ({ den: 1n, num: [] }));
  let p = 0;
  let lu: LU | null = null;
  for (let k = 0; k < TRIES && !lu; k++) {
    p = dixonPrime(k);
    lu = luModP(A, p);
  }
  if (!lu) return null;
  noteNonsingular(A); // det A ≢ 0 mod p: later rank questions on A are answered without eliminating
  const P = BigInt(p);
  // A as Numbers when every row sum of |A_ij| x_j (x_j < p) stays below 2^53, else BigInt.
  let maxA = 0n;
  for (const row of A) for (const v of row) if (babs(v) > maxA) maxA = babs(v);
  const Af = Number(maxA) * p * n < TWO53 ? Float64Array.from(A.flat(), Number) : null;
  const logp = Math.log2(p);
  return bs.map((b) => lift(A, b, lu!, p, P, Af, logp));
}

function lift(
  A: readonly (readonly bigint[])[],
  b: readonly bigint[],
  lu: LU,
  p: number,
  P: bigint,
  Af: Float64Array | null,
  logp: number,
): { den: bigint; num: bigint[] } | null {
  const n = A.length;
  const guaranteed = 2 * hadamardBits(A, b) + 2;
  const r = b.slice();
  const X = new Array<bigint>(n).fill(0n); // Σ_k x_k p^k
  let M = 1n; // p^k
  const rm = new Float64Array(n);
  let nextTry = 64;
  for (let k = 0; ; k++) {
    for (let i = 0; i < n; i++) {
      const v = r[i]!;
      const x = Number(v);
      const m = Math.abs(x) < TWO53 ? x % p : Number(v % P);
      rm[i] = m < 0 ? m + p : m;
    }
    const xk = new Float64Array(n);
    luSolveModP(lu, rm, p, xk);
    for (let i = 0; i < n; i++) if (xk[i] !== 0) X[i] += BigInt(xk[i]!) * M;
    M *= P;
    // r <- (r - A x_k) / p, exact
    for (let i = 0; i < n; i++) {
      let t: bigint;
      if (Af) {
        let s = 0;
        const o = i * n;
        for (let j = 0; j < n; j++) s += Af[o + j]! * xk[j]!;
        t = BigInt(s);
      } else {
        t = 0n;
        const row = A[i]!;
        for (let j = 0; j < n; j++) if (xk[j] !== 0) t += row[j]! * BigInt(xk[j]!);
      }
      r[i] = (r[i]! - t) / P;
    }
    const bits = (k + 1) * logp;
    if (bits >= nextTry || bits >= guaranteed) {
      const sol = tryReconstruct(A, b, X, M);
      if (sol) return sol;
      if (bits >= guaranteed) return null; // cannot happen for A nonsingular mod p; the caller decides
      nextTry = Math.min(guaranteed, bits * 1.5);
    }
  }
}
