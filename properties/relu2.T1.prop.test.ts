// T1 (THEORY.md section 5): exact KKT points of the two-layer max-margin problem, from
// float training + exact polishing, and from the closed form on orthogonal data; and the
// output-weight scale rules of section 1 (v = ±a: W_a = W_1/a, λ_a = λ_1/a², δ and ε²
// scale by 1/a², margins and τ unchanged).
import { describe, expect, test as vtest } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { hadamardFlips } from '../src/data/generators.ts';
import { certify } from '../src/kkt/certificate.ts';
import { closedFormKKT, type KKTPoint, polish } from '../src/kkt/polish.ts';
import { contextOf } from '../src/unlearn/pipeline.ts';
import type { Dataset } from '../src/data/dataset.ts';
import type { Activation } from '../src/models/model.ts';
import { liveTwin, params, tally } from './support.ts';
import {
  alternating,
  arbKappa,
  arbSmallParams,
  arbTrainedParams,
  relu2Run,
  smallData,
  trained,
} from './relu2.support.ts';

const all = (data: Dataset) => data.x.map((_, i) => i);
const eqAll = (a: readonly Rational[], b: readonly Rational[]) =>
  a.length === b.length && a.every((t, k) => t.eq(b[k]!));

/** Independent of the polisher: the certificate engine finds ε² = τ = δ = 0 with its λ. */
function expectExactKKT(data: Dataset, v: readonly Rational[], kkt: KKTPoint): void {
  const ctx = contextOf({ kind: 'relu2', v }, data);
  const opt = certify(ctx, kkt.params, all(data));
  expect([opt.epsilon2, opt.tau, opt.delta].map(String)).toEqual(['0', '0', '0']);
  expect(certify(ctx, kkt.params, all(data), { lambda: kkt.lambda }).epsilon2.isZero()).toBe(true);
}

/** RELU2_FULL=1: the prototype's full sizes (n <= 12, m <= 32); default n <= 6, m <= 12 for speed. */
const FULL = process.env.RELU2_FULL === '1';

describe('T1: exact KKT construction', () => {
  const stat = tally(`T1 trainToKKT on ±1 data, d = 10 n², n <= ${FULL ? 12 : 6}`);
  test.prop(
    [arbTrainedParams({ nMin: 2, nMax: FULL ? 12 : 6, mMin: 4, mMax: FULL ? 32 : 12, hadamard: false })],
    params(100),
  )('every point trainToKKT returns is an exact KKT point (certified independently)', (p) => {
    const { data, v, kkt } = trained(p, 1);
    stat('run');
    stat('polished (exact KKT)', kkt !== undefined);
    if (!kkt) return;
    stat('has kinks', kkt.kinks.length > 0);
    stat(
      'a kink with 0 < s < 1',
      kkt.kinks.some((k) => k.s.sign() > 0 && k.s.lt(Rational.ONE)),
    );
    stat(
      'some λ_i = 0',
      kkt.lambda.some((l) => l.isZero()),
    );
    expectExactKKT(data, v, kkt);
  });

  vtest('polish success rate on fixed seeds (n in 3..6, d = 10 n², m = 8) is at least 75%', () => {
    let ok = 0;
    const total = 24;
    for (let s = 0; s < total; s++) {
      if (
        trained(
          { generator: 'rademacher', n: 3 + (s % 4), d: 10 * (3 + (s % 4)) ** 2, flips: 0, seed: 1000 + s, m: 8 },
          1,
        ).kkt
      )
        ok++;
    }
    console.log(`[stats] T1 polish success on fixed seeds: ${ok}/${total}`);
    expect(ok / total).toBeGreaterThanOrEqual(0.75);
  });

  const statOrth = tally('T1 closed form on orthogonal data');
  test.prop(
    [
      fc.record({
        n: fc.integer({ min: 1, max: 6 }),
        log2d: fc.integer({ min: 3, max: 5 }),
        seed: fc.nat(),
        m: fc.integer({ min: 2, max: 8 }),
        a: fc.constantFrom(1, 2, 3),
      }),
    ],
    params(100),
  )('both routes agree on exactly orthogonal data', ({ n, log2d, seed, m, a }) => {
    const data = hadamardFlips({ n, d: 2 ** log2d, flips: 0, seed });
    const v = alternating(m, Rational.of(1, a));
    const closed = closedFormKKT(data, v);
    statOrth('run');
    expectExactKKT(data, v, closed);
    // route 1: the square system on the closed form's pattern gives the same point exactly
    const res = polish(data, v, closed.pattern);
    expect(res.ok).toBe(true);
    if (!res.ok) return;
    expect(eqAll(res.kkt.lambda, closed.lambda)).toBe(true);
    res.kkt.coef.forEach((row, j) => expect(eqAll(row, closed.coef[j]!)).toBe(true));
    res.kkt.s.forEach((row, j) => expect(eqAll(row, closed.s[j]!)).toBe(true));
    // route 2: training lands on it whenever no unit died on its own class at init
    const t = trained({ generator: 'hadamardFlips', n, d: 2 ** log2d, flips: 0, seed, m }, 1);
    if (a === 1 && t.kkt) {
      const same = t.kkt.pattern.every((row, j) => row.every((x, i) => x === closed.pattern[j]![i]));
      statOrth('trained pattern = closed form', same);
      if (same) expect(eqAll(t.kkt.lambda, closed.lambda)).toBe(true);
    }
  });

  test('live twin: the closed-form pattern is no KKT point once data is not orthogonal', () => {
    const ce = liveTwin(
      'T1.verification',
      'T1',
      'polishing the closed-form pattern (same sign on, opposite sign kink) always verifies',
      fc.record({ n: fc.integer({ min: 2, max: 4 }), flips: fc.integer({ min: 0, max: 2 }), seed: fc.nat(1000) }),
      ({ n, flips, seed }) => {
        const data = hadamardFlips({ n, d: 16, flips, seed });
        const v = alternating(2);
        const pattern = v.map((vj) => data.y.map((yi): Activation => (vj.sign() === yi ? 'on' : 'kink')));
        return polish(data, v, pattern).ok;
      },
      200,
    );
    expect(ce.flips).toBeGreaterThan(0);
  });
});

