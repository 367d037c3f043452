// L5 (THEORY.md section 4): from an (ε0, δ0, τ0)-approximate KKT point (here: float64
// gradient descent on the logistic loss, read as exact rationals), GA with c = κ λ_r is
// (ε0 + |1-κ| λ_r ||x_r||, δ0 + κ λ_r φ_r max_R λ_i, τ0 + κ λ_r φ_r)-successful.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { ScaledVec } from '../src/exact/vec.ts';
import { arbNearlyOrthogonal } from '../src/data/arbitraries.ts';
import type { Dataset } from '../src/data/dataset.ts';
import { geometry } from '../src/data/geometry.ts';
import { trainLinear } from '../src/float/linearFloat.ts';
import { hadamardFlips as hadamard, rademacher as rad } from '../src/data/generators.ts';
import { claimL5 } from '../src/claims/linear.ts';
import { runCase } from '../src/unlearn/pipeline.ts';
import { expectHolds, liveTwin, params, tally } from './support.ts';

const arbKappa = fc.integer({ min: -4, max: 4 }).map((k) => Rational.of(4 + k, 4));

/** θ from `steps` of float64 GD on the logistic loss, as exact binary64 rationals. */
function trained(data: Dataset, steps: number): ScaledVec {
  const X = data.x.map((v) => v.toRationals().map((q) => q.toNumber()));
  const w = trainLinear(X, [...data.y], { loss: 'logistic', steps, lr: 1 / X[0]!.length, normalized: true });
  return ScaledVec.fromRationals(w.map(Rational.fromDouble));
}

function run(data: Dataset, steps: number, r: number, kappa: Rational) {
  return runCase({
    model: { kind: 'linear' },
    data,
    theta: [trained(data, steps)],
    forget: [r],
    step: { kind: 'kappa', kappa },
    gradient: 'autodiff',
  });
}

describe('L5: GA from an approximate KKT point', () => {
  const stat = tally('L5');
  test.prop(
    [arbNearlyOrthogonal({ nMin: 2, nMax: 5 }), fc.integer({ min: 1, max: 200 }), fc.nat(), arbKappa],
    params(200),
  )('ε, δ, τ add up', (g, steps, rs, kappa) => {
    const r = rs % g.data.x.length;
    const res = run(g.data, steps, r, kappa);
    stat('run');
    stat('ε0 > 0', res.before.epsilon2.sign() > 0);
    stat('τ0 > 0', res.before.tau.sign() > 0);
    expectHolds(claimL5(res, geometry(g.data, r, res.ctx.G), kappa));
  });

  test('mutation: dropping ε0 from the ε bound is refuted (the input is only approximately KKT)', () => {
    const ce = liveTwin(
      'L5.drop-epsilon0',
      'L5',
      'ε_inherited <= |1-κ| λ_r ||x_r|| (ε0 dropped)',
      fc.tuple(
        arbNearlyOrthogonal({ nMin: 2, nMax: 3 }).map((g) => ({ generator: g.generator, params: g.params })),
        fc.integer({ min: 1, max: 50 }),
      ),
      ([g, steps]) => {
        const data = (g.generator === 'hadamardFlips' ? hadamard : rad)(g.params as never);
        const res = run(data, steps, 0, Rational.ONE);
        return res.inherited.epsilon2.isZero();
      },
    );
    expect(ce[1]).toBeGreaterThanOrEqual(1);
  });
});
