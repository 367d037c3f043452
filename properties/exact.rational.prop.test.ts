// The exact kernel's scalars (src/exact/rational.ts) and integer dot products
// (src/exact/vec.ts): field laws, the always-reduced invariant, the FORMAT.md text forms,
// exact binary64 conversion, agreement with mathjs' Fraction (an independent oracle) on
// random expression trees, the Number fast path of intDot, and the bit budget.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { fraction, add, subtract, multiply, divide, type Fraction } from 'mathjs';
import { Rational, bitLength, gcd, getBitBudget, withBitBudget } from '../src/exact/rational.ts';
import { ScaledVec } from '../src/exact/vec.ts';
import { intDot } from '../src/exact/intGram.ts';
import { writeLimbs } from '../src/exact/limbMatrix.ts';
import { BudgetError, InputError } from '../src/errors.ts';

const RUNS = Number(process.env.FC_RUNS ?? 200);
const opts = { numRuns: RUNS, interruptAfterTimeLimit: 4000 };

// ---- independent helpers (plain BigInt, nothing from the module under test) ----

function refGcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

function isReduced(q: Rational): boolean {
  return q.den > 0n && refGcd(q.num, q.den) === 1n && (q.num !== 0n || q.den === 1n);
}

/** Exact value of a finite double by scaling with powers of two (each doubling is exact). */
function refFromDouble(x: number): { num: bigint; den: bigint } {
  if (Number.isInteger(x)) return { num: BigInt(x), den: 1n };
  let k = 0n;
  let v = x;
  while (!Number.isInteger(v)) {
    v *= 2; // |v| < 2^53 here (non-integers are below 2^52), so no overflow, no rounding
    k++;
  }
  let num = BigInt(v);
  let den = 1n << k;
  while (num % 2n === 0n && den > 1n) {
    num /= 2n;
    den /= 2n;
  }
  return { num, den };
}

// ---- arbitraries ----

const arbBig = fc.bigInt({ min: -(1n << 70n), max: 1n << 70n });
const arbRat = fc.oneof(
  fc
    .record({ n: fc.integer({ min: -50, max: 50 }), d: fc.integer({ min: 1, max: 50 }) })
    .map(({ n, d }) => Rational.of(n, d)),
  fc.record({ n: arbBig, d: fc.bigInt({ min: 1n, max: 1n << 70n }) }).map(({ n, d }) => Rational.of(n, d)),
);
const arbNonZero = arbRat.filter((q) => !q.isZero());

describe('Rational: field laws', () => {
  test.prop([arbRat, arbRat, arbRat], opts)('associativity and commutativity of + and *', (a, b, c) => {
    expect(
      a
        .add(b)
        .add(c)
        .eq(a.add(b.add(c))),
    ).toBe(true);
    expect(
      a
        .mul(b)
        .mul(c)
        .eq(a.mul(b.mul(c))),
    ).toBe(true);
    expect(a.add(b).eq(b.add(a))).toBe(true);
    expect(a.mul(b).eq(b.mul(a))).toBe(true);
  });

  test.prop([arbRat, arbRat, arbRat], opts)('distributivity', (a, b, c) => {
    expect(a.mul(b.add(c)).eq(a.mul(b).add(a.mul(c)))).toBe(true);
    expect(
      a
        .add(b)
        .mul(c)
        .eq(a.mul(c).add(b.mul(c))),
    ).toBe(true);
  });

  test.prop([arbRat, arbNonZero], opts)('identities, inverses, subtraction and division', (a, b) => {
    expect(a.add(Rational.ZERO).eq(a)).toBe(true);
    expect(a.mul(Rational.ONE).eq(a)).toBe(true);
    expect(a.add(a.neg()).isZero()).toBe(true);
    expect(b.mul(b.inv()).eq(Rational.ONE)).toBe(true);
    expect(a.sub(b).eq(a.add(b.neg()))).toBe(true);
    expect(a.div(b).eq(a.mul(b.inv()))).toBe(true);
    expect(a.div(b).mul(b).eq(a)).toBe(true);
    expect(b.pow(-2).mul(b.pow(2)).eq(Rational.ONE)).toBe(true);
    expect(() => a.div(Rational.ZERO)).toThrow(RangeError);
  });

  test.prop([arbRat, arbRat], opts)('order agrees with the sign of the difference', (a, b) => {
    expect(a.cmp(b)).toBe(a.sub(b).sign());
    expect(a.lt(b)).toBe(a.sub(b).sign() < 0);
    expect(a.abs().sign()).toBeGreaterThanOrEqual(0);
  });
});

