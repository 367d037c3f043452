// p-adic lifting (src/exact/dixon.ts) against a fraction-free Bareiss elimination written
// here: the same rational solution, null exactly when A is singular. The systems cover each
// route of the lifting: residual in Numbers from the start, BigInt then Numbers (b beyond
// 2^53), limbs (entries too large for exact Number row sums: src/exact/limbMatrix.ts, with
// long entries of 60-200 bits, limb-boundary values and long Gram matrices), and singular A.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { dixonSolve, dixonSolveMany, maxRowAbs, numbersOf, reconstruct } from '../src/exact/dixon.ts';
import { hadamard } from '../src/exact/modular.ts';
import { luPrime } from '../src/exact/luModP.ts';
import { ResidualLimbs, splitLimbs } from '../src/exact/limbMatrix.ts';

const RUNS = Number(process.env.FC_RUNS ?? 200);
const opts = { numRuns: RUNS, interruptAfterTimeLimit: 8000 };

type Sol = { den: bigint; num: bigint[] };

/** Bareiss on [A | B]: { den: det, num: det x } per column of B, or null when det A = 0. */
function bareiss(A: bigint[][], bs: bigint[][]): Sol[] | null {
  const n = A.length;
  const T = A.map((row, i) => [...row, ...bs.map((b) => b[i]!)]);
  let prev = 1n;
  for (let k = 0; k < n; k++) {
    const r = T.findIndex((row, i) => i >= k && row[k] !== 0n);
    if (r < 0) return null;
    [T[r], T[k]] = [T[k]!, T[r]!];
    const pk = T[k]!;
    for (let i = 0; i < n; i++) {
      if (i === k) continue;
      const row = T[i]!;
      const a = row[k]!;
      for (let j = 0; j < row.length; j++) row[j] = (row[j]! * pk[k]! - a * pk[j]!) / prev;
    }
    prev = pk[k]!;
  }
  const s = prev < 0n ? -1n : 1n; // every diagonal entry is det
  return bs.map((_, c) => ({ den: s * prev, num: T.map((row) => s * row[n + c]!) }));
}

/** The same rational vector: num_i den' = num'_i den, both denominators positive. */
function same(x: Sol, y: Sol): boolean {
  return x.den > 0n && y.den > 0n && x.num.every((v, i) => v * y.den === y.num[i]! * x.den);
}

type Route = 'number' | 'bigint-then-number' | 'limb' | 'singular';

/** Which route dixon.ts takes (its bounds: S = n max|A| (p - 1) < 2^52, |r| <= 2^52). */
function route(A: bigint[][], b: bigint[], singular: boolean): Route {
  if (singular) return 'singular';
  const maxA = A.flat().reduce((m, v) => ((v < 0n ? -v : v) > m ? (v < 0n ? -v : v) : m), 0n);
  if (maxA * BigInt(A.length) * BigInt(luPrime(0) - 1) >= 1n << 52n) return 'limb';
  return b.some((v) => (v < 0n ? -v : v) > 1n << 52n) ? 'bigint-then-number' : 'number';
}

const arbInt = (bits: number) => fc.bigInt({ min: -(1n << BigInt(bits)), max: 1n << BigInt(bits) });

