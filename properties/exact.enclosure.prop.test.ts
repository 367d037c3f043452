// Properties of src/exact/enclosure.ts. Every containment predicate has a "can fail"
// twin: the same predicate applied to a deliberately wrong enclosure must be refuted.
// References are independent computations in decimal.js at much higher precision;
// no float decides any verdict here.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Decimal } from 'decimal.js';
import { Rational } from '../src/exact/rational.ts';
import { InputError } from '../src/errors.ts';
import {
  type Enclosure,
  decideLe,
  expEnclosure,
  lossDerivativeEnclosure,
  midpoint,
  normalCdfEnclosure,
  sqrtEnclosure,
  width,
} from '../src/exact/enclosure.ts';

const RUNS = { numRuns: 150 };
const TWIN = { numRuns: 100, endOnFailure: true } as const;
const ONE = Rational.ONE;
const pow10 = (k: number): Rational => (k >= 0 ? Rational.of(10n ** BigInt(k)) : Rational.of(1n, 10n ** BigInt(-k)));

/** Refuted by fc.check on some sample (by returning false, not by throwing): evidence the predicate can fail. */
function expectRefuted(prop: fc.IPropertyWithHooks<unknown>): void {
  const out = fc.check(prop, TWIN);
  expect(out.failed).toBe(true);
  expect(String(out.errorInstance)).toMatch(/returning false/);
}

const contains = (e: Enclosure, x: Rational): boolean => e.lo.le(x) && x.le(e.hi);
/** Does e meet the closed interval [a, b]? */
const meets = (e: Enclosure, a: Rational, b: Rational): boolean => e.lo.le(b) && a.le(e.hi);
/** Wrong on purpose: shifted up by twice its width (plus a hair, for exact enclosures). */
const shifted = (e: Enclosure): Enclosure => {
  const s = width(e)
    .mul(Rational.of(2))
    .add(e.hi.abs().add(ONE).mul(pow10(-12)));
  return { lo: e.lo.add(s), hi: e.hi.add(s) };
};
const narrow = (e: Enclosure, digits: number, scale: Rational): boolean =>
  e.lo.le(e.hi) && width(e).le(pow10(-(digits - 5)).mul(ONE.max(scale.abs())));
const addE = (a: Enclosure, b: Enclosure): Enclosure => ({ lo: a.lo.add(b.lo), hi: a.hi.add(b.hi) });
const mulPosE = (a: Enclosure, b: Enclosure): Enclosure => ({ lo: a.lo.mul(b.lo), hi: a.hi.mul(b.hi) });

const fromDecimal = (d: Decimal): Rational => Rational.parse(d.toString());
/** A tolerance interval around a reference r whose relative error is below 10^-k. */
const around = (r: Rational, k: number): [Rational, Rational] => {
  const t = r.abs().mul(pow10(-k));
  return [r.sub(t), r.add(t)];
};

// ---------- arbitraries ----------
const digitsArb = fc.constantFrom(10, 20, 40, 60);
const posRational = fc.oneof(
  fc
    .tuple(fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 20n }))
    .map(([n, d]) => Rational.of(n, d)),
  fc
    .double({ min: 1e-300, max: 1e300, noNaN: true, noDefaultInfinity: true })
    .filter((x) => x > 0)
    .map(Rational.fromDouble),
);
const anyRational = (maxAbs: number): fc.Arbitrary<Rational> =>
  fc
    .tuple(
      fc.integer({ min: -maxAbs, max: maxAbs }),
      fc.bigInt({ min: 0n, max: 10n ** 15n }),
      fc.bigInt({ min: 1n, max: 10n ** 15n }),
    )
    .map(([i, n, d]) => Rational.of(BigInt(i)).add(Rational.of(n % d, d)));
const expArg = fc.oneof(anyRational(40), anyRational(3000));
const cdfArg = anyRational(8);

