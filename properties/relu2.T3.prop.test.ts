// T3 (THEORY.md section 5): retraining with a fixed pattern. θ an exact KKT point with no
// kinks on R whose pattern on R is also a KKT pattern of P(R) (T1 on R, verified): then
// with κ = 1 and a Clarke-consistent step, ||W~ - W*_R||² = λ_r² kᵀ K_R⁻¹ k exactly.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { certify } from '../src/kkt/certificate.ts';
import { exactPattern } from '../src/kkt/polish.ts';
import { claimT3, clarkeConsistent } from '../src/claims/relu2.ts';
import { claimT3F } from '../src/claims/relu2Sets.ts';
import { signedKernel } from '../src/claims/signedKernel.ts';
import { flipsOf, kinksOf, kinksOnR, quantitiesOf } from '../src/claims/quantities.ts';
import { certificateJson } from '../src/formats/certificateJson.ts';
import { solve } from '../src/exact/pivot.ts';
import { runCase } from '../src/unlearn/pipeline.ts';
import { expectHolds, liveTwin, params, tally } from './support.ts';
import { arbSmallParams, relu2Run, trainedSmall, withLabelColumn } from './relu2.support.ts';

const arbT3 = fc.record({
  small: arbSmallParams({ nMin: 2, nMax: 4, dMax: 3, mMin: 2, mMax: 4 }),
  c: fc.integer({ min: 3, max: 6 }),
  seed: fc.nat(1000),
  rs: fc.nat(3),
});

