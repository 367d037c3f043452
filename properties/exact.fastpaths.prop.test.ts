// The exact kernel's fast paths (ARCHITECTURE.md: exact at near-float speed) against plain
// slow routes written here, so deleting or breaking a fast path's proof makes a test fail:
// (1) modular.ts crtSolve / rankModP vs a fraction-free Bareiss determinant and rank, with
//     singular systems and systems singular modulo the first or second prime only (the
//     caller must fall back); (2) activeSet.ts lcpOnBasis accepts exactly the right bases
//     (wrong ones are rejected: the verification is live), lcpByGuess / solveQP return the
//     unique optimum on planted near-degenerate problems where float guesses go wrong, and
//     solveQP satisfies KKT in Q against plain lemke; (3) Lehmer gcd and lcm vs Euclid on
//     long BigInts; (4) Params.plus and certify's shared-denominator ε² vs vectors; (5) the float
//     Lemke guess on degenerate max-margin duals (ties broken by a shifted q) verifies exactly.
// Instances are parameters (n, bits, seed, ...) mapped through a seeded generator, so
// counterexamples are plain JSON and shrink toward small n and seed 0.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational, gcd, lcm } from '../src/exact/rational.ts';
import { ScaledVec, gram } from '../src/exact/vec.ts';
import { crtSolve, rankModP } from '../src/exact/modular.ts';
import { rank, solve, solveShared } from '../src/exact/pivot.ts';
import { lcpByGuess, lcpOnBasis } from '../src/exact/activeSet.ts';
import { lemke } from '../src/exact/lcp.ts';
import { solveQP } from '../src/exact/qp.ts';
import { makeDataset, type Label } from '../src/data/dataset.ts';
import { plantedInts } from '../src/data/generators.ts';
import { Params } from '../src/models/params.ts';
import type { Model } from '../src/models/model.ts';
import { certify } from '../src/kkt/certificate.ts';
import { contextOf } from '../src/unlearn/pipeline.ts';
import { mulberry32 } from '../src/float/prng.ts';
import { liveTwin, params, tally } from './support.ts';

const R = (n: number | bigint, d: number | bigint = 1) => Rational.of(n, d);
const ZERO = Rational.ZERO;
type Q = Rational;
type Mat = Q[][];

// ---- seeded generator (the instance is a function of plain JSON parameters) ----

class Gen {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  /** A uniform nonnegative integer below 2^bits. */
  bits(bits: number): bigint {
    let v = 0n;
    for (let k = 0; k < bits; k += 32) v = (v << 32n) | BigInt(Math.floor(this.next() * 4294967296));
    return v & ((1n << BigInt(bits)) - 1n);
  }
  /** A signed integer of random length up to `bits`, with small values and the 2^53 edge. */
  big(bits: number): bigint {
    const r = this.next();
    const s = this.chance(0.5) ? -1n : 1n;
    if (r < 0.15) return BigInt(this.int(-3, 3));
    if (r < 0.22 && bits >= 54) return s * ((1n << 53n) + BigInt(this.int(-1, 1)));
    return s * this.bits(this.int(1, bits));
  }
  /** Small rational with denominators that do not divide one another (mixed). */
  rat(max = 6): Q {
    return R(this.int(-max, max), [1, 2, 3, 4, 5, 6, 7, 9, 10, 12][this.int(0, 9)]!);
  }
}

// ---- plain references (BigInt / Rational; nothing from the fast paths under test) ----

/** Largest primes below 2^26, found here by trial division (modular.ts uses them in this order). */
function primesBelow26(count: number): bigint[] {
  const out: bigint[] = [];
  for (let p = (1 << 26) - 1; out.length < count; p -= 2) {
    let f = 3;
    while (f * f <= p && p % f !== 0) f += 2;
    if (f * f > p) out.push(BigInt(p));
  }
  return out;
}
const [P0, P1] = primesBelow26(2) as [bigint, bigint];

/** Exact division or a thrown error: the reference must not truncate silently. */
function exactDiv(a: bigint, b: bigint): bigint {
  if (a % b !== 0n) throw new Error('reference Bareiss: inexact division');
  return a / b;
}

/** Fraction-free Bareiss determinant. */
function bareissDet(A: readonly (readonly bigint[])[]): bigint {
  const n = A.length;
  const T = A.map((r) => r.slice());
  let prev = 1n;
  let sign = 1n;
  for (let k = 0; k < n; k++) {
    let p = k;
    while (p < n && T[p]![k] === 0n) p++;
    if (p === n) return 0n;
    if (p !== k) {
      [T[p], T[k]] = [T[k]!, T[p]!];
      sign = -sign;
    }
    for (let i = k + 1; i < n; i++) {
      for (let j = k + 1; j < n; j++) T[i]![j] = exactDiv(T[i]![j]! * T[k]![k]! - T[i]![k]! * T[k]![j]!, prev);
      T[i]![k] = 0n;
    }
    prev = T[k]![k]!;
  }
  return sign * T[n - 1]![n - 1]!;
}

/** Fraction-free rank (Bareiss with skipped zero columns). */
function bareissRank(A: readonly (readonly bigint[])[]): number {
  const m = A.length;
  const n = m ? A[0]!.length : 0;
  const T = A.map((r) => r.slice());
  let rk = 0;
  let prev = 1n;
  for (let c = 0; c < n && rk < m; c++) {
    let p = rk;
    while (p < m && T[p]![c] === 0n) p++;
    if (p === m) continue;
    [T[p], T[rk]] = [T[rk]!, T[p]!];
    for (let i = rk + 1; i < m; i++) {
      for (let j = c + 1; j < n; j++) T[i]![j] = exactDiv(T[i]![j]! * T[rk]![c]! - T[i]![c]! * T[rk]![j]!, prev);
      T[i]![c] = 0n;
    }
    prev = T[rk]![c]!;
    rk++;
  }
  return rk;
}

