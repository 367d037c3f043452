// The fraction-free linear algebra of src/exact/pivot.ts against independent oracles:
// `solve` vs mathjs lusolve/det on Fraction matrices, `rank` vs a naive Gaussian
// elimination over Rational written here.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { det, fraction, lusolve, type Fraction, type MathArray } from 'mathjs';
import { Rational } from '../src/exact/rational.ts';
import { rank, solve } from '../src/exact/pivot.ts';

const RUNS = Number(process.env.FC_RUNS ?? 200);
const opts = { numRuns: RUNS, interruptAfterTimeLimit: 4000 };

type M = Rational[][];

const arbEntry = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -4, max: 4 }).map((n) => Rational.of(n)) },
  {
    weight: 2,
    arbitrary: fc
      .record({ n: fc.integer({ min: -9, max: 9 }), d: fc.integer({ min: 1, max: 9 }) })
      .map(({ n, d }) => Rational.of(n, d)),
  },
  {
    weight: 1,
    arbitrary: fc
      .record({ n: fc.bigInt({ min: -(1n << 40n), max: 1n << 40n }), d: fc.bigInt({ min: 1n, max: 1n << 40n }) })
      .map(({ n, d }) => Rational.of(n, d)),
  },
);

const arbMatrix = (rows: number, cols: number) =>
  fc.array(fc.array(arbEntry, { minLength: cols, maxLength: cols }), { minLength: rows, maxLength: rows });

/** A square system A x = b, n in 1..5. Shown as strings on failure. */
const arbSystem = fc
  .integer({ min: 1, max: 5 })
  .chain((n) => fc.record({ A: arbMatrix(n, n), b: fc.array(arbEntry, { minLength: n, maxLength: n }) }));

const toF = (q: Rational): Fraction => fraction(q.toString()) as Fraction;
/** mathjs' answer as text; it may hand back a plain 0 (a number) for a zero entry. */
const fstr = (f: Fraction | number): string => {
  if (typeof f === 'number') {
    if (!Number.isInteger(f)) throw new Error(`mathjs returned a non-integer float ${f}`);
    return String(f + 0);
  }
  return f.toFraction();
};
const show = (A: M) => JSON.stringify(A.map((r) => r.map(String)));

function matVec(A: M, x: readonly Rational[]): Rational[] {
  return A.map((row) => row.reduce((s, a, k) => s.add(a.mul(x[k]!)), Rational.ZERO));
}

/** Naive Gaussian elimination over Rational (divisions everywhere): the rank oracle. */
function naiveRank(A: M): number {
  const T = A.map((r) => r.slice());
  const rows = T.length;
  const cols = rows ? T[0]!.length : 0;
  let rk = 0;
  for (let c = 0; c < cols && rk < rows; c++) {
    const p = T.findIndex((row, i) => i >= rk && !row[c]!.isZero());
    if (p < 0) continue;
    [T[p], T[rk]] = [T[rk]!, T[p]!];
    for (let i = rk + 1; i < rows; i++) {
      const f = T[i]![c]!.div(T[rk]![c]!);
      if (!f.isZero()) T[i] = T[i]!.map((v, k) => v.sub(f.mul(T[rk]![k]!)));
    }
    rk++;
  }
  return rk;
}

describe('solve', () => {
  const stats = { singular: 0, regular: 0 };
  test.prop([arbSystem], opts)('agrees with mathjs: null iff det = 0, else the lusolve solution', ({ A, b }) => {
    const FA = A.map((r) => r.map(toF));
    const D = det(FA as unknown as MathArray) as unknown as Fraction;
    const x = solve(A, b);
    if (D.n === 0n) {
      stats.singular++;
      expect(x).toBeNull();
      return;
    }
    stats.regular++;
    expect(x).not.toBeNull();
    const ref = lusolve(FA as unknown as MathArray, b.map(toF) as unknown as MathArray) as unknown as (
      Fraction | number
    )[][];
    expect(x!.map(String)).toEqual(ref.map((r) => fstr(r[0]!)));
    // and it really solves the system
    expect(matVec(A, x!).every((v, i) => v.eq(b[i]!))).toBe(true);
  });
  test('both singular and regular systems occurred', () => {
    expect(stats.regular).toBeGreaterThan(0);
    expect(stats.singular).toBeGreaterThan(0);
  });

  test.prop([arbSystem, fc.nat(), fc.nat(), fc.integer({ min: -3, max: 3 })], opts)(
    'singular by construction (a row replaced by a multiple of another) gives null',
    ({ A, b }, i0, j0, c) => {
      const n = A.length;
      fc.pre(n >= 2);
      const i = i0 % n;
      const j = (i + 1 + (j0 % (n - 1))) % n; // j != i
      const S = A.map((r) => r.slice());
      S[j] = S[i]!.map((v) => v.mul(Rational.of(c)));
      expect(solve(S, b)).toBeNull();
      expect(rank(S)).toBeLessThan(n);
    },
  );

  test('fixed examples', () => {
    const q = (s: string) => Rational.parse(s);
    // a zero leading pivot needs a row swap
    expect(
      solve(
        [
          [q('0'), q('2')],
          [q('3'), q('4')],
        ],
        [q('1'), q('1')],
      )!.map(String),
    ).toEqual(['-1/3', '1/2']);
    expect(solve([], [])).toEqual([]);
    expect(solve([[q('0')]], [q('1')])).toBeNull();
    expect(
      solve(
        [
          [q('1/3'), q('1/6')],
          [q('2/3'), q('1/3')],
        ],
        [q('1'), q('2')],
      ),
    ).toBeNull();
  });

  test('live twin: a perturbed solution fails the residual check', () => {
    const r = fc.check(
      fc.property(arbSystem, fc.nat(), ({ A, b }, k) => {
        const x = solve(A, b);
        if (x === null) return true;
        const y = x.slice();
        y[k % y.length] = y[k % y.length]!.add(Rational.of(1, 7));
        return matVec(A, y).every((v, i) => v.eq(b[i]!));
      }),
      { numRuns: 200, seed: 7 },
    );
    expect(r.failed).toBe(true);
  });
});