describe('T3: closeness to retraining with a fixed pattern', () => {
  const stat = tally('T3');
  test.prop([arbT3], params(120))('the exact distance, ||W*_R||² and the cosine', ({ small, c, seed, rs }) => {
    const { data, v, kkt } = trainedSmall(withLabelColumn(small, c), seed);
    stat('run');
    stat('exact KKT input', kkt !== undefined);
    if (!kkt) return;
    const r = rs % data.x.length;
    const run = relu2Run(data, v, kkt.params.vectors(), r, Rational.ONE, 'clarke');
    const R = run.retained;
    const kinkOnR = kkt.pattern.some((row) => R.some((i) => row[i] === 'kink'));
    stat('kinks on R', kinkOnR);
    stat('T3 applies (retrained set)', run.retrained !== null);
    expect(certificateJson(run).retrained === null).toBe(run.retrained === null);
    if (!run.retrained) return;
    expect(kinkOnR).toBe(false);
    stat('flips', flipsOf(run) > 0);
    stat('kink on x_r', kinksOf(run, r) > 0);
    stat('distance > 0', run.retrained.closeness.distance2.sign() > 0);
    // W*_R is an exact KKT point of P(R) with θ's pattern on R (independent of the polisher)
    const star = certify(run.ctx, run.retrained.params, R);
    expect([star.epsilon2, star.tau, star.delta].map(String)).toEqual(['0', '0', '0']);
    const pat = exactPattern(run.ctx.model, run.retrained.params);
    R.forEach((i) => kkt.pattern.forEach((row, j) => expect(pat[j]![i]).toBe(row[i])));
    expect(clarkeConsistent(run)).toBe(true);
    const checks = claimT3(run, Rational.ONE);
    stat('identity checked (all retained margins 1)', checks.length > 0);
    expectHolds(checks);
  });

  const quantityStat = tally('T3 quantities');
  // The claim-file names of T3's ingredients (fixtures/boundaries/T3.distance.json): kinks_R
  // counted here from θ's rows and the data, q0_max from the margins computed here, dist2_t3 against the retrained distance itself.
  test.prop([arbT3, fc.boolean()], params(60))(
    'kinks_R, q0_max and dist2_t3 (claim-file quantities) agree with θ and with retraining',
    ({ small, c, seed }, column) => {
      const { data, v, kkt } = trainedSmall(column ? withLabelColumn(small, c) : small, seed);
      if (!kkt) return;
      const theta = kkt.params.vectors();
      // q_i = y_i Σ_j v_j max(0, <w_j, x_i>)
      const margin = (i: number) =>
        theta
          .reduce((s, w, j) => s.add(v[j]!.mul(w.dot(data.x[i]!).max(Rational.ZERO))), Rational.ZERO)
          .mul(Rational.of(data.y[i]!));
      // every forgotten point in turn (one training), so a point of margin > 1 is forgotten too
      for (let r = 0; r < data.x.length; r++) {
        quantityStat('run');
        const run = relu2Run(data, v, theta, r, Rational.ONE, 'clarke');
        const q = quantitiesOf(run);
        const zeros = theta.reduce((s, w) => s + run.retained.filter((i) => w.dot(data.x[i]!).isZero()).length, 0);
        quantityStat('kinks_R > 0', zeros > 0);
        expect(q.kinks_R!.eq(Rational.of(zeros))).toBe(true);
        const qmax = run.retained.map(margin).reduce((a, b) => a.max(b));
        quantityStat('q0_max > 1', qmax.gt(Rational.ONE));
        expect(q.q0_max!.eq(qmax)).toBe(true);
        expect(q.dist2_t3 === undefined).toBe(run.retrained === null);
        if (!run.retrained) continue;
        // one point: T3's own λ_r² kᵀ K_R⁻¹ k, written out here (dist2_t3 is T3F's formula for any F)
        const R = run.retained;
        const k = signedKernel(run, R, [r]).map((row) => row[0]!);
        const quad = solve(signedKernel(run, R, R), k)!.reduce((s, zi, t) => s.add(zi.mul(k[t]!)), Rational.ZERO);
        expect(q.dist2_t3!.eq(run.before.lambda[r]!.pow(2).mul(quad))).toBe(true);
        if (!qmax.eq(Rational.ONE)) continue;
        quantityStat('dist2_t3 = dist2_retrain checked (distance > 0)', run.retrained.closeness.distance2.sign() > 0);
        expect(q.dist2_t3!.eq(run.retrained.closeness.distance2)).toBe(true);
        expect(q.dist2_retrain!.eq(q.dist2_t3!)).toBe(true);
      }
    },
  );

  const setStat = tally('T3F dist2_t3');
  // dist2_t3 on a forget set (fixtures/boundaries/T3F.set-distance.json): where T3F's assumptions
  // hold (claimT3F applies, its own W*_R) and the pipeline retrained, it is claimT3F's prediction
  // and the retrained distance²; undefined exactly where there is no retraining, e.g. θ doubled
  // (not a KKT point: δ0 > 0) or kinks on R (claimT3F keeps those, dist2_retrain does not).
  const arbT3F = fc.record({
    small: arbSmallParams({ nMin: 3, nMax: 5, dMax: 3, mMin: 2, mMax: 4 }),
    c: fc.integer({ min: 3, max: 6 }),
    seed: fc.nat(1000),
  });
  test.prop([arbT3F, fc.boolean(), fc.nat(5)], params(100))(
    "dist2_t3 on a forget set is T3F's (b,0)ᵀK⁻¹(b,0) = dist2_retrain, undefined without retraining",
    ({ small, c, seed }, column, at) => {
      const { data, v, kkt } = trainedSmall(column ? withLabelColumn(small, c) : small, seed);
      const n = data.x.length;
      if (!kkt || n < 3) return;
      const F = Array.from({ length: n > 3 && at % 2 ? 3 : 2 }, (_, a) => (at + a) % n);
      const theta = kkt.params.vectors();
      const runOf = (th: typeof theta) =>
        runCase({
          model: { kind: 'relu2', v: v.slice() },
          data,
          theta: th,
          forget: F,
          step: { kind: 'kappa', kappa: Rational.ONE },
          gradient: 'clarke',
        });
      const run = runOf(theta);
      const q = quantitiesOf(run);
      setStat('run');
      expect(q.dist2_t3 === undefined).toBe(run.retrained === null);
      const t3f = claimT3F(run);
      setStat('T3F applies', t3f !== undefined);
      setStat('T3F applies, kinks on R (no retraining)', t3f !== undefined && run.retrained === null);
      if (t3f && run.retrained === null) expect(kinksOnR(run)).toBeGreaterThan(0);
      if (t3f && run.retrained) {
        setStat('dist2_t3 = dist2_retrain checked (distance > 0)', run.retrained.closeness.distance2.sign() > 0);
        expect(q.dist2_t3!.eq(t3f[0]!.bound)).toBe(true);
        expect(q.dist2_t3!.eq(run.retrained.closeness.distance2)).toBe(true);
        expect(t3f[0]!.measured.eq(run.retrained.closeness.distance2)).toBe(true);
      }
      const doubled = runOf(theta.map((w) => w.times(Rational.of(2))));
      expect(claimT3F(doubled)).toBeUndefined();
      expect(quantitiesOf(doubled).dist2_t3).toBeUndefined();
    },
  );

  test('live twin: under autodiff a kink of x_r breaks the identity (T3 needs a Clarke-consistent step)', () => {
    const ce = liveTwin(
      'T3.autodiff',
      'T3',
      '||W~ - W*_R||² = λ_r² kᵀ K_R⁻¹ k after an autodiff GA step with κ = 1',
      fc.record({
        small: arbSmallParams({ nMin: 2, nMax: 3, dMax: 3, mMin: 2, mMax: 3 }),
        seed: fc.nat(100),
        rs: fc.nat(2),
      }),
      ({ small, seed, rs }) => {
        const { data, v, kkt } = trainedSmall(small, seed);
        if (!kkt) return true;
        const run = relu2Run(data, v, kkt.params.vectors(), rs % data.x.length, Rational.ONE, 'autodiff');
        if (!run.retrained || !run.retained.every((i) => run.before.margins[i]!.eq(Rational.ONE))) return true;
        const R = run.retained;
        const K = signedKernel(run, R, R);
        const k = signedKernel(run, R, [run.forget[0]!]).map((row) => row[0]!);
        const z = solve(K, k)!;
        const quad = z.reduce((s, zi, t) => s.add(zi.mul(k[t]!)), Rational.ZERO);
        return run.retrained.closeness.distance2.eq(run.before.lambda[run.forget[0]!]!.pow(2).mul(quad));
      },
      500,
    );
    const { data, v, kkt } = trainedSmall(ce.small, ce.seed);
    const run = relu2Run(data, v, kkt!.params.vectors(), ce.rs % data.x.length, Rational.ONE, 'autodiff');
    expect(kinksOf(run, run.forget[0]!)).toBeGreaterThan(0);
    expect(clarkeConsistent(run)).toBe(false);
  });
});