describe('Rational: always reduced', () => {
  test.prop([arbBig, fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }).filter((d) => d !== 0n)], opts)(
    'Rational.of(n, d) is reduced with d > 0 and the same value',
    (n, d) => {
      const q = Rational.of(n, d);
      expect(isReduced(q)).toBe(true);
      expect(q.num * d).toBe(n * q.den); // same value
    },
  );

  test.prop([arbRat, arbNonZero], opts)('results of every operation are reduced', (a, b) => {
    for (const r of [a.add(b), a.sub(b), a.mul(b), a.div(b), a.neg(), a.abs(), b.inv(), b.pow(3), b.pow(-2)]) {
      expect(isReduced(r)).toBe(true);
    }
  });

  // gcd has a Number fast path below 2^53: straddle it.
  const nearSafe = fc.oneof(
    fc.bigInt({ min: -(1n << 60n), max: 1n << 60n }),
    fc.bigInt({ min: (1n << 53n) - 1000n, max: (1n << 53n) + 1000n }),
    fc.bigInt({ min: 0n, max: 100n }),
  );
  test.prop([nearSafe, nearSafe, fc.bigInt({ min: 1n, max: 1n << 20n })], opts)(
    'gcd equals the reference gcd',
    (a, b, k) => {
      expect(gcd(a, b)).toBe(refGcd(a, b));
      expect(gcd(a * k, b * k)).toBe(refGcd(a, b) * k);
    },
  );
});

describe('Rational: text forms (FORMAT.md)', () => {
  test.prop([arbRat], opts)('toString then parse gives the same value; toString is canonical', (q) => {
    const s = q.toString();
    expect(Rational.parse(s).eq(q)).toBe(true);
    expect(s).toMatch(/^-?\d+(\/\d+)?$/);
    if (q.den === 1n) expect(s).not.toContain('/');
    expect(JSON.stringify(q)).toBe(JSON.stringify(s));
  });

  test('fixed examples', () => {
    expect(Rational.parse('1.25').toString()).toBe('5/4');
    expect(Rational.parse('-2e-3').toString()).toBe('-1/500');
    expect(Rational.parse('0.1').toString()).toBe('1/10');
    expect(Rational.parse('-7').toString()).toBe('-7');
    expect(Rational.parse('-6/4').toString()).toBe('-3/2');
    expect(Rational.parse('1E+2').toString()).toBe('100');
    expect(Rational.parse(0.1).toString()).toBe('3602879701896397/36028797018963968');
    expect(Rational.parse(JSON.parse('0.1')).toString()).toBe('3602879701896397/36028797018963968');
    expect(Rational.parse(-0).toString()).toBe('0');
    for (const bad of [
      NaN,
      Infinity,
      -Infinity,
      '1/0',
      'abc',
      true,
      null,
      undefined,
      {},
      [],
      '',
      '1/2/3',
      '3/-4',
      '--1',
      '1e',
      'NaN',
      '0x10',
      '1/2.5',
    ]) {
      expect(() => Rational.parse(bad)).toThrow(InputError);
    }
  });

  test.prop([fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -40, max: 40 })], opts)(
    'scientific decimals m e k are exactly m * 10^k',
    (m, k) => {
      const expected = k >= 0 ? Rational.of(m * 10n ** BigInt(k)) : Rational.of(m, 10n ** BigInt(-k));
      expect(Rational.parse(`${m}e${k}`).eq(expected)).toBe(true);
    },
  );

  test.prop([fc.boolean(), fc.stringMatching(/^\d{1,12}$/), fc.stringMatching(/^\d{1,12}$/)], opts)(
    'point decimals i.f are exactly (i f) / 10^|f|',
    (neg, i, f) => {
      const digits = BigInt(i + f) * (neg ? -1n : 1n);
      const expected = Rational.of(digits, 10n ** BigInt(f.length));
      expect(Rational.parse(`${neg ? '-' : ''}${i}.${f}`).eq(expected)).toBe(true);
    },
  );
});

