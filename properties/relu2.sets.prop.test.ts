// T2F (docs/THEORY-extensions.md): relu2 forget sets and sequential requests. A batch GA
// step on F from an exact KKT point (T1's trainToKKT) obeys the T2 bounds summed over F;
// one step per point (gradients recomputed, c_r = κ λ_r from the ORIGINAL certificate)
// equals the batch step whenever no pair (j, r in F) flipped before r's turn.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { hadamardFlips, smallInts } from '../src/data/generators.ts';
import type { Dataset } from '../src/data/dataset.ts';
import { arbIntMatrix } from '../src/data/arbitraries.ts';
import { claimT2F, claimT3F, relu2KKTRun, signedUnits, stationarityTerms } from '../src/claims/relu2Sets.ts';
import { vOf } from '../src/claims/quantities.ts';
import { maxOf } from '../src/exact/rational.ts';
import { marginsOf } from '../src/models/model.ts';
import { leRoots } from '../src/claims/check.ts';
import { sameParams, sequentialGA } from '../src/unlearn/sequential.ts';
import type { CaseRun } from '../src/unlearn/pipeline.ts';
import { expectHolds, forgetSet, intData, liveTwin, params, tally } from './support.ts';

/** The network: units (signs of v = ±1), training seed, gradient convention. */
const arbNet = fc.record({
  m: fc.integer({ min: 2, max: 5 }),
  signs: fc.nat(31),
  trainSeed: fc.nat(1000),
  clarke: fc.boolean(),
});
/** The request: forget mask (unbiased, so sets of several points are common) and κ = kappa4/4. */
const arbRequest = fc.record({ mask: fc.noBias(fc.nat(63)), kappa4: fc.integer({ min: 0, max: 8 }) });
type Net = { m: number; signs: number; trainSeed: number; clarke: boolean };
type Request = { mask: number; kappa4: number };

/** Nearly orthogonal (hadamardFlips, d = 64) or small correlated integer data. */
const arbData = fc.oneof(
  fc.record({
    kind: fc.constant('hadamard' as const),
    n: fc.integer({ min: 2, max: 6 }),
    flips: fc.integer({ min: 0, max: 3 }),
    seed: fc.nat(2 ** 30),
  }),
  fc.record({
    kind: fc.constant('ints' as const),
    n: fc.integer({ min: 2, max: 4 }),
    d: fc.integer({ min: 2, max: 3 }),
    seed: fc.nat(2 ** 30),
  }),
);
type DataP =
  { kind: 'hadamard'; n: number; flips: number; seed: number } | { kind: 'ints'; n: number; d: number; seed: number };

function dataOf(p: DataP): Dataset {
  return p.kind === 'hadamard'
    ? hadamardFlips({ n: p.n, d: 64, flips: p.flips, seed: p.seed })
    : smallInts({ n: p.n, d: p.d, seed: p.seed });
}

function runOf(data: Dataset, net: Net, req: Request): CaseRun | undefined {
  // units 0 and 1 have opposite signs, so both classes can be fitted
  const v = signedUnits(net.m, (net.signs << 2) | 2);
  const F = forgetSet(data.x.length, req.mask);
  return relu2KKTRun(
    data,
    v,
    F,
    { kind: 'kappa', kappa: Rational.of(req.kappa4, 4) },
    net.clarke ? 'clarke' : 'autodiff',
    net.trainSeed,
  );
}

/** A permutation of F from a Lehmer code. */
function orderOf(F: readonly number[], perm: number): number[] {
  const pool = F.slice();
  const order: number[] = [];
  for (let k = pool.length, p = perm; k > 0; p = Math.floor(p / k), k--) order.push(pool.splice(p % k, 1)[0]!);
  return order;
}

describe('T2F: relu2 forget sets (batch step)', () => {
  const stat = tally('T2F');
  test.prop([arbData, arbNet, arbRequest], params(100))(
    'margins, τ, δ, stability and ε summed over F',
    (dp, net, req) => {
      const run = runOf(dataOf(dp), net, req);
      stat('run');
      stat('KKT polished', run !== undefined);
      if (!run) return;
      const checks = claimT2F(run);
      stat('|F| >= 2', run.forget.length >= 2);
      stat('retained pairs flipped', stationarityTerms(run).flips > 0);
      stat('ε_inh > 0', !run.inherited.epsilon2.isZero());
      expectHolds(checks);
    },
  );

  test('mutation: the margin bound of a set needs the sum over F, not the worst point', () => {
    liveTwin(
      'T2F.max-not-sum',
      'T2F(a)',
      '|q_i(W~) - q_i(W)| <= max_{r in F} c_r V_r |<x_r, x_i>|',
      fc.tuple(
        fc.record({
          kind: fc.constant('hadamard' as const),
          n: fc.integer({ min: 3, max: 6 }),
          flips: fc.integer({ min: 1, max: 3 }),
          seed: fc.nat(2 ** 30),
        }),
        arbNet,
        fc.noBias(fc.nat(63)),
      ),
      ([dp, net, mask]) => {
        const run = runOf(dataOf(dp), net, { mask, kappa4: 4 });
        if (!run) return true;
        const V = run.forget.map((_, a) => vOf(run, a));
        const q0 = marginsOf(run.ctx.model, run.theta.pre, run.ctx.data.y);
        const q1 = marginsOf(run.ctx.model, run.ga.params.pre, run.ctx.data.y);
        return run.retained.every((i) =>
          q1[i]!.sub(q0[i]!)
            .abs()
            .le(maxOf(run.forget.map((r, a) => run.ga.c[a]!.mul(V[a]!).mul(run.ctx.G[r]![i]!.abs())))),
        );
      },
      300,
    );
  });

  test('live twin: without the flip term the stationarity bound fails once pairs flip', () => {
    const ce = liveTwin(
      'T2F.no-flip-term',
      'T2F(b)',
      'ε_inh <= ε0 + sqrt(E2) (the Φ term dropped)',
      fc.tuple(
        arbIntMatrix({ nMin: 2, nMax: 4, dMax: 3 }).map((g) => g.params),
        arbNet,
        arbRequest,
      ),
      ([{ x, y }, net, req]) => {
        const run = runOf(intData(x, y), net, req);
        if (!run) return true;
        const { E2 } = stationarityTerms(run);
        return leRoots('T2F(b)', 'epsilon2_inherited', run.inherited.epsilon2, [run.before.epsilon2, E2]).holds;
      },
      500,
    );
    expect(ce[0].x.length).toBeLessThanOrEqual(4);
  });
});

