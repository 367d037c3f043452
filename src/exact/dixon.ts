// Exact square integer solves by p-adic lifting (Dixon 1982): one LU factorization of A
// modulo a prime p < 2^20 (O(n³) Number operations, once), then lifting steps of O(n²) each:
//   x_k = A⁻¹ r_k (mod p, by the LU factors),  r_{k+1} = (r_k - A x_k) / p   (exact integer division),
// so Σ_k x_k p^k ≡ A⁻¹ b (mod p^K). Rational reconstruction (one common denominator) turns
// that into num / den, and a bound decides it exactly (a wrong early guess is never
// returned): the lifting keeps b = A X + M r exactly, so A X ≡ b (mod M), and num ≡ den X,
// hence A num - den b ≡ 0 (mod M); when max_i Σ_j |A_ij| |num_j| + den |b_i| < M it is 0.
// Otherwise (rare: huge rows early on) the product A num is formed and compared.
// Reconstruction is tried as the p-adic precision grows (×1.5, from half of what the float
// determinant says a reduced answer needs, or from 64 bits without one), so a solution with
// short numerators stops early; by 2B + 2 bits (B the Hadamard bound on det A and the Cramer
// numerators) reconstruction is guaranteed to succeed. The lifting steps, the LU and the
// digits' sums run in WebAssembly (src/exact/kernels/).
// Compared with crtSolve (one O(n³) elimination per 26 bits of the answer), the cost is one
// elimination plus O(n²) per 20 bits (src/exact/luModP.ts), O(T n²) Number operations when
// the entries take T limbs (src/exact/limbMatrix.ts).
//
// Returns the solution with den > 0 (any common denominator: the reduced one here, not
// necessarily |det A|), or null when A is singular modulo each prime tried (singular over
// Q, or unlucky): the caller falls back to a route that decides.
import { hadamard, noteNonsingular } from './modular.ts';
import { LONG, babs, bitLength, lehmerStep } from './rational.ts';
import { lehmerHalf } from './lehmer.ts';
import { dot, luModP, luPrime, type LU } from './luModP.ts';
import { claim } from './wasm.ts';
import { floatSolve } from './floatSolve.ts';
import { fromLimbs } from './hexLimbs.ts';
import { ResidualLimbs, splitLimbs, type Limbs } from './limbMatrix.ts';

const TWO52 = 2 ** 52;
const TWO53 = 2 ** 53;
const TWO53N = 1n << 53n;
const TRIES = 3;

/** Row-major residues of A mod p in [0, p); Af holds A as Numbers when every entry is below 2^53. */
function residues(A: readonly (readonly bigint[])[], Af: Float64Array | null, p: number): Float64Array {
  const n = A.length;
  const R = new Float64Array(n * n);
  const P = BigInt(p);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const r = Af ? Af[i * n + j]! % p : Number(A[i]![j]! % P);
      R[i * n + j] = r < 0 ? r + p : r;
    }
  return R;
}

/**
 * n/d with |n| <= N, 0 < d <= D and n ≡ u d (mod M), if one exists (Wang's half extended
 * Euclid); unique when 2 N D < M.
 */
export function reconstruct(u: bigint, M: bigint, N: bigint, D: bigint): { num: bigint; den: bigint } | null {
  let r0 = M;
  let r1 = ((u % M) + M) % M;
  let t0 = 0n;
  let t1 = 1n;
  // a long r1 and N = 2^h (tryReconstruct's): Lehmer steps on limbs in WebAssembly first
  const h = bitLength(N) - 1;
  if (r1 > LONG && N === 1n << BigInt(h)) [r0, r1, t0, t1] = lehmerHalf(r0, r1, t0, t1, h) ?? [r0, r1, t0, t1];
  // Lehmer steps (the same quotients as Euclid's, many per step) while they stay above N; a
  // step that would land at or below N is undone, and the last ones run one at a time, so the
  // stop is Euclid's first r1 <= N.
  let lehmer = true;
  const held = {};
  while (r1 > N) {
    const m = lehmer && r1 > TWO53N ? lehmerStep(r0, r1, held) : null;
    if (m) {
      const [A, B, C, D] = m.map(BigInt) as [bigint, bigint, bigint, bigint];
      const r = C * r0 + D * r1;
      if (r > N) {
        [r0, r1] = [A * r0 + B * r1, r];
        [t0, t1] = [A * t0 + B * t1, C * t0 + D * t1];
        continue;
      }
      lehmer = false;
    }
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  if (t1 === 0n || babs(t1) > D) return null;
  return t1 < 0n ? { num: -r1, den: -t1 } : { num: r1, den: t1 };
}

/**
 * max_i Σ_j |A_ij|: with max|b| and the reconstruction's sizes, the congruence argument's
 * bound. In doubles from Af when every row sum stays below 2^53 (n max|A|): then exact.
 */
export function maxRowAbs(A: readonly (readonly bigint[])[], Af: Float64Array | null, maxA: number): bigint {
  const n = A.length;
  if (Af && n * maxA < TWO53) {
    let m = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += Math.abs(Af[i * n + j]!);
      if (s > m) m = s;
    }
    return BigInt(m);
  }
  let m = 0n;
  for (const row of A) {
    let s = 0n;
    for (const v of row) s += babs(v);
    if (s > m) m = s;
  }
  return m;
}