describe('Rational.fromDouble: the exact binary64 value', () => {
  const anyDouble = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e-300, max: 1e-300 }), // subnormals and tiny
    fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
    fc.integer().map((k) => k / 1024),
  );
  test.prop([anyDouble], opts)('agrees with scaling by powers of two', (x) => {
    const q = Rational.fromDouble(x);
    const ref = refFromDouble(x);
    expect(q.num).toBe(ref.num);
    expect(q.den).toBe(ref.den);
    expect(Rational.parse(x).eq(q)).toBe(true);
    // a double's denominator is a power of two
    expect(q.den & (q.den - 1n)).toBe(0n);
  });

  test.prop(
    [
      fc
        .double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 })
        .filter((x) => x === 0 || Math.abs(x) > 1e-290),
    ],
    opts,
  )('is exact: toNumber gives the double back (normal range)', (x) => {
    expect(Rational.fromDouble(x).toNumber()).toBe(x + 0);
  });

  test('rejects non-finite values', () => {
    for (const x of [NaN, Infinity, -Infinity]) expect(() => Rational.fromDouble(x)).toThrow(InputError);
    expect(Rational.fromDouble(Number.MIN_VALUE).toString()).toBe(`1/${1n << 1074n}`);
    expect(Rational.fromDouble(2 ** 60).toString()).toBe(String(1n << 60n));
  });
});

// ---- expression trees vs mathjs Fraction ----

type Expr = { leaf: [number, number] } | { op: '+' | '-' | '*' | '/'; l: Expr; r: Expr };

const { expr } = fc.letrec<{ expr: Expr; node: Expr; leaf: Expr }>((tie) => ({
  leaf: fc
    .record({ n: fc.integer({ min: -12, max: 12 }), d: fc.integer({ min: 1, max: 12 }) })
    .map(({ n, d }): Expr => ({ leaf: [n, d] })),
  node: fc.record({
    op: fc.constantFrom('+' as const, '-' as const, '*' as const, '/' as const),
    l: tie('expr'),
    r: tie('expr'),
  }),
  expr: fc.oneof({ depthSize: 'small', maxDepth: 6, withCrossShrink: true }, tie('leaf'), tie('node')),
}));

function evalRational(e: Expr): Rational | null {
  if ('leaf' in e) return Rational.of(e.leaf[0], e.leaf[1]);
  const a = evalRational(e.l);
  const b = evalRational(e.r);
  if (a === null || b === null) return null;
  switch (e.op) {
    case '+':
      return a.add(b);
    case '-':
      return a.sub(b);
    case '*':
      return a.mul(b);
    case '/':
      return b.isZero() ? null : a.div(b);
  }
}

function evalMathjs(e: Expr): Fraction | null {
  if ('leaf' in e) return fraction(e.leaf[0], e.leaf[1]) as Fraction;
  const a = evalMathjs(e.l);
  const b = evalMathjs(e.r);
  if (a === null || b === null) return null;
  switch (e.op) {
    case '+':
      return add(a, b) as Fraction;
    case '-':
      return subtract(a, b) as Fraction;
    case '*':
      return multiply(a, b) as Fraction;
    case '/':
      return b.n === 0n ? null : (divide(a, b) as Fraction);
  }
}

function show(e: Expr): string {
  return 'leaf' in e ? `(${e.leaf[0]}/${e.leaf[1]})` : `(${show(e.l)} ${e.op} ${show(e.r)})`;
}

describe('Rational vs mathjs Fraction', () => {
  test.prop([expr.map((e): Expr => Object.assign({}, e, { [fc.toStringMethod]: () => show(e) }))], opts)(
    'random + - * / trees evaluate to the same reduced fraction',
    (e) => {
      const ours = evalRational(e);
      const theirs = evalMathjs(e);
      fc.pre(theirs !== null); // skip division by zero (both sides agree on it)
      expect(ours).not.toBeNull();
      expect(ours!.toString()).toBe(theirs!.toFraction());
    },
  );
});

// ---- intDot ----

