// T2 (THEORY.md section 5): one GA step c = κ λ_r on a two-layer ReLU network.
// (a) margin shift, τ, δ; (b) the ε bound with flipped sets — for any θ with its optimal
// certificate; (c) stable pairs do not flip, and no flip + Clarke-consistent + κ = 1 keeps
// ε <= ε0; (d) the autodiff kink term is real — from exact KKT inputs.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { geometry } from '../src/data/geometry.ts';
import { claimT2a, claimT2b, claimT2c, claimT2d, clarkeConsistent } from '../src/claims/relu2.ts';
import { flipsOf, kinksOf } from '../src/claims/quantities.ts';
import type { CaseRun } from '../src/unlearn/pipeline.ts';
import type { Gradient } from '../src/unlearn/ga.ts';
import type { Dataset } from '../src/data/dataset.ts';
import type { KKTPoint } from '../src/kkt/polish.ts';
import { expectHolds, liveTwin, params, tally } from './support.ts';
import {
  arbKappa,
  arbSmallParams,
  arbTrainedParams,
  relu2Run,
  smallData,
  trained,
  trainedSmall,
} from './relu2.support.ts';

const arbGradient = fc.constantFrom<Gradient>('autodiff', 'clarke');

/** An exact KKT input: small integer data or nearly orthogonal ±1 data, trained and polished. */
const arbExact = fc.oneof(
  fc
    .record({ small: arbSmallParams({ nMax: 4, dMax: 4, mMax: 4 }), seed: fc.nat(1000) })
    .map(({ small, seed }) => ({ kind: 'small' as const, small, seed })),
  arbTrainedParams({ nMin: 2, nMax: 4, mMin: 4, mMax: 6 }).map((p) => ({ kind: 'trained' as const, p })),
);
type ExactParams = typeof arbExact extends fc.Arbitrary<infer T> ? T : never;

function exactInput(e: ExactParams): { data: Dataset; v: Rational[]; kkt: KKTPoint | undefined } {
  return e.kind === 'small' ? trainedSmall(e.small, e.seed) : trained(e.p);
}

function statRun(stat: (l: string, h?: boolean) => void, run: CaseRun) {
  const r = run.forget[0]!;
  stat('run');
  stat('θ has kinks', run.before.kinks.length > 0);
  stat('kink on x_r', kinksOf(run, r) > 0);
  stat('flips', flipsOf(run) > 0);
  stat('Clarke-consistent step', clarkeConsistent(run));
}