const mod = (a: bigint, p: bigint) => ((a % p) + p) % p;
function powMod(b: bigint, e: bigint, p: bigint): bigint {
  let r = 1n;
  b = mod(b, p);
  for (; e > 0n; e >>= 1n, b = (b * b) % p) if (e & 1n) r = (r * b) % p;
  return r;
}

/** Gaussian elimination over Rational: the solution, or null when singular. */
function gaussSolve(A: readonly (readonly Q[])[], b: readonly Q[]): Q[] | null {
  const n = A.length;
  const T = A.map((r, i) => [...r, b[i]!]);
  for (let c = 0; c < n; c++) {
    const p = T.findIndex((row, i) => i >= c && !row[c]!.isZero());
    if (p < 0) return null;
    [T[p], T[c]] = [T[c]!, T[p]!];
    for (let i = 0; i < n; i++) {
      if (i === c || T[i]![c]!.isZero()) continue;
      const f = T[i]![c]!.div(T[c]![c]!);
      T[i] = T[i]!.map((v, k) => v.sub(f.mul(T[c]![k]!)));
    }
  }
  return T.map((row, i) => row[n]!.div(row[i]!));
}

const dot = (a: readonly Q[], b: readonly Q[]) => a.reduce((s, v, k) => (v.isZero() ? s : s.add(v.mul(b[k]!))), ZERO);
const matVec = (A: readonly (readonly Q[])[], x: readonly Q[]) => A.map((row) => dot(row, x));
const transpose = (A: readonly (readonly Q[])[], cols: number): Mat =>
  Array.from({ length: cols }, (_, c) => A.map((row) => row[c]!));
const strs = (a: readonly Q[]) => a.map(String);

// ================= (1) modular.ts: CRT solves and the rank test modulo a prime =================

type SysKind = 'random' | 'singular' | 'unlucky0' | 'unlucky1';
interface SysSpec {
  n: number;
  bits: number;
  seed: number;
  kind: SysKind;
}

const arbSysSpec = (kinds: SysKind[] = ['random', 'singular', 'unlucky0', 'unlucky1']): fc.Arbitrary<SysSpec> =>
  fc.record({
    n: fc.integer({ min: 1, max: 12 }),
    bits: fc.constantFrom(8, 30, 60, 100),
    seed: fc.nat(),
    kind: fc.constantFrom(...kinds),
  });

/**
 * Make det(A) ≡ 0 (mod p) but det(A) != 0: det is affine in one entry, det(A + t e_rc) =
 * D0 + t K, so t = -D0 / K (mod p) kills it modulo p (plus p if it killed it over Q).
 * The zero then shows up deep in the elimination modulo p, not in a visible zero row.
 */
function makeUnlucky(A: bigint[][], p: bigint, g: Gen): void {
  const n = A.length;
  const D0 = bareissDet(A);
  const start = g.int(0, n * n - 1);
  for (let s = 0; s < n * n; s++) {
    const r = Math.floor(((start + s) % (n * n)) / n);
    const c = (start + s) % n;
    A[r]![c]! += 1n;
    const K = bareissDet(A) - D0;
    A[r]![c]! -= 1n;
    if (mod(K, p) === 0n) continue;
    let t = mod(-D0 * powMod(K, p - 2n, p), p);
    if (D0 + t * K === 0n) t += p;
    A[r]![c]! += t;
    return;
  }
  // every cofactor ≡ 0 (mod p): scale a row by p instead (then det = p D0; make D0 != 0)
  for (let i = 0; i < n; i++) A[i] = A[i]!.map((v, j) => (i === j ? v + 1n : v));
  if (bareissDet(A) === 0n) for (let i = 0; i < n; i++) A[i] = A[i]!.map((_, j) => (i === j ? 1n : 0n));
  A[0] = A[0]!.map((v) => v * p);
}

function buildSystem(s: SysSpec): { A: bigint[][]; b: bigint[]; det: bigint } {
  const g = new Gen(s.seed);
  const { n } = s;
  const A = Array.from({ length: n }, () => Array.from({ length: n }, () => g.big(s.bits)));
  const b = Array.from({ length: n }, () => g.big(s.bits));
  if (s.kind === 'singular') {
    const r = g.int(0, n - 1);
    const way = g.int(0, 2);
    if (n === 1 || way === 0)
      A[r] = A[r]!.map(() => 0n); // zero row
    else if (way === 1) {
      // row r = a combination of the others (long coefficients too)
      A[r] = A[r]!.map(() => 0n);
      for (let i = 0; i < n; i++) {
        if (i === r) continue;
        const c = g.big(Math.min(s.bits, 40));
        A[r] = A[r]!.map((v, j) => v + c * A[i]![j]!);
      }
    } else {
      const c = (r + 1 + g.int(0, n - 2)) % n; // column c = a long multiple of column r
      const f = g.big(Math.min(s.bits, 40));
      for (const row of A) row[c] = row[r]! * f;
    }
  } else if (s.kind === 'unlucky0') makeUnlucky(A, P0, g);
  else if (s.kind === 'unlucky1') makeUnlucky(A, P1, g);
  return { A, b, det: bareissDet(A) };
}