// ---------- independent references (decimal.js, high precision) ----------
const refCtor = new Map<number, Decimal.Constructor>();
const Ref = (precision: number): Decimal.Constructor => {
  let D = refCtor.get(precision);
  if (!D) refCtor.set(precision, (D = Decimal.clone({ precision })));
  return D;
};
const toRef = (D: Decimal.Constructor, q: Rational): Decimal => new D(q.num.toString()).div(q.den.toString());

/** e^q by decimal.js (correctly rounded at digits+30). */
function refExp(q: Rational, digits: number): [Rational, Rational] {
  const D = Ref(digits + 30);
  return around(fromDecimal(toRef(D, q).exp()), digits + 25);
}

/** Φ(z) = 1/2 + erf(z/√2)/2 via the alternating Maclaurin series of erf, 130 digits. */
function refCdf(z: Rational): [Rational, Rational] {
  const D = Ref(130);
  const t = toRef(D, z).div(new D(2).sqrt());
  const t2 = t.mul(t);
  let pow = t; // t^{2k+1} (-1)^k / k!
  let sum = new D(0);
  for (let k = 0; ; k++) {
    const term = pow.div(2 * k + 1);
    sum = sum.add(term);
    if (term.abs().lt('1e-125')) break;
    pow = pow
      .mul(t2)
      .neg()
      .div(k + 1);
  }
  const phi = sum.div(D.acos(-1).sqrt()).add(0.5);
  const r = fromDecimal(phi);
  return [r.sub(pow10(-100)), r.add(pow10(-100))];
}

/** Mills-ratio bounds x/(1+x²)·φ(x) < Φ(-x) < φ(x)/x for x > 0 (Gordon 1941). */
function millsBounds(x: Rational): [Rational, Rational] {
  const D = Ref(80);
  const xd = toRef(D, x);
  const phi = xd.mul(xd).div(-2).exp().div(D.acos(-1).mul(2).sqrt());
  const lo = fromDecimal(phi.mul(xd).div(xd.mul(xd).add(1)));
  const hi = fromDecimal(phi.div(xd));
  return [around(lo, 70)[0], around(hi, 70)[1]];
}

// ---------- sqrt ----------
describe('sqrtEnclosure', () => {
  const sqrtOk = (q: Rational, e: Enclosure): boolean =>
    e.lo.mul(e.lo).le(q) && q.le(e.hi.mul(e.hi)) && e.lo.sign() >= 0;

  test.prop([posRational, digitsArb], RUNS)('contains the root and is narrow', (q, digits) => {
    const e = sqrtEnclosure(q, digits);
    expect(sqrtOk(q, e)).toBe(true);
    expect(narrow(e, digits, q)).toBe(true);
  });
  test('twin: a shifted enclosure fails the containment check', () => {
    expectRefuted(fc.property(posRational, digitsArb, (q, digits) => sqrtOk(q, shifted(sqrtEnclosure(q, digits)))));
  });
  test('twin: the width check rejects a widened enclosure', () => {
    expectRefuted(
      fc.property(posRational, digitsArb, (q, digits) => {
        const e = sqrtEnclosure(q, digits);
        return narrow({ lo: e.lo, hi: e.hi.add(pow10(-(digits - 7)).mul(ONE.max(q))) }, digits, q);
      }),
    );
  });

  const rootArb = fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 25n }), fc.bigInt({ min: 1n, max: 10n ** 25n }))
    .map(([n, d]) => Rational.of(n, d));
  const exactFor = (r: Rational, q: Rational): boolean => {
    const e = sqrtEnclosure(q, 20);
    return e.lo.eq(r) && e.hi.eq(r);
  };
  test.prop([rootArb], RUNS)('exact for squares of rationals', (r) => {
    expect(exactFor(r, r.mul(r))).toBe(true);
  });
  test('twin: 2r² is never a square, so exactness fails', () => {
    expectRefuted(
      fc.property(
        rootArb.filter((r) => !r.isZero()),
        (r) => exactFor(r, r.mul(r).mul(Rational.of(2))),
      ),
    );
  });
  test('rejects negative input and bad digits', () => {
    expect(() => sqrtEnclosure(Rational.of(-1))).toThrow(InputError);
    expect(() => sqrtEnclosure(Rational.of(2), 0)).toThrow(InputError);
  });
});