/** max_i |b_i|. */
function maxAbs(b: readonly bigint[]): bigint {
  let m = 0n;
  for (const v of b) if (babs(v) > m) m = babs(v);
  return m;
}

/**
 * The common-denominator reconstruction of X (A X ≡ b mod p^k), proved to solve A x = b by
 * the bound in the header (or, past it, by forming A num). X(i, t) = X_i mod p^t is asked
 * for in order and only as far as needed: a precision too low usually fails at the first
 * entry. Once a denominator is known, the numerators need only p^t > 2 half (max row sum +
 * max|b|) (with num and den at most half, as reconstruction makes them): A num ≡ den b
 * modulo it and the bound proves equality, so fewer digits are summed and multiplied.
 */
function tryReconstruct(
  A: readonly (readonly bigint[])[],
  b: readonly bigint[],
  X: (i: number, digits: number) => bigint,
  p: bigint,
  k: number,
  rowAbs: bigint,
  bAbs: bigint,
): { den: bigint; num: bigint[] } | null {
  const n = A.length;
  const M = p ** BigInt(k);
  // numerators and denominators up to 2^h with 2 · 2^(2h) <= M: the reconstruction is unique
  const half = 1n << BigInt((bitLength(M) - 2) >> 1);
  const bound = 2n * half * (rowAbs + bAbs);
  let t = 1;
  let Mt = p;
  while (Mt <= bound && t < k) [t, Mt] = [t + 1, Mt * p];
  if (Mt <= bound) [t, Mt] = [k, M];
  // den X_i symmetric mod m (X_i and den are nonnegative)
  const residue = (x: bigint, den: bigint, m: bigint) => {
    const v = (x * den) % m;
    return v > m >> 1n ? v - m : v;
  };
  let den = 1n;
  const num = new Array<bigint>(n);
  let from = 0; // num[i] for i < from was formed with an earlier den
  for (let i = 0; i < n; i++) {
    let v = den === 1n ? half + 1n : residue(X(i, t), den, Mt);
    if (babs(v) > half) {
      // den does not clear entry i: its full residue, and a longer den from reconstruction
      v = residue(X(i, k), den, M);
      if (babs(v) > half) {
        const q = reconstruct(v, M, half, half / den);
        if (!q) return null;
        den *= q.den;
        from = i;
        v = q.num;
      }
    }
    num[i] = v;
  }
  for (let i = 0; i < from; i++) num[i] = residue(X(i, t), den, Mt);
  let numAbs = 0n;
  for (const v of num) if (babs(v) > numAbs) numAbs = babs(v);
  if (numAbs > half) return null;
  if (rowAbs * numAbs + den * bAbs < Mt) return { den, num };
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

/** A (n × n) as row-major doubles when every entry is below 2^53 (each then exact), else null. */
export function numbersOf(A: readonly (readonly bigint[])[]): Float64Array | null {
  const n = A.length;
  const Af = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const x = Number(A[i]![j]!);
      if (Math.abs(x) >= TWO53) return null;
      Af[i * n + j] = x;
    }
  return Af;
}

/**
 * A x = b for each b, on one factorization (an entry is null when its lifting fails; null when
 * A is singular mod each prime). Af: numbersOf(A), when the caller has it already.
 */