describe('rank', () => {
  /** Random m x n matrices of rank <= k (products of m x k and k x n), to make dependence common. */
  const arbLowRank = fc
    .record({ m: fc.integer({ min: 1, max: 5 }), n: fc.integer({ min: 1, max: 5 }), k: fc.integer({ min: 0, max: 5 }) })
    .chain(({ m, n, k }) => fc.record({ L: arbMatrix(m, k), R: arbMatrix(k, n), n: fc.constant(n) }))
    .map(({ L, R, n }) => {
      const A: M = L.map((row) =>
        Array.from({ length: n }, (_, c) => row.reduce((s, v, t) => s.add(v.mul(R[t]![c]!)), Rational.ZERO)),
      );
      return Object.assign(A, { [fc.toStringMethod]: () => show(A) });
    });
  const arbAny = fc
    .record({ m: fc.integer({ min: 1, max: 5 }), n: fc.integer({ min: 1, max: 5 }) })
    .chain(({ m, n }) => arbMatrix(m, n));

  const seen = new Set<string>();
  test.prop([fc.oneof(arbLowRank, arbAny)], opts)(
    'equals a naive Gaussian elimination, and rank(A) = rank(Aᵀ)',
    (A) => {
      const r = rank(A);
      seen.add(`${r}/${Math.min(A.length, A[0]!.length)}`);
      expect(r).toBe(naiveRank(A));
      const At = A[0]!.map((_, c) => A.map((row) => row[c]!));
      expect(rank(At)).toBe(r);
      // a scaled duplicate row never changes the rank
      expect(rank([...A, A[0]!.map((v) => v.mul(Rational.of(-3, 2)))])).toBe(r);
    },
  );
  test('rank-deficient and full-rank matrices both occurred', () => {
    const deficient = [...seen].filter((s) => {
      const [r, full] = s.split('/').map(Number);
      return r! < full!;
    });
    expect(deficient.length).toBeGreaterThan(0);
    expect(seen.size).toBeGreaterThan(deficient.length);
  });

  // modular.ts remembers matrices proven nonsingular (by content): a matrix one entry away from
  // a remembered one, made singular, must still get its own rank
  const memo = { hit: 0, singular: 0 };
  test.prop(
    [
      fc.integer({ min: 2, max: 6 }).chain((n) => arbMatrix(n, n)),
      fc.nat(),
      fc.integer({ min: -3, max: 3 }).filter((v) => v !== 0),
    ],
    opts,
  )('the nonsingular memo: rank(B) for B one entry away from a remembered A', (A, at, step) => {
    const n = A.length;
    expect(rank(A)).toBe(naiveRank(A)); // remembers A when it is nonsingular
    // B: A with its last row replaced by the sum of the first two (singular), or one entry moved
    const B = A.map((r) => r.slice());
    if (at % 2) B[n - 1] = A[0]!.map((v, c) => v.add(A[1]![c]!));
    else B[(at >> 1) % n]![(at >> 4) % n] = B[(at >> 1) % n]![(at >> 4) % n]!.add(Rational.of(step));
    const r = naiveRank(B);
    if (r < n) memo.singular++;
    if (naiveRank(A) === n) memo.hit++;
    expect(rank(B)).toBe(r);
    expect(rank(A)).toBe(naiveRank(A)); // remembered: answered from the memo
  });
  test('the memo held nonsingular matrices and singular neighbours were asked', () => {
    expect(memo.hit).toBeGreaterThan(10);
    expect(memo.singular).toBeGreaterThan(10);
  });

  test('fixed examples', () => {
    const q = (n: number) => Rational.of(n);
    expect(rank([])).toBe(0);
    expect(rank([[q(0), q(0)]])).toBe(0);
    expect(
      rank([
        [q(0), q(1)],
        [q(0), q(2)],
      ]),
    ).toBe(1);
    expect(
      rank([
        [q(1), q(2), q(3)],
        [q(4), q(5), q(6)],
        [q(7), q(8), q(9)],
      ]),
    ).toBe(2);
  });
});