describe('T3F: distance to retraining for a forget set', () => {
  const stat = tally('T3F');
  const arbHad = fc.record({
    kind: fc.constant('hadamard' as const),
    n: fc.integer({ min: 3, max: 6 }),
    flips: fc.integer({ min: 0, max: 2 }),
    seed: fc.nat(2 ** 30),
  });
  const clarkeOne = (mask: number) => ({ mask, kappa4: 4 });
  const arbClarke = arbNet.map((net) => ({ ...net, clarke: true }));
  test.prop([arbHad, arbClarke, fc.noBias(fc.nat(63))], params(100))(
    "||W~ - W*_R||² = (b, 0)ᵀ K⁻¹ (b, 0) when W*_R has W's pattern on R",
    (dp, net, mask) => {
      const run = runOf(dataOf(dp), net, clarkeOne(mask));
      stat('run');
      if (!run) return;
      const checks = claimT3F(run);
      stat('applies', checks !== undefined);
      stat(
        'kinks on R',
        checks !== undefined && run.retained.some((i) => run.theta.pre.some((row) => row[i]!.isZero())),
      );
      stat('distance > 0', checks !== undefined && !checks[0]!.measured.isZero());
      if (checks) expectHolds(checks);
    },
  );

  test('live twin: GA on a forget set is not exact unlearning once points correlate', () => {
    liveTwin(
      'T3F.exact-unlearning',
      'T3F',
      '||W~ - W*_R||² = 0 (GA at κ = 1 equals retraining)',
      fc.tuple(arbHad, arbClarke, fc.noBias(fc.nat(63))),
      ([dp, net, mask]) => {
        const run = runOf(dataOf(dp), net, clarkeOne(mask));
        const checks = run && claimT3F(run);
        return !checks || checks[0]!.measured.isZero();
      },
      300,
    );
  });
});

describe('T2F: sequential requests', () => {
  const stat = tally('T2F sequential');
  test.prop([arbData, arbNet, arbRequest, fc.nat()], params(100))(
    'one step per point equals the batch step when no pair of F flips',
    (dp, net, req, perm) => {
      const run = runOf(dataOf(dp), net, req);
      stat('run');
      stat('KKT polished', run !== undefined);
      if (!run) return;
      const order = orderOf(run.forget, perm);
      const seq = sequentialGA(
        run.ctx,
        run.theta,
        order,
        { kind: 'kappa', kappa: Rational.of(req.kappa4, 4) },
        run.before,
        net.clarke ? 'clarke' : 'autodiff',
      );
      stat('|F| >= 2', order.length >= 2);
      stat('a pair of F flipped', seq.flips.length > 0);
      if (seq.flips.length === 0) expect(sameParams(seq.params, run.ga.params)).toBe(true);
    },
  );

  test('live twin: the order of requests matters once a pair flips', () => {
    const ce = liveTwin(
      'T2F.order-dependence',
      'T2F (sequential)',
      'one GA step per point gives the same model in every order',
      fc.tuple(
        arbIntMatrix({ nMin: 2, nMax: 4, dMax: 3 }).map((g) => g.params),
        arbNet,
      ),
      ([{ x, y }, net]) => {
        // forget the first two points at κ = 1, in both orders
        const run = runOf(intData(x, y), net, { mask: 3, kappa4: 4 });
        if (!run || run.forget.length < 2) return true;
        const step = { kind: 'kappa' as const, kappa: Rational.ONE };
        const grad = net.clarke ? 'clarke' : 'autodiff';
        const [a, b] = run.forget;
        const ab = sequentialGA(run.ctx, run.theta, [a!, b!], step, run.before, grad);
        const ba = sequentialGA(run.ctx, run.theta, [b!, a!], step, run.before, grad);
        return sameParams(ab.params, ba.params);
      },
      500,
    );
    expect(ce[0].x.length).toBeLessThanOrEqual(4);
  });
});