export function dixonSolveMany(
  A: readonly (readonly bigint[])[],
  bs: readonly (readonly bigint[])[],
  Af: Float64Array | null = numbersOf(A),
): ({ den: bigint; num: bigint[] } | null)[] | null {
  const n = A.length;
  if (n === 0) return bs.map(() => ({ den: 1n, num: [] }));
  let maxA = 0;
  if (Af) for (const x of Af) if (Math.abs(x) > maxA) maxA = Math.abs(x);
  let lu: LU | null = null;
  for (let k = 0; k < TRIES && !lu; k++) {
    const p = luPrime(k);
    lu = luModP(residues(A, Af, p), n, p);
  }
  if (!lu) return null;
  noteNonsingular(A); // det A ≢ 0 mod p: later rank questions on A are answered without eliminating
  // S bounds every row sum Σ_j |A_ij| x_j with digits x_j < p (a float product of integers
  // rounds monotonically, so S < 2^52 here implies it for the exact product). Beyond, the
  // residual lives in limbs (src/exact/limbMatrix.ts).
  const S = Af ? n * maxA * (lu.p - 1) : Infinity;
  const route: Route = S < TWO52 ? { Af: Af!, limbs: null } : { Af: null, limbs: splitLimbs(A) };
  const rowAbs = maxRowAbs(A, Af, maxA);
  const det = detBits(A, Af);
  const bitsOf = hadamard(A, Af);
  const guaranteed = bs.map((b) => 2 * bitsOf(b) + 2); // bits by which reconstruction succeeds
  const ws = workspace(lu, route.Af, Math.max(0, ...guaranteed));
  // a solved right-hand side's length is the next one's first try (one matrix, usually one denominator)
  let seen: number | null = null;
  return bs.map((b, k) => {
    const sol = lift(A, b, ws, route, rowAbs, det, guaranteed[k]!, seen);
    if (sol) seen = 2 * Math.max(bitLength(sol.den), bitLength(maxAbs(sol.num))) + 2;
    return sol;
  });
}

/**
 * The lifting's arrays in the kernels' memory (src/exact/wasm.ts), claimed once for every
 * right-hand side: the LU factors, A as Numbers (the Number route), the residual rf, rm =
 * r mod p, every digit x_k (up to `bits` of precision) and a row's value as limbs and text.
 */
function workspace(lu: LU, Af: Float64Array | null, bits: number) {
  const n = lu.perm.length;
  const steps = Math.ceil(bits / Math.log2(lu.p)) + 1;
  const limbs = Math.ceil((steps * Math.log2(lu.p)) / 28) + 2;
  const c = claim([8 * n * n, 4 * n, Af ? 8 * n * n : 0, 8 * n, 8 * n, 8 * n * steps, 4 * limbs, 7 * limbs]);
  const [T, perm, Aw, rf, rm, D, value, text] = c.at;
  c.f64.set(lu.T, T / 8);
  c.i32.set(lu.perm, perm / 4);
  if (Af) c.f64.set(Af, Aw / 8);
  return { kernels: c.k, f64: c.f64, p: lu.p, T, perm, Aw, rf, rm, D, value, text };
}

/**
 * log2 |det A| by float elimination (src/exact/kernels/eliminate.wat floatSolve), or null when a float
 * pivot vanishes or an entry is out of float range. It only schedules reconstruction tries:
 * a reduced solution needs about 2 log2 |det A| + 2 log2 max|b| bits, and the ×1.5 schedule
 * alone overshoots that by up to half (3420 bits lifted for 2560 needed at n = 128).
 */
function detBits(A: readonly (readonly bigint[])[], Af: Float64Array | null): number | null {
  const n = A.length;
  const rows = Af ? A.map((_, i) => Af.subarray(i * n, (i + 1) * n)) : A.map((row) => row.map(Number));
  for (const row of rows) for (let j = 0; j < n; j++) if (!(Math.abs(row[j]!) < 2 ** 500)) return null; // products and sums stay finite
  const bits = floatSolve(rows, new Float64Array(n))?.log2Det;
  return bits !== undefined && Number.isFinite(bits) ? bits : null;
}

/** Af: A as Numbers when S < 2^52 (A x_k and a residual below 2^52 exact in Numbers); else A in limbs. */
type Route = { Af: Float64Array; limbs: null } | { Af: null; limbs: Limbs };

