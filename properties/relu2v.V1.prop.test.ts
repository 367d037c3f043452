// V1 (docs/THEORY-extensions.md): KKT points of the two-layer network with a trained output
// layer are the fixed-v KKT points (T1) that are balanced, ||w_j||² = v_j². Exact points in
// closed form (orthogonal Hadamard data, d = 4^k); near-KKT points by balanced polishing
// (float training proposes, W exact for the proposed v, ε0 = the balance defect).
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { ScaledVec, gram } from '../src/exact/vec.ts';
import { makeDataset } from '../src/data/dataset.ts';
import { Params } from '../src/models/params.ts';
import { hadamardFlips } from '../src/data/generators.ts';
import { closedFormInstance } from '../src/kkt/relu2vKKT.ts';
import { closedFormKKT } from '../src/kkt/polish.ts';
import { marginsV, normSquaredV } from '../src/models/relu2v.ts';
import { certifyV } from '../src/kkt/certificateV.ts';
import { balanceDefect2, claimV1 } from '../src/claims/relu2vClaims.ts';
import { expectHolds, liveTwin, params, tally } from './support.ts';
import { arbBalancedParams, balancedDraw } from './relu2.support.ts';

/** Closed-form instances: d = 4^k, n <= min(d, 8), labels as bits, optional shared groups. */
const arbClosedForm = fc
  .record({
    k: fc.integer({ min: 1, max: 2 }),
    n: fc.noBias(fc.integer({ min: 1, max: 8 })),
    labels: fc.noBias(fc.nat(255)),
    shared: fc.boolean(),
  })
  // shared: four positive points first (d = 16), so a group of four exists
  .map((p) =>
    p.shared ? { ...p, k: 2, n: Math.max(p.n, 5), labels: p.labels & ~15 } : { ...p, n: Math.min(p.n, 4 ** p.k) },
  );

describe('V0: the certificate with a v-block (certificate.ts ExtraBlock)', () => {
  const stat = tally('V0 certificate');
  const small = fc.integer({ min: -3, max: 3 });
  test.prop(
    [
      fc
        .record({
          d: fc.integer({ min: 1, max: 3 }),
          X: fc.array(fc.array(small, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 4 }),
          W: fc.array(fc.array(small, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
          v: fc.array(small, { minLength: 3, maxLength: 3 }),
          lambda: fc.array(fc.nat(4), { minLength: 4, maxLength: 4 }),
          labels: fc.nat(15),
        })
        .map(({ d, X, W, ...rest }) => ({ X: X.map((r) => r.slice(0, d)), W: W.map((r) => r.slice(0, d)), ...rest })),
    ],
    params(200),
  )(
    'with λ fixed and no kink, ε² is Σ_j ||w_j - v_j Σ λ_i y_i s_ji x_i||² + Σ_j (v_j - Σ λ_i y_i σ(<w_j,x_i>))²',
    ({ X, W, v, lambda, labels }) => {
      const data = makeDataset(
        X.map((r) => r.map((t) => Rational.of(t))),
        X.map((_, i) => ((labels >> i) & 1 ? -1 : 1)),
      );
      const theta = {
        W: Params.fromVectors(
          W.map((r) => ScaledVec.fromRationals(r.map((t) => Rational.of(t)))),
          data,
        ),
        v: W.map((_, j) => Rational.of(v[j]!)),
      };
      stat('run');
      const kink = theta.W.pre.some((row) => row.some((p) => p.isZero()));
      stat('kink (skipped)', kink);
      if (kink) return;
      const lam = X.map((_, i) => Rational.of(lambda[i]!, 2));
      const cert = certifyV(
        data,
        gram(data.x),
        theta,
        X.map((_, i) => i),
        { lambda: lam },
      );
      // the residual computed directly, coordinate by coordinate
      let e2 = Rational.ZERO;
      theta.W.vectors().forEach((w, j) => {
        const vj = theta.v[j]!;
        let res = w;
        let resV = vj;
        data.x.forEach((x, i) => {
          const p = theta.W.pre[j]![i]!;
          const ly = lam[i]!.mul(Rational.of(data.y[i]!));
          if (p.sign() > 0) {
            res = res.addScaled(ly.mul(vj).neg(), x);
            resV = resV.sub(ly.mul(p));
          }
        });
        e2 = e2.add(res.norm2()).add(resV.mul(resV));
      });
      expect(cert.epsilon2.eq(e2)).toBe(true);
    },
  );
});

describe('V1: KKT points with a trained output layer', () => {
  const statCF = tally('V1 closed form');
  test.prop([arbClosedForm], params(100))('closed form: exact KKT (ε = τ = δ = 0), balanced, ||θ||² = 2 Σ λ', (p) => {
    const { data, groups, kkt } = closedFormInstance(p);
    const G = gram(data.x);
    statCF('run');
    statCF(
      'a shared group',
      groups.some((g) => g.length > 1),
    );
    expectHolds(claimV1(data, G, kkt.theta, kkt.lambda));
    expect(balanceDefect2(kkt.theta).isZero()).toBe(true);
    const cert = certifyV(
      data,
      G,
      kkt.theta,
      data.x.map((_, i) => i),
    );
    expect(cert.epsilon2.isZero()).toBe(true);
    expect(marginsV(kkt.theta, data.y).every((q) => q.eq(Rational.ONE))).toBe(true);
    const sumLambda = kkt.lambda.reduce((s, l) => s.add(l), Rational.ZERO);
    expect(normSquaredV(kkt.theta).eq(sumLambda.mul(Rational.of(2)))).toBe(true);
  });

  const statBP = tally('V1 balanced polish');
  test.prop([arbBalancedParams], params(100))(
    'balanced polish: W is fixed-v KKT, Σ λ = ||W||², joint ε² <= balance defect, τ = δ = 0',
    (p) => {
      const { data, G, b } = balancedDraw(p);
      statBP('run');
      statBP('polished', b !== undefined);
      if (!b) return;
      statBP('defect below 1e-10', b.defect2.lt(Rational.of(1n, 10n ** 10n)));
      expectHolds(claimV1(data, G, b.theta, b.lambda));
    },
  );

  test('live twin: a fixed-v KKT point is not a KKT point of the joint problem unless balanced', () => {
    liveTwin(
      'V1.unbalanced',
      'V1(a)',
      'the T1 closed form with v = ±1 (one unit per label) has joint ε² = 0',
      fc.record({ k: fc.integer({ min: 0, max: 3 }), n: fc.integer({ min: 1, max: 4 }), seed: fc.nat(1000) }),
      ({ k, n, seed }) => {
        const d = 2 ** k;
        const data = hadamardFlips({ n: Math.min(n, d), d, flips: 0, seed });
        // one unit per label present, so no unit is dead: only balance can fail
        const v = [...new Set(data.y)].map((l) => Rational.of(l));
        const kkt = closedFormKKT(data, v);
        return certifyV(
          data,
          gram(data.x),
          { W: kkt.params, v },
          data.x.map((_, i) => i),
        ).epsilon2.isZero();
      },
      200,
    );
  });
});
