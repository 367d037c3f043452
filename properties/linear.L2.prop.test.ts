// L2 (THEORY.md section 4): one GA step c = κ λ_r from an exact KKT point.
// (a) ε_inherited = |1-κ| λ_r ||x_r||, (b) exact margin shift and τ <= κ λ_r φ_r,
// (c) δ <= κ λ_r φ_r max_R λ_i — for any separable data; (d), (e) under NO at κ = 1.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { arbHadamard, arbIntMatrix, arbNearlyOrthogonal, arbSmallInts } from '../src/data/arbitraries.ts';
import { geometry, nearlyOrthogonal } from '../src/data/geometry.ts';
import { hadamardFlips } from '../src/data/generators.ts';
import type { Dataset } from '../src/data/dataset.ts';
import { claimL2 } from '../src/claims/linear.ts';
import { NotSeparableError } from '../src/errors.ts';
import type { CaseRun } from '../src/unlearn/pipeline.ts';
import { expectHolds, intData, linearRun, liveTwin, params, tally } from './support.ts';

/** κ in [0, 2] on a grid of quarters, shrinking toward 1 (the proper scaling). */
const arbKappa = fc.integer({ min: -4, max: 4 }).map((k) => Rational.of(4 + k, 4));

/** The run, or undefined when the data is not separable (outside every linear claim). */
function tryRun(data: Dataset, r: number, kappa: Rational): CaseRun | undefined {
  try {
    return linearRun(data, [r], { kind: 'kappa', kappa });
  } catch (e) {
    if (e instanceof NotSeparableError) return undefined;
    throw e;
  }
}

const holdsL2 = (run: CaseRun | undefined, data: Dataset, r: number, kappa: Rational, only?: string) =>
  run === undefined ||
  claimL2(run, geometry(data, r, run.ctx.G), kappa).every(
    (c) => c.holds || (only !== undefined && !c.claim.startsWith(only)),
  );

describe('L2: one GA step from an exact KKT point', () => {
  const stat = tally('L2 (a)-(c), any separable data');
  test.prop([arbSmallInts({ nMin: 2, nMax: 5, dMax: 5 }), fc.nat(), arbKappa], params(200))(
    '(a)-(c), (e) exact identities and bounds',
    (g, rs, kappa) => {
      const r = rs % g.data.x.length;
      const run = tryRun(g.data, r, kappa);
      stat('run');
      stat('separable', run !== undefined);
      if (!run) return;
      stat('λ_r = 0 (r not a support vector)', run.before.lambda[r]!.isZero());
      stat('κ = 1', kappa.eq(Rational.ONE));
      expectHolds(claimL2(run, geometry(g.data, r, run.ctx.G), kappa).filter((c) => !c.claim.startsWith('L2(d)')));
    },
  );

  const statNO = tally('L2 (d), (e) under NO');
  test.prop([arbNearlyOrthogonal({ nMin: 2, nMax: 6 }), fc.nat()], params(200))(
    '(d), (e) under NO at κ = 1',
    (g, rs) => {
      const r = rs % g.data.x.length;
      const run = linearRun(g.data, [r]);
      const geom = geometry(g.data, r, run.ctx.G);
      statNO('run');
      statNO('φ_r > 0', geom.phi_r.sign() > 0);
      statNO('τ > 0 after GA', run.after.tau.sign() > 0);
      const checks = claimL2(run, geom, Rational.ONE);
      expect(checks.some((c) => c.claim === 'L2(d)')).toBe(true);
      expectHolds(checks);
    },
  );

  test('live twin (a): κ != 1 leaves ε > 0 (GA at the wrong scale is not exact)', () => {
    const ce = liveTwin(
      'L2a.kappa',
      'L2(a)',
      'ε_inherited = 0 for every κ',
      fc.tuple(
        arbIntMatrix({ nMin: 2, nMax: 3, dMax: 3 }).map((g) => g.params),
        fc.integer({ min: 0, max: 8 }),
      ),
      ([{ x, y }, k]) => {
        const run = tryRun(intData(x, y), 0, Rational.of(k, 4));
        return run === undefined || run.inherited.epsilon2.isZero();
      },
    );
    expect(ce[1]).not.toBe(4);
  });

  test('live twin (b): GA is not exact unlearning (τ = 0 fails once <x_i, x_r> != 0)', () => {
    const ce = liveTwin(
      'L2b.exact-unlearning',
      'L2(b)',
      'τ = 0 after one properly scaled GA step',
      arbIntMatrix({ nMin: 2, nMax: 3, dMax: 3 }).map((g) => g.params),
      ({ x, y }) => {
        const run = tryRun(intData(x, y), 0, Rational.ONE);
        return run === undefined || run.after.tau.isZero();
      },
    );
    expect(ce.x.length).toBe(2);
  });

  test('mutation (c): the δ bound cannot be halved', () => {
    liveTwin(
      'L2c.half-bound',
      'L2(c)',
      'δ_inherited <= κ λ_r φ_r max_R λ_i / 2',
      arbIntMatrix({ nMin: 2, nMax: 3, dMax: 3 }).map((g) => g.params),
      ({ x, y }) => {
        const data = intData(x, y);
        const run = tryRun(data, 0, Rational.ONE);
        if (!run) return true;
        const c = claimL2(run, geometry(data, 0, run.ctx.G), Rational.ONE).find((k) => k.claim === 'L2(c)')!;
        return c.measured.le(c.bound.div(Rational.of(2)));
      },
    );
  });

  test('mutation (d): under NO the τ bound cannot be halved', () => {
    const ce = liveTwin(
      'L2d.half-bound',
      'L2(d)',
      'τ <= φ/((1-ρ) R2min) / 2 under NO at κ = 1',
      fc.tuple(
        arbHadamard({ nMin: 2, nMax: 4, log2dMin: 2, log2dMax: 4, flipsMax: 3 }).map((g) => g.params),
        fc.nat(3),
      ),
      ([p, rs]) => {
        const data = hadamardFlips(p);
        const r = rs % p.n;
        const geom = geometry(data, r);
        if (!nearlyOrthogonal(geom)) return true;
        const run = linearRun(data, [r]);
        return run.after.tau.le(geom.phi.div(Rational.ONE.sub(geom.rho).mul(geom.R2min)).div(Rational.of(2)));
      },
    );
    expect(nearlyOrthogonal(geometry(hadamardFlips(ce[0])))).toBe(true);
  });
});