describe('T2: one GA step on a two-layer network', () => {
  const statAny = tally('T2 (a), (b) on any θ (small integers)');
  test.prop([arbSmallParams({ nMax: 4, dMax: 4, mMax: 3 }), fc.nat(), arbKappa, arbGradient], params(200))(
    '(a), (b) for any θ with its optimal certificate',
    (p, rs, kappa, gradient) => {
      const { data, v, theta } = smallData(p);
      const r = rs % data.x.length;
      const run = relu2Run(data, v, theta, r, kappa, gradient);
      statRun(statAny, run);
      statAny('ε0 > 0', !run.before.epsilon2.isZero());
      const geom = geometry(data, r, run.ctx.G);
      expectHolds([...claimT2a(run, geom, kappa), ...claimT2b(run, geom, kappa)]);
    },
  );

  const statExact = tally('T2 (a)-(d) from exact KKT inputs');
  // κ = 1 half of the time: (c) and (d)'s equality live there
  const arbKappaOften1 = fc.oneof(fc.constant(Rational.ONE), arbKappa);
  test.prop([arbExact, fc.nat(), arbKappaOften1, arbGradient], params(180))(
    '(a)-(d) from exact KKT inputs',
    (e, rs, kappa, gradient) => {
      const { data, v, kkt } = exactInput(e);
      statExact('exact KKT input found', kkt !== undefined);
      if (!kkt) return statExact('run');
      const r = rs % data.x.length;
      const run = relu2Run(data, v, kkt.params.vectors(), r, kappa, gradient);
      statRun(statExact, run);
      expect(run.before.epsilon2.isZero()).toBe(true);
      const geom = geometry(data, r, run.ctx.G);
      const c = claimT2c(run, kappa);
      const d = claimT2d(run, kappa);
      statExact('(c) ε <= ε0 applies', c.length > 1);
      statExact('(d) equality applies with a positive term', d.length > 1 && d[1]!.bound.sign() > 0);
      expectHolds([...claimT2a(run, geom, kappa), ...claimT2b(run, geom, kappa), ...c, ...d]);
    },
  );

  test('live twin (a): a kink on the forgotten point under autodiff makes ε > ε0 (T2(d))', () => {
    const ce = liveTwin(
      'T2d.autodiff-kink',
      'T2(d)',
      'ε_inherited <= ε0 after an autodiff GA step with κ = 1 and no flip (T2(c) without Clarke consistency)',
      fc.record({ small: arbSmallParams({ nMax: 3, dMax: 3, mMax: 3 }), seed: fc.nat(100), rs: fc.nat(2) }),
      ({ small, seed, rs }) => {
        const { data, v, kkt } = trainedSmall(small, seed);
        if (!kkt) return true;
        const r = rs % data.x.length;
        const run = relu2Run(data, v, kkt.params.vectors(), r, Rational.ONE, 'autodiff');
        return flipsOf(run) > 0 || run.inherited.epsilon2.le(run.before.epsilon2);
      },
      300,
    );
    const { data, v, kkt } = trainedSmall(ce.small, ce.seed);
    const run = relu2Run(data, v, kkt!.params.vectors(), ce.rs % data.x.length, Rational.ONE, 'autodiff');
    expect(kinksOf(run, run.forget[0]!)).toBeGreaterThan(0);
    expectHolds(claimT2d(run, Rational.ONE));
  });

  test('live twin (b): an activation flip makes ε > 0 from an exact KKT input (T2(c) needs its margin condition)', () => {
    const ce = liveTwin(
      'T2c.flip',
      'T2(c)',
      'ε_inherited = 0 after a Clarke-consistent GA step with κ = 1 from an exact KKT point, flips or not',
      fc.record({ small: arbSmallParams({ nMax: 3, dMax: 3, mMax: 3 }), seed: fc.nat(100), rs: fc.nat(2) }),
      ({ small, seed, rs }) => {
        const { data, v, kkt } = trainedSmall(small, seed);
        if (!kkt) return true;
        const run = relu2Run(data, v, kkt.params.vectors(), rs % data.x.length, Rational.ONE, 'clarke');
        return run.inherited.epsilon2.isZero();
      },
      300,
    );
    const { data, v, kkt } = trainedSmall(ce.small, ce.seed);
    const run = relu2Run(data, v, kkt!.params.vectors(), ce.rs % data.x.length, Rational.ONE, 'clarke');
    expect(flipsOf(run)).toBeGreaterThan(0);
  });

  test('mutation (a): the margin-shift bound cannot be halved', () => {
    liveTwin(
      'T2a.half-bound',
      'T2(a)',
      '|q_i(W~) - q_i(W)| <= κ λ_r |<x_r,x_i>| V_r / 2',
      fc.record({ small: arbSmallParams({ nMax: 3, dMax: 3, mMax: 2 }), rs: fc.nat(2) }),
      ({ small, rs }) => {
        const { data, v, theta } = smallData(small);
        const r = rs % data.x.length;
        const run = relu2Run(data, v, theta, r, Rational.ONE, 'autodiff');
        return claimT2a(run, geometry(data, r, run.ctx.G), Rational.ONE)
          .filter((c) => c.quantity.startsWith('|margin'))
          .every((c) => c.measured.le(c.bound.div(Rational.of(2))));
      },
      300,
    );
  });
});