describe('(1) modular.ts: crtSolve agrees with Bareiss; a prime-unlucky matrix falls back', () => {
  const stat = tally('exact.fastpaths.crt');
  const seen = { crt: 0, fallback: 0, singular: 0, big: 0 };
  test.prop([arbSysSpec()], params(150))(
    'crtSolve: null or den = |det A| with A·num = den·b; solveShared and solve give that exact answer; null iff det = 0',
    (spec) => {
      const { A, b, det } = buildSystem(spec);
      const fast = crtSolve(A, b);
      const shared = solveShared(A, b);
      const x = solve(
        A.map((r) => r.map((v) => R(v))),
        b.map((v) => R(v)),
      );
      stat('run');
      stat(spec.kind);
      if (det === 0n) {
        seen.singular++;
        expect(fast).toBeNull();
        expect(shared).toBeNull();
        expect(x).toBeNull();
        return;
      }
      const absDet = det < 0n ? -det : det;
      if (absDet.toString(2).length > 400) seen.big++;
      // a zero pivot modulo P0 cannot be hidden: the first prime must fail (-> fallback)
      if (det % P0 === 0n) expect(fast).toBeNull();
      if (fast) {
        seen.crt++;
        expect(fast.den).toBe(absDet);
        A.forEach((row, i) => expect(row.reduce((s, a, j) => s + a * fast.num[j]!, 0n)).toBe(fast.den * b[i]!));
      } else {
        seen.fallback++;
        stat('fallback (det != 0, singular mod a prime)');
      }
      expect(shared).not.toBeNull();
      expect(shared!.den).toBe(absDet);
      A.forEach((row, i) => expect(row.reduce((s, a, j) => s + a * shared!.num[j]!, 0n)).toBe(shared!.den * b[i]!));
      if (fast) expect(shared).toEqual(fast);
      expect(strs(x!)).toEqual(strs(shared!.num.map((v) => R(v, shared!.den))));
    },
  );
  test('CRT answers, fallbacks, singular systems and determinants over 400 bits all occurred', () => {
    expect(seen.crt).toBeGreaterThan(0);
    expect(seen.fallback).toBeGreaterThan(0);
    expect(seen.singular).toBeGreaterThan(0);
    expect(seen.big).toBeGreaterThan(0);
  });

  test('fixed examples: det = P0 (no entry ≡ 0 mod P0) and det = P1 need the fallback; answers exact', () => {
    expect(crtSolve([[P0]], [1n])).toBeNull();
    expect(solveShared([[P0]], [1n])).toEqual({ den: P0, num: [1n] });
    for (const p of [P0, P1]) {
      const A = [
        [2n, 1n],
        [1n, (p + 1n) / 2n],
      ];
      expect(bareissDet(A)).toBe(p);
      if (p === P0) expect(crtSolve(A, [1n, 2n])).toBeNull();
      const s = solveShared(A, [1n, 2n])!;
      expect(s.den).toBe(p);
      expect(A.map((row) => row[0]! * s.num[0]! + row[1]! * s.num[1]!)).toEqual([s.den, 2n * s.den]);
    }
  });

  const arbRankSpec = fc.record({
    rows: fc.integer({ min: 1, max: 8 }),
    cols: fc.integer({ min: 1, max: 8 }),
    inner: fc.integer({ min: 0, max: 8 }),
    bits: fc.constantFrom(8, 60, 100),
    seed: fc.nat(),
    kind: fc.constantFrom('random', 'lowrank', 'unlucky0'),
  });
  const rankSeen = { modpExact: 0, modpLow: 0, deficient: 0 };
  test.prop([arbRankSpec], params(150))(
    'rankModP <= rank over Q (equal when full); rank() equals fraction-free rank, also when P0 under-reports',
    ({ rows, cols, inner, bits, seed, kind }) => {
      const g = new Gen(seed);
      let A: bigint[][];
      if (kind === 'unlucky0') A = buildSystem({ n: Math.min(rows, 8), bits, seed, kind: 'unlucky0' }).A;
      else if (kind === 'lowrank') {
        const L = Array.from({ length: rows }, () => Array.from({ length: inner }, () => g.big(bits >> 1)));
        const Rm = Array.from({ length: inner }, () => Array.from({ length: cols }, () => g.big(bits >> 1)));
        A = L.map((row) => Array.from({ length: cols }, (_, c) => row.reduce((s, v, t) => s + v * Rm[t]![c]!, 0n)));
      } else A = Array.from({ length: rows }, () => Array.from({ length: cols }, () => g.big(bits)));
      const ref = bareissRank(A);
      const full = Math.min(A.length, A[0]!.length);
      const rp = rankModP(A);
      expect(rp).toBeLessThanOrEqual(ref);
      if (rp === full) expect(ref).toBe(full);
      if (rp < ref) rankSeen.modpLow++;
      else rankSeen.modpExact++;
      if (ref < full) rankSeen.deficient++;
      expect(rank(A.map((r) => r.map((v) => R(v))))).toBe(ref);
      // a rational row scaling changes nothing
      expect(rank(A.map((r, i) => r.map((v) => R(v, i + 2))))).toBe(ref);
    },
  );
  test('rank: P0 under-reporting (fallback decides) and deficient matrices both occurred', () => {
    expect(rankSeen.modpLow).toBeGreaterThan(0);
    expect(rankSeen.deficient).toBeGreaterThan(0);
  });

  test('live twin: "crtSolve null means singular over Q" is refuted (the fallback is needed)', () => {
    const ce = liveTwin(
      'exact.crt-null-singular',
      'exact.crtSolve',
      'a null from crtSolve proves det A = 0 (no Bareiss fallback needed)',
      arbSysSpec(['random', 'unlucky0', 'unlucky1']),
      (spec) => {
        const { A, b, det } = buildSystem(spec);
        return crtSolve(A, b) !== null || det === 0n;
      },
      300,
    );
    expect(bareissDet(buildSystem(ce).A)).not.toBe(0n);
  });

  test('live twin: "one prime reconstructs the answer" is refuted (Garner over many primes is exercised)', () => {
    const ce = liveTwin(
      'exact.crt-one-prime',
      'exact.crtSolve',
      "|det A| and every Cramer numerator lie within one prime's symmetric range (|v| < P0/2)",
      arbSysSpec(['random']),
      (spec) => {
        const { A, b } = buildSystem(spec);
        const s = crtSolve(A, b);
        const small = (v: bigint) => 2n * (v < 0n ? -v : v) < P0;
        return s === null || (small(s.den) && s.num.every(small));
      },
      300,
    );
    expect(ce.n).toBeLessThanOrEqual(2);
  });
});