/**
 * Lifting: x_k = A⁻¹ r_k mod p, r_{k+1} = (r_k - A x_k) / p, r_0 = b.
 *
 * With Af (S < 2^52, S = n max|A| (p - 1), see dixonSolveMany) the residual runs in Number
 * arithmetic once |r_k| <= 2^52: |A x_k| <= S, so |r_k - A x_k| < 2^53 is exact, divisible by p
 * (A x_k ≡ r_k mod p) and the quotient is exact; and |r_{k+1}| <= (2^52 + S) / p <= 2^52
 * since S <= (p - 1) 2^52, so the route holds for every later step. Before (b beyond 2^52),
 * BigInt; |r_{k+1}| <= |r_k| / p + S / p shrinks towards the Number route. Without Af, limbs.
 */
function lift(
  A: readonly (readonly bigint[])[],
  b: readonly bigint[],
  { kernels, f64, p, T, perm, Aw, rf: rfAt, rm: rmAt, D, value, text }: ReturnType<typeof workspace>,
  { Af, limbs }: Route,
  rowAbs: bigint,
  det: number | null,
  guaranteed: number,
  seen: number | null,
): { den: bigint; num: bigint[] } | null {
  const n = A.length;
  const P = BigInt(p);
  const logp = Math.log2(p);
  const bAbs = maxAbs(b);
  const rl = limbs ? new ResidualLimbs(limbs, b, p) : null;
  const rf = f64.subarray(rfAt / 8, rfAt / 8 + n);
  const rm = f64.subarray(rmAt / 8, rmAt / 8 + n);
  let rb: bigint[] | null = rl ? null : b.slice(); // BigInt residual, null once rf holds it
  if (rb && fitsNumber(rb, rf)) rb = null;
  // tries from half the precision the float determinant says a reduced answer needs (with
  // 1% and 16 bits to spare) and ×1.5 on, with one try at that precision itself; without a
  // determinant from 64 bits; after another right-hand side of A, from that one's length. A
  // shorter answer (a denominator far below det A) costs lifting steps past its need, each
  // O(n²); a try that fails costs a reconstruction.
  const predicted = det === null ? Infinity : 1.01 * 2 * (det + Math.max(0, bitLength(bAbs))) + 16;
  let nextTry = seen !== null ? 1.02 * seen + 8 : det === null ? 64 : Math.max(64, predicted / 2);
  for (let k = 0; ;) {
    // k digits so far; the next ones go to D + 8 n k
    const xAt = D + 8 * n * k;
    if (!rl && !rb) {
      // the Number route, whole, in one call up to the next try
      const run = Math.max(1, Math.ceil(Math.min(nextTry, guaranteed) / logp) - k);
      kernels.liftSteps(T, perm, Aw, n, p, rfAt, rmAt, xAt, run);
      k += run;
    } else {
      if (rl) rl.mod(rm);
      else
        for (let i = 0; i < n; i++) {
          const v = rb![i]!;
          const x = Number(v);
          const m = Math.abs(x) < TWO53 ? x % p : Number(v % P);
          rm[i] = m < 0 ? m + p : m;
        }
      kernels.solveModP(T, perm, n, p, rmAt, xAt);
      const x = f64.subarray(xAt / 8, xAt / 8 + n);
      if (rl) rl.step(x);
      else {
        for (let i = 0; i < n; i++) rb![i] = (rb![i]! - BigInt(dot(Af!, i * n, x, 0, n))) / P;
        if (fitsNumber(rb!, rf)) rb = null;
      }
      k++;
    }
    const bits = k * logp;
    if (bits >= nextTry || bits >= guaranteed) {
      // X_i = Σ_{t < k} x_t,i p^t, row by row as reconstruction asks: Horner on limbs in the
      // kernels, out as text
      const Xi = (i: number, digits: number) =>
        fromLimbs(value, kernels.digitsToLimbs(D, n, i, 0, digits, p, value), text);
      const sol = tryReconstruct(A, b, Xi, P, k, rowAbs, bAbs);
      if (sol) return sol;
      if (bits >= guaranteed) return null; // cannot happen for A nonsingular mod p; the caller decides
      nextTry = Math.min(guaranteed, bits * 1.5, bits < predicted ? predicted : Infinity);
    }
  }
}

/** Copy r into f when every |r_i| <= 2^52 (the Number route's bound); false otherwise. */
function fitsNumber(r: readonly bigint[], f: Float64Array): boolean {
  for (const v of r) if (babs(v) > 1n << 52n) return false;
  for (let i = 0; i < r.length; i++) f[i] = Number(r[i]!);
  return true;
}
