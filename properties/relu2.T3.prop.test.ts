// T3 (THEORY.md section 5): retraining with a fixed pattern. θ an exact KKT point with no
// kinks on R whose pattern on R is also a KKT pattern of P(R) (T1 on R, verified): then
// with κ = 1 and a Clarke-consistent step, ||W~ - W*_R||² = λ_r² kᵀ K_R⁻¹ k exactly.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { certify } from '../src/kkt/certificate.ts';
import { exactPattern } from '../src/kkt/polish.ts';
import { claimT3, clarkeConsistent } from '../src/claims/relu2.ts';
import { signedKernel } from '../src/claims/signedKernel.ts';
import { flipsOf, kinksOf, quantitiesOf } from '../src/claims/quantities.ts';
import { certificateJson } from '../src/formats/certificateJson.ts';
import { solve } from '../src/exact/pivot.ts';
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
        if (!run.retrained || !qmax.eq(Rational.ONE)) continue;
        quantityStat('dist2_t3 = dist2_retrain checked (distance > 0)', run.retrained.closeness.distance2.sign() > 0);
        expect(q.dist2_t3!.eq(run.retrained.closeness.distance2)).toBe(true);
        expect(q.dist2_retrain!.eq(q.dist2_t3!)).toBe(true);
      }
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