// ============ (2) activeSet.ts: the float-guessed basis, verified exactly ============

interface PlantedSpec {
  n: number;
  seed: number;
  /** tiny values are 10^-tinyExp: below double resolution relative to the others from 16 on */
  tinyExp: number;
}
const arbPlanted: fc.Arbitrary<PlantedSpec> = fc.record({
  n: fc.integer({ min: 1, max: 6 }),
  seed: fc.nat(),
  tinyExp: fc.integer({ min: 4, max: 30 }),
});

/** Symmetric positive definite D (BᵀB + I) D with D a rational diagonal (mixed denominators). */
function pdMatrix(g: Gen, n: number): Mat {
  const B = Array.from({ length: n }, () => Array.from({ length: n }, () => g.int(-3, 3)));
  const D = Array.from({ length: n }, () => R(g.int(1, 5), g.int(1, 4)));
  return Array.from({ length: n }, (_, i) =>
    Array.from({ length: n }, (_, j) =>
      R(B.reduce((s, row) => s + row[i]! * row[j]!, 0) + (i === j ? 1 : 0))
        .mul(D[i]!)
        .mul(D[j]!),
    ),
  );
}

/** A value for a planted solution: a tiny one (float Lemke cannot see it), an integer, or zero. */
function plantedValue(g: Gen, tiny: Q, allowZero: boolean): Q {
  const r = g.next();
  if (r < 0.45) return tiny.mul(R(g.int(1, 3)));
  if (allowZero && r < 0.6) return ZERO;
  return R(g.int(1, 5), g.int(1, 3));
}

/**
 * An LCP w = Mz + q with M positive definite and a planted solution (z*, w*): z* and w* are
 * complementary and nonnegative, q = w* - M z*. z* is THE solution (M PD: unique).
 */
function buildPlanted(s: PlantedSpec): { M: Mat; q: Q[]; z: Q[]; w: Q[] } {
  const g = new Gen(s.seed);
  const M = pdMatrix(g, s.n);
  const tiny = R(1, 10n ** BigInt(s.tinyExp));
  const basic = Array.from({ length: s.n }, () => g.chance(0.5));
  const z = basic.map((b) => (b ? plantedValue(g, tiny, false) : ZERO));
  const w = basic.map((b) => (b ? ZERO : plantedValue(g, tiny, true)));
  const q = matVec(M, z).map((v, k) => w[k]!.sub(v));
  return { M, q, z, w };
}

const basisOf = (mask: number, n: number) => Array.from({ length: n }, (_, k) => ((mask >> k) & 1) === 1);

/** Why a complementary basis fails, decided with Gaussian elimination over Q. */
function classifyBasis(
  M: Mat,
  q: readonly Q[],
  basic: readonly boolean[],
): { kind: 'singular' | 'z<0' | 'w<0' | 'valid'; z: Q[] } {
  const B = basic.flatMap((b, i) => (b ? [i] : []));
  const y = gaussSolve(
    B.map((k) => B.map((j) => M[k]![j]!)),
    B.map((k) => q[k]!.neg()),
  );
  const z = new Array<Q>(q.length).fill(ZERO);
  if (!y) return { kind: 'singular', z };
  B.forEach((j, a) => (z[j] = y[a]!));
  if (y.some((v) => v.sign() < 0)) return { kind: 'z<0', z };
  const w = matVec(M, z).map((v, k) => v.add(q[k]!));
  if (w.some((v) => v.sign() < 0)) return { kind: 'w<0', z };
  return { kind: 'valid', z };
}