// ---------- exp ----------
describe('expEnclosure', () => {
  const expOk = (q: Rational, digits: number, e: Enclosure): boolean => {
    const [a, b] = refExp(q, digits);
    return meets(e, a, b);
  };
  test.prop([expArg, digitsArb], RUNS)('contains decimal.js e^q and is narrow', (q, digits) => {
    const e = expEnclosure(q, digits);
    expect(expOk(q, digits, e)).toBe(true);
    expect(narrow(e, digits, e.hi)).toBe(true);
    expect(e.lo.sign()).toBe(1);
    expect(e.lo.lt(e.hi)).toBe(q.isZero() ? false : true);
  });
  test('twin: a shifted enclosure misses the reference', () => {
    expectRefuted(fc.property(expArg, digitsArb, (q, digits) => expOk(q, digits, shifted(expEnclosure(q, digits)))));
  });
  test('exact at 0, rejects beyond the bit budget', () => {
    const e = expEnclosure(Rational.ZERO);
    expect(e.lo.eq(ONE) && e.hi.eq(ONE)).toBe(true);
    expect(() => expEnclosure(Rational.of(10n ** 6n))).toThrow(/bit budget/);
  });

  // q2 - q1 in [10^-25, 10^-5] moves e^q by far more than the width at 40 digits.
  const gap = fc
    .tuple(anyRational(50), fc.bigInt({ min: 1n, max: 10n ** 20n }))
    .map(([q, k]) => [q, q.add(Rational.of(k, 10n ** 25n))] as const);
  const separated = (a: Rational, b: Rational): boolean => expEnclosure(a).hi.lt(expEnclosure(b).lo);
  test.prop([gap], RUNS)('monotone: q1 < q2 separates the enclosures', ([q1, q2]) => {
    expect(separated(q1, q2)).toBe(true);
  });
  test('twin: the reversed order is refuted', () => {
    expectRefuted(fc.property(gap, ([q1, q2]) => separated(q2, q1)));
  });

  const pair = fc.tuple(anyRational(300), anyRational(300));
  const productOk = (a: Rational, b: Rational, c: Rational): boolean => {
    const p = mulPosE(expEnclosure(a), expEnclosure(b));
    const s = expEnclosure(c);
    return meets(s, p.lo, p.hi);
  };
  test.prop([pair], RUNS)('e^a e^b meets e^{a+b}', ([a, b]) => {
    expect(productOk(a, b, a.add(b))).toBe(true);
  });
  test('twin: e^a e^b misses e^{a+b+10^-20}', () => {
    expectRefuted(fc.property(pair, ([a, b]) => productOk(a, b, a.add(b).add(pow10(-20)))));
  });
});

