// The wire formats' fast paths against the plain routes, so breaking one makes a test fail:
// (1) case rows of plain integer strings are read without a Rational per entry (case.ts
//     vectorRow): the same vector as Rational.parse entry by entry, on strings at and past the
//     fast grammar's edges ("0", "-0", "007", 15 and 16 digits, decimals, fractions);
// (2) ScaledVec.toStrings (certificate θ output, one printed denominator per distinct one) is
//     toRationals().map(String), on scales with shared small and large primes.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { ScaledVec } from '../src/exact/vec.ts';
import { parseCase } from '../src/formats/case.ts';
import { params, tally } from './support.ts';

const entry = fc.oneof(
  fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }).map(String),
  fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }).map(String),
  fc.constantFrom('0', '-0', '007', '-010', '1e3', '2.50', '-3/4', '6/4', '999999999999999', '1000000000000000'),
);

describe('(1) integer rows read directly = Rational.parse entry by entry', () => {
  const stat = tally('formats.fastpaths.rows');
  test.prop([fc.array(fc.array(entry, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 4 })], params(300))(
    'x and theta of a linear case',
    (rows) => {
      const x = rows.map((r, i) => (r.every((v) => Rational.parse(v).isZero()) ? ['1', ...r.slice(1)] : r));
      const c = parseCase({
        format: 'unlearn-kkt/case@1',
        model: { kind: 'linear' },
        x,
        y: x.map(() => 1),
        theta: x[0],
        forget: [0],
        step: { kappa: '1' },
      });
      const slow = (r: readonly string[]) => ScaledVec.fromRationals(r.map((v) => Rational.parse(v)));
      stat('run');
      stat(
        'a row of plain integers',
        x.some((r) => r.every((v) => /^-?[1-9]\d{0,14}$|^0$/.test(v))),
      );
      c.data.x.forEach((v, i) =>
        expect(v.equals(slow(x[i]!)) && String(v.scale) === String(slow(x[i]!).scale)).toBe(true),
      );
      expect(c.theta![0]!.toRationals().map(String)).toEqual(slow(x[0]!).toRationals().map(String));
    },
  );
});

describe('(2) ScaledVec.toStrings = toRationals().map(String)', () => {
  const stat = tally('formats.fastpaths.strings');
  const prime = fc.constantFrom(2n, 3n, 5n, 7n, 1_000_003n, 998_244_353n, (1n << 61n) - 1n);
  test.prop(
    [
      fc.array(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), { minLength: 1, maxLength: 12 }),
      fc.array(prime, { maxLength: 4 }),
      fc.array(prime, { maxLength: 3 }),
      fc.boolean(),
    ],
    params(300),
  )('on scales num/den with primes shared with the entries', (ints, denPrimes, entryPrimes, neg) => {
    const den = denPrimes.reduce((a, p) => a * p, 1n);
    const f = entryPrimes.reduce((a, p) => a * p, 1n);
    const v = ScaledVec.of(
      ints.map((x, k) => (k % 2 ? x * f : x)),
      Rational.of(neg ? -7n : 5n, den),
    );
    stat('run');
    stat(
      'entries reduced against the denominator',
      v.toRationals().some((q) => q.den !== v.scale.den),
    );
    expect(v.toStrings()).toEqual(v.toRationals().map(String));
  });
});
