// Geometry (THEORY.md section 3) against a brute-force recomputation over plain
// Rationals, plus the NO predicate and its live twins.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { gram } from '../src/exact/vec.ts';
import { makeDataset, type Dataset } from '../src/data/dataset.ts';
import { geometry, nearlyOrthogonal, type Geometry } from '../src/data/geometry.ts';
import { InputError } from '../src/errors.ts';
import { arbHadamard, arbIntMatrix, arbRademacher, arbSmallInts, type Generated } from '../src/data/arbitraries.ts';

const RUNS = { numRuns: 150, interruptAfterTimeLimit: 3000 };
const HALF = Rational.of(1, 2);
const Q = (n: number, d = 1) => Rational.of(n, d);

/** Everything from toRationals() with plain loops: no Gram matrix, no ScaledVec.dot. */
function bruteForce(s: Dataset, r?: number): Geometry {
  const rows = s.x.map((v) => v.toRationals());
  const dot = (a: Rational[], b: Rational[]) => a.reduce((acc, ak, k) => acc.add(ak.mul(b[k]!)), Rational.ZERO);
  const n = rows.length;
  const norms = rows.map((a) => dot(a, a));
  let R2min = norms[0]!;
  let R2max = norms[0]!;
  for (const v of norms) {
    if (v.lt(R2min)) R2min = v;
    if (v.gt(R2max)) R2max = v;
  }
  let phi = Rational.ZERO;
  let phi_r = Rational.ZERO;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < n; k++) {
      if (i === k) continue;
      const a = dot(rows[i]!, rows[k]!).abs();
      phi = phi.max(a);
      if (k === r) phi_r = phi_r.max(a);
    }
  }
  return {
    n,
    d: rows[0]!.length,
    R2min,
    R2max,
    phi,
    phi_r,
    rho: Q(n - 1)
      .mul(phi)
      .div(R2min),
  };
}

function same(a: Geometry, b: Geometry): boolean {
  return (
    a.n === b.n &&
    a.d === b.d &&
    a.R2min.eq(b.R2min) &&
    a.R2max.eq(b.R2max) &&
    a.phi.eq(b.phi) &&
    a.phi_r.eq(b.phi_r) &&
    a.rho.eq(b.rho)
  );
}

// A dataset plus an optional forgotten index (undefined or in range), via map, not chain.
const withR = <P extends object>(arb: fc.Arbitrary<Generated<P>>) =>
  fc.tuple(arb, fc.option(fc.nat(1000), { nil: undefined })).map(([g, k]) => ({
    g,
    r: k === undefined ? undefined : k % g.data.x.length,
  }));

describe('geometry = brute force', () => {
  test.prop([withR(arbIntMatrix({ nMax: 5, dMax: 4, max: 4 }))], RUNS)('intMatrix', ({ g, r }) => {
    expect(same(geometry(g.data, r), bruteForce(g.data, r))).toBe(true);
  });
  test.prop([withR(arbSmallInts())], RUNS)('smallInts', ({ g, r }) => {
    expect(same(geometry(g.data, r), bruteForce(g.data, r))).toBe(true);
  });
  test.prop([withR(arbRademacher({ dMax: 40 }))], RUNS)('rademacher', ({ g, r }) => {
    expect(same(geometry(g.data, r), bruteForce(g.data, r))).toBe(true);
  });
  test.prop([withR(arbHadamard())], RUNS)('hadamardFlips', ({ g, r }) => {
    expect(same(geometry(g.data, r), bruteForce(g.data, r))).toBe(true);
  });

  // Rational (non-integer) rows with mixed scales.
  const arbRationalRows = fc
    .record({
      rows: fc.array(
        fc.array(fc.tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: 1, max: 12 })), {
          minLength: 3,
          maxLength: 3,
        }),
        { minLength: 1, maxLength: 5 },
      ),
      r: fc.nat(10),
    })
    .map(({ rows, r }) => {
      const q = rows.map((row) => {
        const v = row.map(([a, b]) => Q(a, b));
        return v.every((x) => x.isZero()) ? [Q(1, 7), ...v.slice(1)] : v;
      });
      return {
        data: makeDataset(
          q,
          q.map(() => 1 as const),
        ),
        r: r % q.length,
      };
    });
  test.prop([arbRationalRows], RUNS)('rational rows', ({ data, r }) => {
    expect(same(geometry(data, r), bruteForce(data, r))).toBe(true);
  });

  test.prop([withR(arbSmallInts({ nMax: 5 }))], RUNS)('a precomputed Gram matrix gives the same result', ({ g, r }) => {
    expect(same(geometry(g.data, r, gram(g.data.x)), geometry(g.data, r))).toBe(true);
  });

  test('live twin: a brute force that lets i = k into phi is refuted', () => {
    const wrong = (s: Dataset): Rational => {
      const rows = s.x.map((v) => v.toRationals());
      let m = Rational.ZERO;
      for (const a of rows)
        for (const b of rows) m = m.max(a.reduce((acc, ak, k) => acc.add(ak.mul(b[k]!)), Rational.ZERO).abs());
      return m;
    };
    const out = fc.check(
      fc.property(arbIntMatrix(), (g) => geometry(g.data).phi.eq(wrong(g.data))),
      { numRuns: 200, seed: 7 },
    );
    expect(out.failed).toBe(true);
    // The shrunk counterexample is readable and minimal: one row (1).
    expect(fc.stringify(out.counterexample![0])).toBe('intMatrix(x=[[1]],y=[1])');
  });
});

