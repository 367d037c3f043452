// Monte Carlo test error with exact evaluation (THEORY.md section 6, relu2 part): the
// integer-only sign of N(x) agrees with the rational evaluation, kinks included; Hoeffding's
// radius is a validated upper enclosure; and on linear models, whose error is known exactly
// (Φ enclosure), the Monte Carlo interval covers it (α = 1e-6, so a failure is a bug, not
// bad luck).
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { ScaledVec } from '../src/exact/vec.ts';
import { expEnclosure } from '../src/exact/enclosure.ts';
import { gaussianMixture, gaussianMixtureMean } from '../src/data/generators.ts';
import { makeDataset } from '../src/data/dataset.ts';
import { outputOf } from '../src/models/model.ts';
import { Params } from '../src/models/params.ts';
import { testErrorEnclosure } from '../src/claims/generalization.ts';
import { countErrors, errorInterval, hoeffdingRadius, linearSign, relu2Sign } from '../src/claims/monteCarlo.ts';
import { NotSeparableError } from '../src/errors.ts';
import { linearRun, liveTwin, params, tally } from './support.ts';

const ALPHA = Rational.of(1, 1_000_000);

describe('Monte Carlo test error with exact evaluation', () => {
  const stat = tally('relu2Sign');
  const small = fc.integer({ min: -2, max: 2 });
  test.prop(
    [
      // rows of length 4 cut to d (map, not chain: it shrinks well)
      fc
        .record({
          d: fc.integer({ min: 1, max: 4 }),
          W: fc.array(fc.array(small, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 4 }),
          X: fc.array(fc.array(small, { minLength: 4, maxLength: 4 }), { minLength: 1, maxLength: 6 }),
          v: fc.array(
            fc.integer({ min: -3, max: 3 }).filter((t) => t !== 0),
            { minLength: 4, maxLength: 4 },
          ),
          scale: fc.integer({ min: 1, max: 7 }),
        })
        .map(({ d, W, X, ...rest }) => ({ W: W.map((r) => r.slice(0, d)), X: X.map((r) => r.slice(0, d)), ...rest })),
    ],
    params(300),
  )('the integer-only sign of N(x) equals the sign of the rational N(x)', ({ W, X, v, scale }) => {
    const q = (t: number) => Rational.of(t, scale);
    const data = makeDataset(
      X.map((r) => r.map(q)),
      X.map(() => 1),
    );
    const theta = W.map((r) => ScaledVec.fromRationals(r.map((t) => Rational.of(t))));
    const vs = W.map((_, j) => Rational.of(v[j]!, 3));
    const p = Params.fromVectors(theta, data);
    const sign = relu2Sign(theta, vs);
    stat('run');
    stat(
      'a kink',
      p.pre.some((row) => row.some((t) => t.isZero())),
    );
    data.x.forEach((x, i) => expect(sign(x)).toBe(outputOf({ kind: 'relu2', v: vs }, p.pre, i).sign()));
  });

  test.prop([fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 999 })], params(30))(
    "Hoeffding's radius is an upper enclosure: exp(2 N ε_H²) >= 2/α, and tight to 1e-9",
    (N, a) => {
      const alpha = Rational.of(a, 1000);
      const r = hoeffdingRadius(N, alpha);
      expect(expEnclosure(r.mul(r).mul(Rational.of(2 * N)), 30).lo.ge(Rational.of(2).div(alpha))).toBe(true);
      expect(r.toNumber()).toBeLessThanOrEqual(Math.sqrt(Math.log(2000 / a) / (2 * N)) * (1 + 1e-9));
    },
  );

  /** A linear max-margin model on a small mixture sample, its exact error, and a test sample. */
  const arbGmm = fc.record({
    n: fc.integer({ min: 2, max: 6 }),
    extra: fc.integer({ min: 0, max: 10 }),
    seed: fc.nat(2 ** 30),
    mu: fc.integer({ min: 1, max: 6 }).map((k) => k / 4),
  });
  function setup(p: { n: number; extra: number; seed: number; mu: number }, N: number) {
    const d = p.n + p.extra;
    const data = gaussianMixture({ n: p.n, d, seed: p.seed, mu: p.mu, sigma: 1 });
    let run;
    try {
      run = linearRun(data, [0]);
    } catch (e) {
      if (e instanceof NotSeparableError) return undefined;
      throw e;
    }
    const w = run.theta;
    const exact = testErrorEnclosure(w, ScaledVec.fromRationals(gaussianMixtureMean(p.mu, d)), Rational.ONE);
    const test = gaussianMixture({ n: N, d, seed: p.seed + 1, mu: p.mu, sigma: 1 });
    return { exact, errors: countErrors(linearSign(w.vectors()[0]!), test) };
  }

  const statCov = tally('MC coverage');
  test.prop([arbGmm], params(20))(
    'linear: the Monte Carlo interval (α = 1e-6) covers the exact error Φ(-<w,μ>/||w||)',
    (p) => {
      const s = setup(p, 400);
      statCov('run');
      if (!s) return;
      const iv = errorInterval(s.errors, 400, ALPHA);
      statCov('error above 10%', s.exact.lo.gt(Rational.of(1, 10)));
      expect(iv.lo.le(s.exact.hi) && s.exact.lo.le(iv.hi)).toBe(true);
    },
  );

  test("live twin: an interval a tenth as wide as Hoeffding's misses the exact error", () => {
    liveTwin(
      'MC.tenth-radius',
      'Monte Carlo (section 6)',
      'k/N ± ε_H/10 covers err(w)',
      arbGmm,
      (p) => {
        const s = setup(p, 400);
        if (!s) return true;
        const est = Rational.of(s.errors, 400);
        const r = hoeffdingRadius(400, ALPHA).div(Rational.of(10));
        return est.sub(r).le(s.exact.hi) && s.exact.lo.le(est.add(r));
      },
      100,
    );
  });
});
