// G1 (THEORY.md section 6): in the Gaussian mixture, the unlearned model's test error is
// bounded through its distance to the retrained model (L3), with errors as validated
// enclosures of the normal CDF.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { ScaledVec } from '../src/exact/vec.ts';
import { gaussianMixture, gaussianMixtureMean } from '../src/data/generators.ts';
import { NotSeparableError } from '../src/errors.ts';
import { claimG1, testErrorEnclosure } from '../src/claims/generalization.ts';
import { expectHolds, linearRun, liveTwin, params, tally } from './support.ts';

/** Gaussian-mixture parameters: small n, d >= n so the sample is separable (almost surely). */
const arbGmm = fc.record({
  n: fc.integer({ min: 2, max: 6 }),
  extra: fc.integer({ min: 0, max: 24 }),
  seed: fc.nat(2 ** 30),
  mu: fc.integer({ min: 1, max: 8 }).map((k) => k / 2),
  r: fc.nat(5),
});

function gmmRun(p: { n: number; extra: number; seed: number; mu: number; r: number }) {
  const d = p.n + p.extra;
  const data = gaussianMixture({ n: p.n, d, seed: p.seed, mu: p.mu, sigma: 1 });
  const mu = ScaledVec.fromRationals(gaussianMixtureMean(p.mu, d));
  try {
    return { run: linearRun(data, [p.r % p.n]), mu };
  } catch (e) {
    if (e instanceof NotSeparableError) return undefined;
    throw e;
  }
}

describe('G1: generalization survives GA (Gaussian mixture)', () => {
  const stat = tally('G1');
  test.prop([arbGmm], params(200))('err(w~) <= Φ(-(s(w*_R) - 2||μ|| ||w~ - w*_R|| / ||w*_R||)/σ)', (p) => {
    const res = gmmRun(p);
    stat('run');
    stat('separable', res !== undefined);
    if (!res) return;
    const checks = claimG1(res.run, res.mu, Rational.ONE);
    stat('w~ = 0 (not applicable)', checks.length === 0);
    stat('bound below 1/2', checks.length > 0 && checks[0]!.bound.lt(Rational.of(1, 2)));
    expectHolds(checks);
  });

  test('live twin: "GA never generalizes worse than retraining" is false', () => {
    const ce = liveTwin(
      'G1.never-worse',
      'G1',
      'err(w~) <= err(w*_R) (the distance term dropped)',
      arbGmm,
      (p) => {
        const res = gmmRun(p);
        if (!res || res.run.ga.params.normSquared.isZero()) return true;
        const a = testErrorEnclosure(res.run.ga.params, res.mu, Rational.ONE);
        const b = testErrorEnclosure(res.run.retrained!.params, res.mu, Rational.ONE);
        return a.lo.le(b.hi);
      },
      300,
    );
    expect(ce.n).toBeLessThanOrEqual(6);
  });
});