const TWO53 = 1n << 53n;

/** Vectors whose |entries| sit around sqrt(2^53 / d), so maxAbs^2 * d straddles 2^53. */
const nearBound = fc
  .record({
    d: fc.integer({ min: 1, max: 8 }),
    wiggle: fc.integer({ min: -3, max: 3 }),
    sa: fc.array(fc.integer(), { minLength: 8, maxLength: 8 }),
    sb: fc.array(fc.integer(), { minLength: 8, maxLength: 8 }),
    big: fc.boolean(),
  })
  .map(({ d, wiggle, sa, sb, big }) => {
    const M = BigInt(Math.floor(Math.sqrt(2 ** 53 / d))) + BigInt(wiggle) * (big ? 1000n : 1n);
    // entries in [-M, M] with the extremes likely (maxAbs = M often)
    const vec = (seeds: number[]) =>
      seeds.slice(0, d).map((s, k) => {
        if (k === 0) return s % 2 === 0 ? M : -M;
        const r = BigInt(Math.abs(s)) % (2n * M + 1n);
        return r - M;
      });
    return { a: vec(sa), b: vec(sb) };
  });

/** Vectors with some entries above 2^53 (no Number view at all). */
const huge = fc
  .array(fc.tuple(fc.bigInt({ min: -(1n << 60n), max: 1n << 60n }), fc.bigInt({ min: -(1n << 60n), max: 1n << 60n })), {
    minLength: 1,
    maxLength: 6,
  })
  .map((pairs) => ({ a: pairs.map((p) => p[0]), b: pairs.map((p) => p[1]) }));

function refDot(a: readonly bigint[], b: readonly bigint[]): bigint {
  let s = 0n;
  for (let k = 0; k < a.length; k++) s += a[k]! * b[k]!;
  return s;
}

function fastPathTaken(a: ScaledVec, b: ScaledVec): boolean {
  return a.nums !== null && b.nums !== null && a.maxAbs * b.maxAbs * BigInt(a.dim) < TWO53;
}

describe('bitLength and writeLimbs: exact, on every side of 2^32 and 2^53', () => {
  // around powers of two (the clz32 halves, the Number/BigInt switch) and at random
  const arbNat = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: -1, max: 1 })).map(([e, o]) => {
      const v = (1n << BigInt(e)) + BigInt(o);
      return v < 0n ? 0n : v;
    }),
    fc.bigInt({ min: 0n, max: 1n << 300n }),
  );
  test.prop([arbNat])('bitLength(a) = the length of a in binary (0 for 0)', (a) => {
    expect(bitLength(a)).toBe(a === 0n ? 0 : a.toString(2).length);
  });
  test.prop([arbNat, fc.boolean(), fc.integer({ min: 2, max: 32 }), fc.integer({ min: 1, max: 3 })])(
    "writeLimbs: Σ_t l_t 2^(k t) = v, |l_t| < 2^k, each with v's sign, at its stride",
    (a, neg, k, stride) => {
      const v = neg ? -a : a;
      const T = Math.max(1, Math.ceil(bitLength(a) / k));
      const L = new Float64Array(1 + T * stride);
      writeLimbs(v, k, L, 1, stride);
      let back = 0n;
      for (let t = T - 1; t >= 0; t--) {
        const l = L[1 + t * stride]!;
        expect(Math.abs(l)).toBeLessThan(2 ** k);
        if (l !== 0) expect(Math.sign(l)).toBe(neg ? -1 : 1);
        back = (back << BigInt(k)) + BigInt(l);
      }
      expect(back).toBe(v);
      expect(L[0]).toBe(0); // nothing before `at`
    },
  );
});