// ---------- loss derivatives ----------
describe('lossDerivativeEnclosure', () => {
  const z = anyRational(200);
  const logisticSumOk = (z: Rational, target: Rational): boolean =>
    contains(addE(lossDerivativeEnclosure('logistic', z), lossDerivativeEnclosure('logistic', z.neg())), target);
  test.prop([z], RUNS)("logistic: -ℓ'(z) + -ℓ'(-z) = 1 lies in the sum", (z) => {
    expect(logisticSumOk(z, ONE)).toBe(true);
    const e = lossDerivativeEnclosure('logistic', z);
    expect(e.lo.sign() > 0 && e.hi.le(ONE) && narrow(e, 40, ONE)).toBe(true);
  });
  test('twin: 1 + 10^-30 is not in the sum', () => {
    expectRefuted(fc.property(z, (z) => logisticSumOk(z, ONE.add(pow10(-30)))));
  });

  // logistic(z) = u/(1+u) with u = e^{-z}, increasing in u.
  const crossOk = (z: Rational, shift: Rational): boolean => {
    const u = lossDerivativeEnclosure('exponential', z.add(shift));
    const l = lossDerivativeEnclosure('logistic', z);
    return meets(l, u.lo.div(ONE.add(u.lo)), u.hi.div(ONE.add(u.hi)));
  };
  test.prop([z], RUNS)('logistic agrees with the exponential one through u/(1+u)', (z) => {
    expect(crossOk(z, Rational.ZERO)).toBe(true);
  });
  test('twin: a shifted argument is refuted', () => {
    expectRefuted(fc.property(z, (z) => crossOk(z, pow10(-20))));
  });

  const inverseOk = (z: Rational, w: Rational): boolean =>
    contains(mulPosE(lossDerivativeEnclosure('exponential', z), expEnclosure(w)), ONE);
  test.prop([z], RUNS)("exponential: -ℓ'(z)·e^z ∋ 1", (z) => {
    expect(inverseOk(z, z)).toBe(true);
  });
  test("twin: -ℓ'(z)·e^{z+10^-20} does not contain 1", () => {
    expectRefuted(fc.property(z, (z) => inverseOk(z, z.add(pow10(-20)))));
  });
  test('logistic at 0 is exactly 1/2; far tail stays within [0, 1]', () => {
    const h = lossDerivativeEnclosure('logistic', Rational.ZERO);
    expect(h.lo.eq(Rational.of(1, 2)) && h.hi.eq(Rational.of(1, 2))).toBe(true);
    const far = lossDerivativeEnclosure('logistic', Rational.of(-100000));
    expect(far.lo.lt(ONE) && far.hi.le(ONE) && far.lo.gt(Rational.of(1, 2))).toBe(true);
  });
});