/** Entries: mostly up to 2^12, sometimes small or zero (structure), sometimes huge (the BigInt route). */
const arbSystem = fc
  .record({
    n: fc.integer({ min: 1, max: 40 }),
    aBits: fc.constantFrom(2, 12, 12, 12, 30, 45, 70),
    bBits: fc.constantFrom(1, 12, 40, 53, 54, 60, 200),
    k: fc.integer({ min: 1, max: 3 }),
    dep: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.record({ i: fc.nat(), j: fc.nat(), c: fc.integer({ min: -3, max: 3 }) }) },
    ),
  })
  .chain(({ n, aBits, bBits, k, dep }) =>
    fc.record({
      A: fc.array(fc.array(arbInt(aBits), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
      bs: fc.array(fc.array(arbInt(bBits), { minLength: n, maxLength: n }), { minLength: k, maxLength: k }),
      dep: fc.constant(dep),
    }),
  )
  .map(({ A, bs, dep }) => {
    // singular by construction: row j = c · row i (j != i)
    const n = A.length;
    if (dep && n >= 2) {
      const i = dep.i % n;
      const j = (i + 1 + (dep.j % (n - 1))) % n;
      A[j] = A[i]!.map((v) => v * BigInt(dep.c));
    }
    return { A, bs };
  });

/** Long entries: random of 60-200 bits, or ±(2^m + {-1, 0, 1}) (limb boundaries for any limb width). */
const arbLong = (bits: number) =>
  fc.oneof(
    { weight: 3, arbitrary: arbInt(bits) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 20, max: bits }), fc.integer({ min: -1, max: 1 }), fc.boolean())
        .map(([m, e, neg]) => (neg ? -1n : 1n) * ((1n << BigInt(m)) + BigInt(e))),
    },
    { weight: 1, arbitrary: fc.bigInt({ min: -3n, max: 3n }) },
  );

/**
 * Long-entry systems (the limb route): a square A of 60-200-bit entries (row j = c row i makes
 * it singular), or a Gram X Xᵀ of an n × m X with long entries (singular when m < n), as the
 * pipeline's float data give; b short or long.
 */
const arbLongSystem = fc
  .record({
    n: fc.integer({ min: 1, max: 30 }),
    m: fc.integer({ min: 1, max: 34 }),
    gram: fc.boolean(),
    aBits: fc.constantFrom(60, 75, 100, 150, 200),
    bBits: fc.constantFrom(1, 30, 60, 200, 400),
    k: fc.integer({ min: 1, max: 2 }),
    dep: fc.oneof(
      { weight: 3, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.record({ i: fc.nat(), j: fc.nat(), c: fc.integer({ min: -3, max: 3 }) }) },
    ),
  })
  .chain(({ n, m, gram, aBits, bBits, k, dep }) =>
    fc.record({
      X: gram
        ? fc.array(fc.array(arbLong(aBits >> 1), { minLength: m, maxLength: m }), { minLength: n, maxLength: n })
        : fc.constant(null),
      A: fc.array(fc.array(arbLong(aBits), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
      bs: fc.array(fc.array(arbInt(bBits), { minLength: n, maxLength: n }), { minLength: k, maxLength: k }),
      dep: fc.constant(dep),
    }),
  )
  .map(({ X, A, bs, dep }) => {
    const n = A.length;
    if (X) return { A: X.map((u) => X.map((v) => u.reduce((s, x, t) => s + x * v[t]!, 0n))), bs };
    if (dep && n >= 2) {
      const i = dep.i % n;
      const j = (i + 1 + (dep.j % (n - 1))) % n;
      A[j] = A[i]!.map((v) => v * BigInt(dep.c));
    }
    return { A, bs };
  });

describe('dixon', () => {
  const seen = new Map<Route, number>();
  const long = { solved: 0, singular: 0 }; // systems with an entry of 60 bits or more
  test.prop([fc.oneof({ weight: 2, arbitrary: arbSystem }, { weight: 1, arbitrary: arbLongSystem })], opts)(
    'equals Bareiss: the same solution, null iff singular',
    ({ A, bs }) => {
      const ref = bareiss(A, bs);
      const got = dixonSolveMany(A, bs);
      for (const b of bs) {
        const r = route(A, b, !ref);
        seen.set(r, (seen.get(r) ?? 0) + 1);
      }
      if (A.some((row) => row.some((v) => v >= 1n << 60n || v <= -(1n << 60n)))) long[ref ? 'solved' : 'singular']++;
      if (!ref) {
        expect(got).toBeNull();
        expect(dixonSolve(A, bs[0]!)).toBeNull();
        return;
      }
      expect(got).not.toBeNull();
      got!.forEach((x, c) => {
        expect(x).not.toBeNull();
        expect(same(x!, ref[c]!)).toBe(true);
      });
      expect(same(dixonSolve(A, bs[0]!)!, ref[0]!)).toBe(true);
    },
  );
  test('every route occurred', () => {
    console.log('dixon routes', Object.fromEntries(seen));
    for (const r of ['number', 'bigint-then-number', 'limb', 'singular'] as const)
      expect(seen.get(r) ?? 0, `${r}: ${JSON.stringify([...seen])}`).toBeGreaterThan(0);
    console.log('dixon long entries', long);
    expect(long.solved).toBeGreaterThan(RUNS / 20);
    expect(long.singular).toBeGreaterThan(0);
  });

  test('a long-entry Gram (the limb route, as float data give) equals Bareiss', () => {
    // X: 24 × 40 of 70-bit integers from a fixed LCG, A = X Xᵀ (some 145-bit entries)
    let seed = 12345n;
    const next = () => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
      return (seed << 6n) - (1n << 69n);
    };
    const X = Array.from({ length: 24 }, () => Array.from({ length: 40 }, next));
    const A = X.map((u) => X.map((v) => u.reduce((s, x, t) => s + x * v[t]!, 0n)));
    const bs = [A.map(() => 1n), A.map((_, i) => (i % 2 ? -1n : 1n) * ((1n << 300n) - BigInt(i)))];
    expect(route(A, bs[0]!, false)).toBe('limb');
    const ref = bareiss(A, bs)!;
    const got = dixonSolveMany(A, bs)!;
    got.forEach((x, c) => expect(same(x!, ref[c]!)).toBe(true));
  });

  test('long solutions (many lifting steps, many reconstruction tries) on a fixed Gram-like system', () => {
    // A = 4096 I + a deterministic ±1 pattern: det and numerators of some 500 bits
    const n = 40;
    const A = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => (i === j ? 4096n : ((i * 7 + j * 13) % 5) - 2 > 0 ? 64n : -64n)),
    );
    const bs = [A.map(() => 1n), A.map((_, i) => (1n << 120n) + BigInt(i))];
    const ref = bareiss(A, bs)!;
    const got = dixonSolveMany(A, bs)!;
    expect(ref[0]!.den.toString(2).length).toBeGreaterThan(400);
    got.forEach((x, c) => expect(same(x!, ref[c]!)).toBe(true));
  });
});