describe('intDot: Number fast path equals the BigInt path', () => {
  const seen = { fast: 0, slow: 0 };
  test.prop([fc.oneof(nearBound, huge)], opts)(
    'intDot is the exact integer dot product on both sides of 2^53',
    ({ a, b }) => {
      const va = ScaledVec.of(a);
      const vb = ScaledVec.of(b);
      if (fastPathTaken(va, vb)) seen.fast++;
      else seen.slow++;
      expect(intDot(va, vb)).toBe(refDot(va.ints, vb.ints));
      // and the rational dot product is the exact value of the unnormalized vectors
      expect(va.dot(vb).eq(Rational.of(refDot(a, b)))).toBe(true);
    },
  );
  test('both paths were exercised', () => {
    expect(seen.fast).toBeGreaterThan(0);
    expect(seen.slow).toBeGreaterThan(0);
  });

  test('live twin: a plain float dot product without the 2^53 guard is refuted', () => {
    const floatDot = (a: bigint[], b: bigint[]) => BigInt(a.reduce((s, v, k) => s + Number(v) * Number(b[k]!), 0));
    const r = fc.check(
      fc.property(nearBound, ({ a, b }) => floatDot(a, b) === refDot(a, b)),
      { numRuns: 500, seed: 42 },
    );
    expect(r.failed).toBe(true);
  });

  test.prop(
    [
      fc.array(fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 })), {
        minLength: 1,
        maxLength: 6,
      }),
      fc.integer({ min: 1, max: 97 }),
      fc.integer({ min: 1, max: 97 }),
    ],
    opts,
  )('scaled vectors: dot of fromRationals equals the rational dot product', (pairs, da, db) => {
    const ra = pairs.map(([p]) => Rational.of(p, da));
    const rb = pairs.map(([, q]) => Rational.of(q, db));
    const expected = ra.reduce((s, v, k) => s.add(v.mul(rb[k]!)), Rational.ZERO);
    expect(ScaledVec.fromRationals(ra).dot(ScaledVec.fromRationals(rb)).eq(expected)).toBe(true);
  });
});

describe('bit budget', () => {
  test('withBitBudget(64): a product beyond 64 bits throws BudgetError; the budget is restored after', () => {
    const before = getBitBudget();
    expect(() =>
      withBitBudget(64, () => {
        const a = Rational.of(1n << 40n, 3n);
        expect(() => a.mul(a)).toThrow(BudgetError);
        expect(() => Rational.of(1n, 1n << 64n)).toThrow(BudgetError);
        expect(() => Rational.of(-(1n << 64n))).toThrow(BudgetError);
        expect(Rational.of((1n << 64n) - 1n).num).toBe((1n << 64n) - 1n); // just inside
        a.mul(a); // escapes the scope as a BudgetError: the budget must still be restored
      }),
    ).toThrow(BudgetError);
    expect(getBitBudget()).toBe(before);
    const a = Rational.of(1n << 40n, 3n);
    expect(a.mul(a).num).toBe(1n << 80n); // fine again under the default budget
    expect(() => withBitBudget(63, () => 0)).toThrow(InputError);
    expect(() => withBitBudget(100.5, () => 0)).toThrow(InputError);
  });

  test('a long string: the grammar is judged first, the budget only for a rational', () => {
    const notRational = '1x'.repeat(500_000);
    expect(() => Rational.parse(notRational)).toThrow(/expected a rational such as/);
    expect(() => Rational.parse('7'.repeat(1_000_000))).toThrow(BudgetError);
    expect(() => Rational.parse(`1/${'3'.repeat(1_000_000)}`)).toThrow(BudgetError);
    expect(() => withBitBudget(64, () => Rational.parse('1'.repeat(40)))).toThrow(BudgetError);
  });

  test('withBitBudget with an async function keeps the budget until its promise settles', async () => {
    const before = getBitBudget();
    const seen = await withBitBudget(128, async () => {
      await Promise.resolve();
      return getBitBudget();
    });
    expect(seen).toBe(128);
    expect(getBitBudget()).toBe(before);
  });

  test.prop(
    [fc.integer({ min: 64, max: 300 }), fc.integer({ min: 1, max: 299 }), fc.integer({ min: 1, max: 299 })],
    opts,
  )('a product of 2^i and 2^j passes iff i + j < budget', (bits, i, j) =>
    withBitBudget(bits, () => {
      fc.pre(i < bits && j < bits);
      const p = () => Rational.of(1n << BigInt(i)).mul(Rational.of(1n, 1n).div(Rational.of(1n, 1n << BigInt(j))));
      if (i + j < bits) expect(p().num).toBe(1n << BigInt(i + j));
      else expect(p).toThrow(BudgetError);
    }),
  );
});