describe('(2) activeSet.ts: every accepted basis is verified exactly; wrong bases are rejected', () => {
  const stat = tally('exact.fastpaths.basis');
  const rejected = { 'z<0': 0, 'w<0': 0, singular: 0 };
  const guess = { accepted: 0, rejected: 0 };

  test.prop([arbPlanted], params(80))(
    'planted PD LCP: lcpOnBasis(basis) != null iff supp z* ⊆ basis ⊆ {w* = 0}, and then = z*; lcpByGuess is null or z*; solveQP = z*',
    (spec) => {
      const { M, q, z, w } = buildPlanted(spec);
      const n = q.length;
      stat('run');
      for (let mask = 0; mask < 1 << n; mask++) {
        const basic = basisOf(mask, n);
        const right = basic.every((b, k) => (b ? w[k]!.isZero() : z[k]!.isZero()));
        const got = lcpOnBasis(M, q, basic);
        if (!right) {
          // the mutation check: a wrong basis must not get through
          expect(got).toBeNull();
          const why = classifyBasis(M, q, basic).kind;
          expect(why).not.toBe('valid'); // M is PD: z* is the only solution
          if (why !== 'valid') rejected[why]++;
          continue;
        }
        expect(got).not.toBeNull();
        expect(strs(got!)).toEqual(strs(z));
      }
      const g = lcpByGuess(M, q);
      if (g) {
        guess.accepted++;
        expect(strs(g)).toEqual(strs(z));
      } else guess.rejected++;
      stat('float guess rejected', g === null);
      stat(
        'every z basic (the all-active guess)',
        z.every((v) => !v.isZero()),
      );
      const res = solveQP({ H: M, f: q });
      expect(res.kind).toBe('solved');
      expect(strs((res as { z: Q[] }).z)).toEqual(strs(z));
    },
  );

  /** General (PSD + skew, often singular) LCPs with mixed denominators: the checker is Gauss over Q. */
  const arbGeneral = fc.record({
    n: fc.integer({ min: 1, max: 5 }),
    k: fc.integer({ min: 0, max: 5 }),
    skew: fc.boolean(),
    seed: fc.nat(),
  });
  test.prop([arbGeneral], params(80))(
    'random LCP, every basis: lcpOnBasis is null for singular or sign-violating bases, else the exact complementary solution',
    ({ n, k, skew, seed }) => {
      const g = new Gen(seed);
      const B = Array.from({ length: k }, () => Array.from({ length: n }, () => g.rat(3)));
      const K = Array.from({ length: n }, () => Array.from({ length: n }, () => g.rat(3)));
      const M = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) =>
          B.reduce((s, row) => s.add(row[i]!.mul(row[j]!)), skew ? K[i]![j]!.sub(K[j]![i]!) : ZERO),
        ),
      );
      const q = Array.from({ length: n }, () => g.rat(8));
      for (let mask = 0; mask < 1 << n; mask++) {
        const basic = basisOf(mask, n);
        const ref = classifyBasis(M, q, basic);
        const got = lcpOnBasis(M, q, basic);
        if (ref.kind === 'valid') {
          expect(got).not.toBeNull();
          expect(strs(got!)).toEqual(strs(ref.z));
        } else {
          expect(got).toBeNull();
          rejected[ref.kind]++;
        }
      }
    },
  );
  test('wrong bases of each kind (z_B < 0; z_B >= 0 but w_N < 0; singular) were rejected; float guesses were both accepted and rejected', () => {
    expect(rejected['z<0']).toBeGreaterThan(0);
    expect(rejected['w<0']).toBeGreaterThan(0);
    expect(rejected.singular).toBeGreaterThan(0);
    expect(guess.accepted).toBeGreaterThan(0);
    expect(guess.rejected).toBeGreaterThan(0);
  });

  test('live twin: "the float-guessed basis is always right" is refuted on planted near-degenerate LCPs', () => {
    const ce = liveTwin(
      'exact.float-guess',
      'exact.lcpByGuess',
      'lcpByGuess never rejects its float Lemke basis (so the exact verification could be dropped)',
      arbPlanted,
      (spec) => {
        const { M, q } = buildPlanted(spec);
        return lcpByGuess(M, q) !== null;
      },
      300,
    );
    // small, and a real LCP whose planted basis verifies: the float guess was what failed
    const { M, q, z } = buildPlanted(ce);
    expect(ce.n).toBeLessThanOrEqual(3);
    expect(
      strs(
        lcpOnBasis(
          M,
          q,
          z.map((v) => v.sign() > 0),
        )!,
      ),
    ).toEqual(strs(z));
    const res = lemke(M, q);
    expect(res.kind === 'solved' && strs(res.z)).toEqual(strs(z));
  });
});

// ---- solveQP (uses the fast path when H is nonsingular mod P0) ----

interface QPSpec {
  n: number;
  k: number;
  p: number;
  seed: number;
  /** H = BᵀB + ridge I */
  ridge: number;
  infeasible: boolean;
}
const arbQP: fc.Arbitrary<QPSpec> = fc.record({
  n: fc.integer({ min: 1, max: 6 }),
  k: fc.integer({ min: 0, max: 6 }),
  p: fc.integer({ min: 0, max: 4 }),
  seed: fc.nat(),
  ridge: fc.constantFrom(0, 1, 3),
  infeasible: fc.constantFrom(false, false, false, true),
});

function buildQP(s: QPSpec): { H: Mat; f: Q[]; A: Mat; b: Q[] } {
  const g = new Gen(s.seed);
  const B = Array.from({ length: s.k }, () => Array.from({ length: s.n }, () => g.rat(3)));
  const ridge = s.ridge === 0 ? ZERO : R(1, s.ridge);
  const H = Array.from({ length: s.n }, (_, i) =>
    Array.from({ length: s.n }, (_, j) =>
      B.reduce((acc, row) => acc.add(row[i]!.mul(row[j]!)), i === j ? ridge : ZERO),
    ),
  );
  const f = Array.from({ length: s.n }, () => g.rat(9));
  const A = Array.from({ length: s.p }, () => Array.from({ length: s.n }, () => R(g.int(-3, 3))));
  const b = Array.from({ length: s.p }, () => g.rat(5));
  if (s.infeasible) {
    // a·z >= 1 and -a·z >= 0: empty whatever a is
    const a = Array.from({ length: s.n }, () => R(g.int(-2, 2)));
    A.push(
      a,
      a.map((v) => v.neg()),
    );
    b.push(Rational.ONE, ZERO);
  }
  return { H, f, A, b };
}

/** The QP's KKT system as an LCP, built here: [[H, -Aᵀ], [A, 0]], [f; -b]. */
function kktLCP(H: Mat, f: Q[], A: Mat, b: Q[]): { M: Mat; q: Q[] } {
  const n = f.length;
  const At = transpose(A, n);
  const M = [
    ...H.map((row, i) => [...row, ...At[i]!.map((v) => v.neg())]),
    ...A.map((row) => [...row, ...A.map(() => ZERO)]),
  ];
  return { M, q: [...f, ...b.map((v) => v.neg())] };
}

const objective = (H: Mat, f: Q[], z: Q[]) => dot(z, matVec(H, z)).div(R(2)).add(dot(f, z));