describe('output-weight scale rule (THEORY.md section 1)', () => {
  const arbA = fc.constantFrom(Rational.of(2), Rational.of(1, 2), Rational.of(3), Rational.of(2, 3));
  const scaleStat = tally('scale rule on KKT points');

  test.prop([arbTrainedParams({ nMin: 2, nMax: 4, mMin: 4, mMax: 6 }), arbA], params(100))(
    'KKT points: W_a = W_1/a, λ_a = λ_1/a²',
    (p, a) => {
      const { data, v, kkt } = trained(p);
      if (!kkt) return;
      // polish at v and at a v on the trained pattern: the square system scales exactly, so
      // both verify or neither does. (With many kinks the pattern's KKT point need not be
      // unique: training's may differ from polish's, whose own can fail, e.g. hadamardFlips
      // n = 4, d = 16, flips = 2, seed 857232272, m = 4: λ_1 = -1/56.)
      const one = polish(data, v, kkt.pattern);
      const res = polish(
        data,
        v.map((vj) => vj.mul(a)),
        kkt.pattern,
      );
      expect(res.ok).toBe(one.ok);
      scaleStat('run');
      scaleStat('polish verifies the trained pattern', one.ok);
      if (!res.ok || !one.ok) return;
      expect(
        eqAll(
          res.kkt.lambda,
          one.kkt.lambda.map((l) => l.div(a.pow(2))),
        ),
      ).toBe(true);
      res.kkt.coef.forEach((row, j) =>
        expect(
          eqAll(
            row,
            one.kkt.coef[j]!.map((c) => c.div(a)),
          ),
        ).toBe(true),
      );
      res.kkt.s.forEach((row, j) => expect(eqAll(row, one.kkt.s[j]!)).toBe(true));
    },
  );

  const stat = tally('scale rule on certificates');
  test.prop([arbSmallParams({ nMax: 4, dMax: 4, mMax: 3 }), arbA, arbKappa, fc.nat()], params(100))(
    'certificates of any θ and its GA step: margins, τ unchanged; λ, δ, ε² scale by 1/a²',
    (p, a, kappa, rs) => {
      const { data, v, theta } = smallData(p);
      const r = rs % data.x.length;
      const one = relu2Run(data, v, theta, r, kappa, 'clarke');
      const scaled = relu2Run(
        data,
        v.map((vj) => vj.mul(a)),
        theta.map((t) => t.times(a.inv())),
        r,
        kappa,
        'clarke',
      );
      const a2 = a.pow(2);
      stat('run');
      stat('ε² > 0 before', !one.before.epsilon2.isZero());
      stat('kinks', one.before.kinks.length > 0);
      for (const [c1, ca] of [
        [one.before, scaled.before],
        [one.after, scaled.after],
        [one.inherited, scaled.inherited],
      ] as const) {
        expect(eqAll(ca.margins, c1.margins)).toBe(true);
        expect(ca.tau.eq(c1.tau)).toBe(true);
        expect(ca.epsilon2.eq(c1.epsilon2.div(a2))).toBe(true);
        expect(ca.delta.eq(c1.delta.div(a2))).toBe(true);
        expect(
          eqAll(
            ca.lambda,
            c1.lambda.map((l) => l.div(a2)),
          ),
        ).toBe(true);
      }
    },
  );
});