describe('geometry: structure and edge cases', () => {
  test.prop([withR(arbSmallInts({ nMin: 1 }))], RUNS)('orderings, rho formula, phi_r <= phi', ({ g, r }) => {
    const G = geometry(g.data, r);
    expect(G.R2min.le(G.R2max)).toBe(true);
    expect(G.R2min.gt(Rational.ZERO)).toBe(true);
    expect(G.phi_r.le(G.phi)).toBe(true);
    // Cauchy-Schwarz: phi^2 <= R2max^2
    expect(G.phi.mul(G.phi).le(G.R2max.mul(G.R2max))).toBe(true);
    expect(
      G.rho.eq(
        Q(G.n - 1)
          .mul(G.phi)
          .div(G.R2min),
      ),
    ).toBe(true);
    expect(nearlyOrthogonal(G)).toBe(G.rho.lt(HALF));
    if (r === undefined || G.n === 1) expect(G.phi_r.isZero()).toBe(true);
    if (G.n === 1) expect(G.phi.isZero() && G.rho.isZero()).toBe(true);
  });

  test('THEORY.md section 7: x = (3,0), (1,1) violates NO', () => {
    const G = geometry(
      makeDataset(
        [
          [Q(3), Q(0)],
          [Q(1), Q(1)],
        ],
        [1, 1],
      ),
      1,
    );
    expect([G.R2min, G.R2max, G.phi, G.phi_r, G.rho].map(String)).toEqual(['2', '9', '3', '3', '3/2']);
    expect(nearlyOrthogonal(G)).toBe(false);
  });

  test('exact boundary: rho = 1/2 is not NO, just below is', () => {
    // phi = <(2,0),(1,3)> = 2, R2min = 4: rho = 1/2 exactly.
    const boundary = geometry(
      makeDataset(
        [
          [Q(2), Q(0)],
          [Q(1), Q(3)],
        ],
        [1, 1],
      ),
    );
    expect(boundary.rho.eq(HALF)).toBe(true);
    expect(nearlyOrthogonal(boundary)).toBe(false);
    const below = geometry(
      makeDataset(
        [
          [Q(2), Q(0)],
          [Q(999, 1000), Q(3)],
        ],
        [1, 1],
      ),
    );
    expect(below.rho.toString()).toBe('999/2000');
    expect(nearlyOrthogonal(below)).toBe(true);
  });

  test('zero rows, empty data, bad r and bad G are InputErrors', () => {
    const s = makeDataset(
      [
        [Q(1), Q(2)],
        [Q(0), Q(0)],
      ],
      [1, -1],
    );
    expect(() => geometry(s)).toThrow(InputError);
    expect(() => geometry(s)).toThrow('x[1] is the zero vector');
    const ok = makeDataset(
      [
        [Q(1), Q(2)],
        [Q(3), Q(0)],
      ],
      [1, -1],
    );
    expect(() => geometry({ x: [], y: [] })).toThrow(InputError);
    expect(() => geometry(ok, 2)).toThrow(InputError);
    expect(() => geometry(ok, -1)).toThrow(InputError);
    expect(() => geometry(ok, 0.5)).toThrow(InputError);
    expect(() => geometry(ok, undefined, [[Q(1)]])).toThrow(InputError);
  });

  test.prop([arbIntMatrix({ nonzero: false, nMax: 3, dMax: 2, max: 1 })], RUNS)(
    'with zero rows allowed, geometry throws exactly when some row is zero',
    (g) => {
      const zero = g.data.x.findIndex((v) => v.isZero());
      if (zero < 0) expect(() => geometry(g.data)).not.toThrow();
      else expect(() => geometry(g.data)).toThrow(`x[${zero}] is the zero vector`);
    },
  );
});