describe('(2) solveQP: exact KKT point, and the unique optimum of planted QPs', () => {
  const stat = tally('exact.fastpaths.qp');
  test.prop([arbQP], params(100))(
    'random PSD QPs: same kind as lemke; z feasible; KKT with lemke multipliers u (Hz + f - Aᵀu >= 0 ⊥ z, Az - b ⊥ u); same objective; = lemke z if H nonsingular',
    (s) => {
      const { H, f, A, b } = buildQP(s);
      const { M, q } = kktLCP(H, f, A, b);
      const res = solveQP({ H, f, A, b });
      const ref = lemke(M, q);
      stat('run');
      expect(res.kind).toBe(ref.kind);
      if (ref.kind !== 'solved' || res.kind !== 'solved') {
        stat('infeasible');
        return;
      }
      const n = f.length;
      const z = res.z;
      const u = ref.z.slice(n);
      const slack = matVec(A, z).map((v, k) => v.sub(b[k]!));
      expect(z.every((v) => v.sign() >= 0)).toBe(true);
      expect(slack.every((v) => v.sign() >= 0)).toBe(true);
      const grad = matVec(H, z).map((v, i) =>
        v.add(f[i]!).sub(
          dot(
            A.map((row) => row[i]!),
            u,
          ),
        ),
      );
      expect(grad.every((v) => v.sign() >= 0)).toBe(true);
      expect(dot(grad, z).isZero()).toBe(true);
      expect(dot(slack, u).isZero()).toBe(true);
      expect(objective(H, f, z).eq(objective(H, f, ref.z.slice(0, n)))).toBe(true);
      const nonsingular = gaussSolve(H, f) !== null;
      stat('H nonsingular', nonsingular);
      stat('fast path (a float guess verified)', nonsingular && lcpByGuess(M, q) !== null);
      if (nonsingular) expect(strs(z)).toEqual(strs(ref.z.slice(0, n)));
    },
  );

  const arbPlantedQP = fc.record({
    n: fc.integer({ min: 1, max: 5 }),
    p: fc.integer({ min: 0, max: 4 }),
    seed: fc.nat(),
    tinyExp: fc.integer({ min: 4, max: 30 }),
  });
  const qpGuess = { accepted: 0, rejected: 0 };
  test.prop([arbPlantedQP], params(80))(
    'planted QP (H PD, KKT pair (z*, u*) with tiny components): solveQP returns z*; lcpByGuess on its LCP is null or a solution with z*',
    ({ n, p, seed, tinyExp }) => {
      const g = new Gen(seed);
      const H = pdMatrix(g, n);
      const A = Array.from({ length: p }, () => Array.from({ length: n }, () => R(g.int(-3, 3))));
      const tiny = R(1, 10n ** BigInt(tinyExp));
      const zb = Array.from({ length: n }, () => g.chance(0.5));
      const ub = Array.from({ length: p }, () => g.chance(0.5));
      const z = zb.map((on) => (on ? plantedValue(g, tiny, false) : ZERO));
      const u = ub.map((on) => (on ? plantedValue(g, tiny, false) : ZERO));
      const w1 = zb.map((on) => (on ? ZERO : plantedValue(g, tiny, true)));
      const w2 = ub.map((on) => (on ? ZERO : plantedValue(g, tiny, true)));
      // Hz + f - Aᵀu = w1, Az - b = w2: z* is the unique minimizer (H PD, KKT sufficient)
      const At = transpose(A, n);
      const f = matVec(H, z).map((v, i) => w1[i]!.sub(v).add(dot(At[i]!, u)));
      const b = matVec(A, z).map((v, k) => v.sub(w2[k]!));
      const res = solveQP({ H, f, A, b });
      expect(res.kind).toBe('solved');
      expect(strs((res as { z: Q[] }).z)).toEqual(strs(z));
      const { M, q } = kktLCP(H, f, A, b);
      const guessed = lcpByGuess(M, q);
      if (guessed) {
        qpGuess.accepted++;
        expect(strs(guessed.slice(0, n))).toEqual(strs(z));
      } else qpGuess.rejected++;
    },
  );
  test('planted QPs: float guesses were both accepted and rejected', () => {
    expect(qpGuess.accepted).toBeGreaterThan(0);
    expect(qpGuess.rejected).toBeGreaterThan(0);
  });
});

// ===================== (3) rational.ts: Lehmer gcd and lcm =====================