describe('limb residual', () => {
  // one lifting step in limbs against BigInt: b = A x + p z with digits x in [0, p), so the
  // step must give exactly z (and b mod p before it); quotient limbs near 2^k (z = ±(2^m - 1))
  // and small primes stress the division's floor corrections
  const arbStep = fc
    .record({
      n: fc.integer({ min: 1, max: 30 }),
      aBits: fc.constantFrom(20, 60, 150, 200),
      p: fc.constantFrom(3, 103, 479, 65537, luPrime(0), luPrime(2)),
    })
    .chain(({ n, aBits, p }) =>
      fc.record({
        A: fc.array(fc.array(arbLong(aBits), { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
        x: fc.array(fc.oneof(fc.integer({ min: 0, max: p - 1 }), fc.constantFrom(0, p - 1)), {
          minLength: n,
          maxLength: n,
        }),
        z: fc.array(
          fc.oneof(
            arbInt(aBits + 8),
            fc
              .tuple(fc.integer({ min: 1, max: aBits + 8 }), fc.boolean())
              .map(([m, neg]) => (neg ? -1n : 1n) * ((1n << BigInt(m)) - 1n)),
          ),
          { minLength: n, maxLength: n },
        ),
        p: fc.constant(p),
      }),
    );
  test.prop([arbStep], opts)('r <- (r - A x) / p equals BigInt', ({ A, x, z, p }) => {
    const P = BigInt(p);
    const b = A.map((row, i) => row.reduce((s, v, j) => s + v * BigInt(x[j]!), 0n) + P * z[i]!);
    const r = new ResidualLimbs(splitLimbs(A), b, p);
    expect(r.values()).toEqual(b);
    const rm = new Float64Array(A.length);
    r.mod(rm);
    expect([...rm]).toEqual(b.map((v) => Number(((v % P) + P) % P)));
    r.step(Float64Array.from(x));
    expect(r.values()).toEqual(z);
  });
});

describe('rational reconstruction', () => {
  /** Wang's reconstruction by plain Euclid (one BigInt division a step): the oracle. */
  function plain(u: bigint, M: bigint, N: bigint, D: bigint): { num: bigint; den: bigint } | null {
    let [r0, r1, t0, t1] = [M, ((u % M) + M) % M, 0n, 1n];
    while (r1 > N) {
      const q = r0 / r1;
      [r0, r1] = [r1, r0 - q * r1];
      [t0, t1] = [t1, t0 - q * t1];
    }
    if (t1 === 0n || (t1 < 0n ? -t1 : t1) > D) return null;
    return t1 < 0n ? { num: -r1, den: -t1 } : { num: r1, den: t1 };
  }
  const tally = { lehmer: 0, found: 0 };
  // M = p^k as in the lifting (p the first lifting prime), u a true fraction's image or random
  test.prop(
    [
      fc.integer({ min: 1, max: 60 }),
      fc.bigInt({ min: -(1n << 400n), max: 1n << 400n }),
      fc.bigInt({ min: 1n, max: 1n << 400n }),
      fc.boolean(),
      fc.integer({ min: 0, max: 8 }),
    ],
    opts,
  )('Lehmer steps stop where Euclid stops: the same fraction or the same null', (k, a, b, image, slack) => {
    const p = BigInt(luPrime(0));
    const M = p ** BigInt(k);
    let u = a;
    if (image) {
      // a / b mod M when b is invertible: the image of a fraction
      const bm = ((b % M) + M) % M;
      const g = (x: bigint, y: bigint): bigint => (y === 0n ? x : g(y, x % y));
      if (bm === 0n || g(bm, M) !== 1n) return;
      let [r0, r1, s0, s1] = [M, bm, 0n, 1n];
      while (r1 !== 0n) {
        const q = r0 / r1;
        [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
      }
      u = (((a % M) + M) % M) * (((s0 % M) + M) % M);
    }
    let N = 1n;
    while (2n * N * N * (1n << BigInt(slack)) < M) N *= 2n;
    const got = reconstruct(u, M, N, N);
    expect(got).toEqual(plain(u, M, N, N));
    if (M > 1n << 120n) tally.lehmer++;
    if (got) tally.found++;
  });
  test('long moduli (Lehmer steps) and found fractions both occurred', () => {
    expect(tally.lehmer).toBeGreaterThan(20);
    expect(tally.found).toBeGreaterThan(20);
  });
});

describe('the bounds from doubles (numbersOf) = the bounds from BigInts', () => {
  const entry = fc.oneof(
    fc.bigInt({ min: -50n, max: 50n }),
    fc.bigInt({ min: -(1n << 52n), max: 1n << 52n }),
    fc.constantFrom(0n, (1n << 53n) - 1n, -((1n << 53n) - 1n), 1n << 32n, -(1n << 31n)),
  );
  const arb = fc.integer({ min: 1, max: 6 }).chain((n) =>
    fc.record({
      A: fc.array(fc.array(entry, { minLength: n, maxLength: n }), { minLength: n, maxLength: n }),
      b: fc.array(fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }), { minLength: n, maxLength: n }),
    }),
  );
  test.prop([arb], opts)('max row sum of |A| and the Hadamard bits', ({ A, b }) => {
    const Af = numbersOf(A)!;
    const maxA = Math.max(...Af.map(Math.abs));
    expect(maxRowAbs(A, Af, maxA)).toBe(maxRowAbs(A, null, 0));
    expect(hadamard(A, Af)(b)).toBe(hadamard(A)(b));
  });
});