// ---------- normal CDF ----------
describe('normalCdfEnclosure', () => {
  const refOk = (z: Rational, e: Enclosure): boolean => {
    const [a, b] = refCdf(z);
    return meets(e, a, b);
  };
  test.prop([cdfArg], RUNS)('contains the erf-series reference and is narrow', (z) => {
    const e = normalCdfEnclosure(z);
    expect(refOk(z, e)).toBe(true);
    expect(e.lo.sign() >= 0 && e.hi.le(ONE)).toBe(true);
    expect(width(e).le(pow10(-25).mul(e.lo))).toBe(true); // relative, also deep in the lower tail
  });
  test('twin: a shifted enclosure misses the reference', () => {
    expectRefuted(fc.property(cdfArg, (z) => refOk(z, shifted(normalCdfEnclosure(z)))));
  });

  const symOk = (z: Rational, target: Rational): boolean =>
    contains(addE(normalCdfEnclosure(z), normalCdfEnclosure(z.neg())), target);
  test.prop([anyRational(60)], RUNS)('Φ(z) + Φ(-z) ∋ 1', (z) => {
    expect(symOk(z, ONE)).toBe(true);
  });
  test('twin: 1 - 10^-20 is not in Φ(z) + Φ(-z)', () => {
    expectRefuted(fc.property(anyRational(60), (z) => symOk(z, ONE.sub(pow10(-20)))));
  });

  const tail = fc
    .tuple(fc.integer({ min: 1, max: 40 }), fc.bigInt({ min: 0n, max: 10n ** 12n }))
    .map(([i, f]) => Rational.of(BigInt(i)).add(Rational.of(f, 10n ** 12n)));
  const millsOk = (x: Rational, e: Enclosure): boolean => {
    const [a, b] = millsBounds(x);
    return meets(e, a, b);
  };
  test.prop([tail], RUNS)('lower tail within the Mills-ratio bounds (both methods, up to x = 41)', (x) => {
    expect(millsOk(x, normalCdfEnclosure(x.neg()))).toBe(true);
  });
  test('twin: Φ(-x-1/10) is outside the bounds for x', () => {
    expectRefuted(fc.property(tail, (x) => millsOk(x, normalCdfEnclosure(x.neg().sub(Rational.of(1, 10))))));
  });

  const gap = fc
    .tuple(cdfArg, fc.bigInt({ min: 1n, max: 10n ** 9n }))
    .map(([z, k]) => [z, z.add(Rational.of(k, 10n ** 10n))] as const);
  const below = (a: Rational, b: Rational): boolean => normalCdfEnclosure(a).hi.lt(normalCdfEnclosure(b).lo);
  test.prop([gap], RUNS)('monotone: z1 < z2 separates the enclosures on [-8, 8]', ([z1, z2]) => {
    expect(below(z1, z2)).toBe(true);
  });
  test('twin: the reversed order is refuted', () => {
    expectRefuted(fc.property(gap, ([z1, z2]) => below(z2, z1)));
  });

  // Standard normal table values (e.g. Abramowitz & Stegun 26.2; any high-precision table),
  // truncated to 25 decimals, so the true value is within 10^-25 of each.
  const table: [Rational, Rational][] = [
    [Rational.of(1), Rational.parse('0.8413447460685429485852325')],
    [Rational.of(-3), Rational.parse('0.001349898031630094526651814')],
  ];
  const tableOk = (z: Rational, v: Rational): boolean =>
    meets(normalCdfEnclosure(z), v.sub(pow10(-25)), v.add(pow10(-25)));
  test('known values: Φ(1), Φ(-3), Φ(0) = 1/2 exactly', () => {
    for (const [z, v] of table) expect(tableOk(z, v)).toBe(true);
    const h = normalCdfEnclosure(Rational.ZERO);
    expect(h.lo.eq(Rational.of(1, 2)) && h.hi.eq(Rational.of(1, 2))).toBe(true);
  });
  test('twin: swapped table values are refuted', () => {
    expect(tableOk(table[0]![0], table[1]![1])).toBe(false);
    expect(tableOk(table[1]![0], table[0]![1])).toBe(false);
  });
  test('beyond the bit budget: [0, tiny] and [1 - tiny, 1]', () => {
    const lo = normalCdfEnclosure(Rational.of(-1_000_000));
    const hi = normalCdfEnclosure(Rational.of(1_000_000));
    expect(lo.lo.isZero() && lo.hi.lt(pow10(-1000))).toBe(true);
    expect(hi.hi.eq(ONE) && hi.lo.gt(ONE.sub(pow10(-25)))).toBe(true);
  });
});

// ---------- helpers ----------
describe('midpoint, width, decideLe', () => {
  const enc = fc
    .tuple(anyRational(100), fc.bigInt({ min: 0n, max: 10n ** 12n }))
    .map(([lo, w]): Enclosure => ({ lo, hi: lo.add(Rational.of(w, 10n ** 6n)) }));
  type Decider = (e: Enclosure, b: Rational) => boolean | undefined;
  const agrees = (decide: Decider, e: Enclosure, b: Rational): boolean => {
    const d = decide(e, b);
    return d === true ? e.hi.le(b) : d === false ? e.lo.gt(b) : e.lo.le(b) && b.lt(e.hi);
  };
  test.prop([enc, anyRational(100)], RUNS)('decideLe agrees with the endpoints; midpoint lies inside', (e, b) => {
    expect(agrees(decideLe, e, b)).toBe(true);
    expect(agrees(decideLe, e, midpoint(e))).toBe(true);
    expect(contains(e, midpoint(e)) && width(e).sign() >= 0).toBe(true);
  });
  test('twin: a decider that looks at lo only is refuted', () => {
    const wrong: Decider = (e, b) => e.lo.le(b);
    expectRefuted(fc.property(enc, anyRational(100), (e, b) => agrees(wrong, e, b) && agrees(wrong, e, midpoint(e))));
  });
});