function euclid(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

const FIB: bigint[] = [0n, 1n];
while (FIB.length < 3000) FIB.push(FIB[FIB.length - 1]! + FIB[FIB.length - 2]!); // F_2999 ~ 2080 bits

const GCD_KINDS = ['shared', 'fib', 'pow2', 'near', 'multiple', 'straddle', 'zero', 'equal'] as const;
interface GcdSpec {
  kind: (typeof GCD_KINDS)[number];
  bits: number;
  seed: number;
}
const arbGcd: fc.Arbitrary<GcdSpec> = fc.record({
  kind: fc.constantFrom(...GCD_KINDS),
  bits: fc.integer({ min: 1, max: 1024 }),
  seed: fc.nat(),
});

/** A pair up to ~2048 bits with the structure named by kind (and random signs). */
function buildGcd(s: GcdSpec): [bigint, bigint] {
  const g = new Gen(s.seed);
  const long = () => g.bits(g.int(1, s.bits)) + 1n;
  const common = g.chance(0.7) ? long() : 1n;
  let a: bigint;
  let b: bigint;
  switch (s.kind) {
    case 'shared':
      a = common * long();
      b = common * long();
      break;
    case 'fib': {
      const k = g.int(2, Math.min(2998, 3 * s.bits));
      a = FIB[k + 1]! * (g.chance(0.5) ? common : 1n);
      b = FIB[k]! * (g.chance(0.5) ? common : 1n);
      break;
    }
    case 'pow2':
      a = long() << BigInt(g.int(0, s.bits));
      b = long() << BigInt(g.int(0, s.bits));
      break;
    case 'near':
      a = long();
      b = (a + BigInt(g.int(-3, 3))) * common;
      a *= common;
      break;
    case 'multiple':
      a = common;
      b = common * long();
      break;
    case 'straddle':
      a = common * long();
      b = BigInt(g.int(1, 2 ** 30)) * BigInt(g.int(1, 2 ** 30)) + BigInt(g.int(-2, 2));
      break;
    case 'zero':
      a = g.chance(0.8) ? long() : 0n;
      b = 0n;
      break;
    case 'equal':
      a = common * long();
      b = a;
      break;
  }
  return [g.chance(0.5) ? -a : a, g.chance(0.5) ? -b : b];
}

describe('(3) gcd (Lehmer) and lcm against plain Euclid', () => {
  const stat = tally('exact.fastpaths.gcd');
  test.prop([arbGcd], params(300))(
    'gcd = Euclid (both orders, signs); lcm = |ab|/gcd, >= 0, a common multiple',
    (s) => {
      const [a, b] = buildGcd(s);
      const ref = euclid(a, b);
      stat('run');
      stat('gcd > 2^64', ref > 1n << 64n);
      expect(gcd(a, b)).toBe(ref);
      expect(gcd(b, a)).toBe(ref);
      expect(gcd(-a, b)).toBe(ref);
      const l = lcm(a, b);
      const abs = (v: bigint) => (v < 0n ? -v : v);
      if (a === 0n || b === 0n) {
        expect(l).toBe(0n);
        return;
      }
      expect(l).toBe(abs(a * b) / ref);
      expect(lcm(b, a)).toBe(l);
      expect(l % a).toBe(0n);
      expect(l % b).toBe(0n);
    },
  );

  test('live twin: a gcd through doubles (the Number path beyond 2^53) is refuted', () => {
    // the mutant the Lehmer loop exists to avoid: Euclid on rounded operands
    const viaDoubles = (a: bigint, b: bigint): bigint => {
      let x = Math.abs(Number(a));
      let y = Math.abs(Number(b));
      if (!Number.isFinite(x) || !Number.isFinite(y)) return -1n;
      while (y !== 0) [x, y] = [y, x % y];
      return BigInt(x);
    };
    const ce = liveTwin(
      'exact.gcd-doubles',
      'exact.gcd',
      'Euclid in double precision gives the gcd of long integers',
      arbGcd,
      (s) => {
        const [a, b] = buildGcd(s);
        return viaDoubles(a, b) === euclid(a, b);
      },
      300,
    );
    const [a, b] = buildGcd(ce);
    expect(gcd(a, b)).toBe(euclid(a, b));
  });
});

// ============ (4) Params.plus and certify's shared-denominator ε² (residual2) ============

interface PlusSpec {
  n: number;
  d: number;
  m: number;
  steps: number;
  seed: number;
  relu2: boolean;
  zeroTheta: boolean;
}
const arbPlus: fc.Arbitrary<PlusSpec> = fc.record({
  n: fc.integer({ min: 1, max: 5 }),
  d: fc.integer({ min: 1, max: 4 }),
  m: fc.integer({ min: 1, max: 3 }),
  steps: fc.integer({ min: 0, max: 3 }),
  seed: fc.nat(),
  relu2: fc.boolean(),
  zeroTheta: fc.boolean(),
});

function buildPlus(s: PlusSpec) {
  const g = new Gen(s.seed);
  const m = s.relu2 ? s.m : 1;
  // small integer coordinates now and then, so relu2 pre-activations hit 0 (kinks)
  const coord = () => (g.chance(0.4) ? R(g.int(-2, 2)) : g.rat());
  const x = Array.from({ length: s.n }, () => Array.from({ length: s.d }, coord));
  const y = Array.from({ length: s.n }, (): Label => (g.chance(0.5) ? 1 : -1));
  const theta = Array.from({ length: m }, () => Array.from({ length: s.d }, () => (s.zeroTheta ? ZERO : coord())));
  // relu2: a point orthogonal to θ_0 is a kink (while no step has moved θ)
  if (s.relu2 && s.d >= 2 && g.chance(0.5))
    x[g.int(0, s.n - 1)] = [theta[0]![1]!, theta[0]![0]!.neg(), ...x[0]!.slice(2).map(() => ZERO)];
  const coefs = Array.from({ length: s.steps }, () =>
    Array.from({ length: m }, () => Array.from({ length: s.n }, () => (g.chance(0.3) ? ZERO : g.rat()))),
  );
  const v = Array.from({ length: m }, () => (g.chance(0.5) ? R(1) : g.rat(3)).mul(R(g.chance(0.5) ? 1 : -1)));
  const lambda = Array.from({ length: s.n }, () => (g.chance(0.3) ? ZERO : g.rat().abs()));
  const model: Model = s.relu2
    ? { kind: 'relu2', v: v.map((t) => (t.isZero() ? Rational.ONE : t)) }
    : { kind: 'linear' };
  return { x, y, theta, coefs, lambda, model, m };
}

/** θ + Σ_step Σ_i coef[j][i] x_i, block by block, in plain Rational arithmetic. */
function plainTheta(p: ReturnType<typeof buildPlus>): Q[][] {
  return p.theta.map((t0, j) =>
    p.coefs.reduce((t, coef) => t.map((tk, k) => coef[j]!.reduce((acc, c, i) => acc.add(c.mul(p.x[i]![k]!)), tk)), t0),
  );
}

/** ε² = Σ_j ||θ_j - Σ_a λ_a y_a v_j γ_ja x_a||², γ = 1 on, 0 off, s at a kink: from vectors. */
function plainResidual(
  p: ReturnType<typeof buildPlus>,
  th: Q[][],
  lambda: readonly Q[],
  kinks: { block: number; point: number; s: Q }[],
): Q {
  return th.reduce((acc, tj, j) => {
    const vj = p.model.kind === 'linear' ? Rational.ONE : p.model.v[j]!;
    const r = tj.map((tk, k) =>
      p.x.reduce((s, xa, a) => {
        const pre = dot(tj, xa);
        const gamma =
          p.model.kind === 'linear' || pre.sign() > 0
            ? Rational.ONE
            : pre.sign() < 0
              ? ZERO
              : (kinks.find((c) => c.block === j && c.point === a)?.s ?? ZERO);
        return s.sub(lambda[a]!.mul(R(p.y[a]!)).mul(vj).mul(gamma).mul(xa[k]!));
      }, tk),
    );
    return acc.add(dot(r, r));
  }, ZERO);
}

describe('(4) Params.plus and residual2: shared denominators = recomputation from vectors', () => {
  const stat = tally('exact.fastpaths.plus');
  test.prop([arbPlus], params(120))(
    'plus chains: pre[j][i] = <θ_j, x_i>, norm2[j] = ||θ_j||², vectors() = θ; fromCombination likewise',
    (s) => {
      const p = buildPlus(s);
      const data = makeDataset(p.x, p.y);
      const G = gram(data.x);
      let P = s.zeroTheta
        ? Params.zero(p.m, s.n, s.d)
        : Params.fromVectors(
            p.theta.map((t) => ScaledVec.fromRationals(t)),
            data,
          );
      for (const coef of p.coefs) P = P.plus(coef, data, G);
      const th = plainTheta(p);
      stat('run');
      th.forEach((tj, j) => {
        expect(strs(P.pre[j]!)).toEqual(strs(p.x.map((xi) => dot(tj, xi))));
        expect(P.norm2[j]!.toString()).toBe(dot(tj, tj).toString());
      });
      expect(P.vectors().map((v) => strs(v.toRationals()))).toEqual(th.map(strs));
      if (p.coefs.length === 0) return;
      const C = Params.fromCombination(p.coefs[0]!, data, G);
      p.coefs[0]!.forEach((row, j) => {
        const tj = p.x[0]!.map((_, k) => row.reduce((acc, c, i) => acc.add(c.mul(p.x[i]![k]!)), ZERO));
        expect(strs(C.pre[j]!)).toEqual(strs(p.x.map((xi) => dot(tj, xi))));
        expect(C.norm2[j]!.toString()).toBe(dot(tj, tj).toString());
      });
    },
  );

  test.prop([arbPlus], params(100))(
    'certify ε² (residual2) = ||θ - Σ λ_a y_a ∇_a||² from vectors, for optimal and inherited (mixed-denominator) λ',
    (s) => {
      const p = buildPlus(s);
      const data = makeDataset(p.x, p.y);
      const ctx = contextOf(p.model, data);
      let P = s.zeroTheta
        ? Params.zero(p.m, s.n, s.d)
        : Params.fromVectors(
            p.theta.map((t) => ScaledVec.fromRationals(t)),
            data,
          );
      for (const coef of p.coefs) P = P.plus(coef, data, ctx.G);
      const th = plainTheta(p);
      const all = p.x.map((_, i) => i);
      const opt = certify(ctx, P, all);
      expect(opt.epsilon2.toString()).toBe(plainResidual(p, th, opt.lambda, opt.kinks).toString());
      const inh = certify(ctx, P, all, { lambda: p.lambda });
      expect(strs(inh.lambda)).toEqual(strs(p.lambda));
      expect(inh.epsilon2.toString()).toBe(plainResidual(p, th, p.lambda, inh.kinks).toString());
      stat('run');
      stat('kinks', inh.kinks.length > 0);
      stat('relu2', s.relu2);
    },
  );

  test('live twin: a shared denominator taken as the max (not the lcm) is refuted', () => {
    // the shape of the bug shared denominators invite: Σ c_r G_ri with c_r = (num_r · (D / den_r)) / D
    const ce = liveTwin(
      'exact.plus-max-denominator',
      'exact.Params.plus',
      'combining the coefficients over their largest denominator gives the same pre-activations',
      arbPlus,
      (s) => {
        const p = buildPlus(s);
        if (p.coefs.length === 0) return true;
        const th = plainTheta({ ...p, coefs: p.coefs.slice(0, 1) });
        return p.coefs[0]!.every((row, j) => {
          const D = row.reduce((mx, c) => (c.den > mx ? c.den : mx), 1n);
          return p.x.every((xi, i) => {
            const wrong = row.reduce(
              (acc, c, r) => acc.add(R(c.num * (D / c.den), D).mul(dot(p.x[r]!, xi))),
              dot(p.theta[j]!, xi),
            );
            return wrong.eq(dot(th[j]!, xi));
          });
        });
      },
      300,
    );
    expect(ce.n).toBeLessThanOrEqual(3);
  });
});

describe('(5) degenerate max-margin duals: the float Lemke guess breaks ties', () => {
  // n > d small-integer data (a rank-deficient signed Gram, many ratio-test ties): plain float
  // Lemke cycled on most of these and fell back to exact Lemke; the shifted run's guess must
  // verify exactly on every one, and be a solution of the LCP (w = Mz + q >= 0, z >= 0, wz = 0).
  test('20 planted instances (n, d) in {(30, 4), (60, 6), (100, 10), (40, 3)}, seeds 1..5', () => {
    for (const [n, d] of [
      [30, 4],
      [60, 6],
      [100, 10],
      [40, 3],
    ] as const)
      for (let seed = 1; seed <= 5; seed++) {
        const { x, y } = plantedInts(n, d, seed * 7919 + n);
        const G = gram(x);
        const M = G.map((row, i) => row.map((v, k) => v.mul(R(y[i]! * y[k]!))));
        const q = M.map(() => R(-1));
        const z = lcpByGuess(M, q);
        expect(z, `n = ${n}, d = ${d}, seed ${seed}`).not.toBeNull();
        const wv = M.map((row, i) => row.reduce((s, m, k) => s.add(m.mul(z![k]!)), q[i]!));
        expect(wv.every((v, i) => v.sign() >= 0 && z![i]!.sign() >= 0 && (v.isZero() || z![i]!.isZero()))).toBe(true);
      }
  });
});
