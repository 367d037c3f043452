// V2 (docs/THEORY-extensions.md): one batch GA step on a forget set for the two-layer
// network with a trained output layer. The T2 bounds gain v-block terms: GA also shrinks
// v_j by ν_j = -Σ_F c_r y_r σ(<w_j,x_r>), which moves every retained point that shares a
// unit with a forgotten one. On orthogonal data the bound is tight, and GA at κ = 1 is
// exact only when the forgotten points' units are private.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational, maxOf } from '../src/exact/rational.ts';
import { gram } from '../src/exact/vec.ts';
import { closedFormInstance } from '../src/kkt/relu2vKKT.ts';
import { marginsV } from '../src/models/relu2v.ts';
import { type RunV, claimV2, runV, stationarityTermsV } from '../src/claims/relu2vClaims.ts';
import { expectHolds, forgetSet, liveTwin, params, tally } from './support.ts';
import { arbBalancedParams, balancedDraw } from './relu2.support.ts';

const arbClosedForm = fc
  .record({
    k: fc.integer({ min: 1, max: 2 }),
    n: fc.noBias(fc.integer({ min: 2, max: 8 })),
    labels: fc.noBias(fc.nat(255)),
    shared: fc.boolean(),
  })
  // shared: four positive points first (d = 16), so a group of four exists
  .map((p) =>
    p.shared ? { ...p, k: 2, n: Math.max(p.n, 5), labels: p.labels & ~15 } : { ...p, n: Math.min(p.n, 4 ** p.k) },
  );
const arbRequest = fc.record({
  mask: fc.noBias(fc.nat(255)),
  kappa4: fc.oneof(fc.constant(4), fc.integer({ min: 0, max: 8 })),
  clarke: fc.boolean(),
});
type Request = { mask: number; kappa4: number; clarke: boolean };

function closedRun(p: { k: number; n: number; labels: number; shared: boolean }, req: Request) {
  const inst = closedFormInstance(p);
  const G = gram(inst.data.x);
  const F = forgetSet(p.n, req.mask);
  const run = runV(
    inst.data,
    G,
    inst.kkt.theta,
    F,
    { kind: 'kappa', kappa: Rational.of(req.kappa4, 4) },
    req.clarke ? 'clarke' : 'autodiff',
    inst.kkt.lambda,
  );
  return { ...inst, run };
}

/** Does some unit active on a forgotten point also fire on a retained one? */
function sharedUnit(run: RunV): boolean {
  return run.theta.W.pre.some(
    (row) => run.forget.some((r) => row[r]!.sign() > 0) && run.retained.some((i) => row[i]!.sign() > 0),
  );
}

describe('V2: GA with a trained output layer', () => {
  const statCF = tally('V2 closed form');
  test.prop([arbClosedForm, arbRequest], params(100))(
    'closed form: the bounds hold, ε_inh² = EA2 exactly (tight), private units at κ = 1 give ε = τ = 0',
    (p, req) => {
      const { run } = closedRun(p, req);
      statCF('run');
      const shared = sharedUnit(run);
      statCF('a forgotten point shares a unit', shared);
      expectHolds(claimV2(run));
      // orthogonal data, exact input: nothing flips, the residual is exactly the E' term
      const t = stationarityTermsV(run);
      expect(t.flips).toBe(0);
      expect(run.inherited.epsilon2.eq(t.EA2)).toBe(true);
      if (!shared && req.kappa4 === 4) {
        expect(run.inherited.epsilon2.isZero()).toBe(true);
        expect(run.tauAfter.isZero()).toBe(true);
      }
      statCF('τ > 0 at κ = 1', req.kappa4 === 4 && run.tauAfter.sign() > 0);
    },
  );

  const statBP = tally('V2 balanced polish');
  test.prop([arbBalancedParams, arbRequest], params(100))(
    'nearly orthogonal data, balanced polish (ε0 = balance defect): the bounds hold',
    (p, req) => {
      const { data, G, b } = balancedDraw(p);
      statBP('run');
      statBP('polished', b !== undefined);
      if (!b) return;
      const run = runV(
        data,
        G,
        b.theta,
        forgetSet(p.n, req.mask),
        { kind: 'kappa', kappa: Rational.of(req.kappa4, 4) },
        req.clarke ? 'clarke' : 'autodiff',
        b.lambda,
      );
      statBP('flips', stationarityTermsV(run).flips > 0);
      statBP('τ >= 1/4 at κ = 1', req.kappa4 === 4 && run.tauAfter.ge(Rational.of(1, 4)));
      expectHolds(claimV2(run));
    },
  );

  test('live twin: with a trained output layer, GA at κ = 1 is not exact on orthogonal data', () => {
    liveTwin(
      'V2.orthogonal-exact',
      'V2(b)',
      'Clarke GA at κ = 1 from an exact KKT point on orthogonal data has ε_inh = 0 (true for fixed v: T2(c))',
      fc.tuple(arbClosedForm, fc.noBias(fc.nat(255))),
      ([p, mask]) => closedRun(p, { mask, kappa4: 4, clarke: true }).run.inherited.epsilon2.isZero(),
      200,
    );
  });

  test('mutation: the margin bound needs the v-block terms (the fixed-v bound of T2F fails)', () => {
    liveTwin(
      'V2.fixed-v-pull',
      'V2(a)',
      '|q_i(θ~) - q_i(θ)| <= Σ_j v_j² D_ij (T2F(a) with v frozen)',
      fc.tuple(arbClosedForm, fc.noBias(fc.nat(255))),
      ([p, mask]) => {
        const { run } = closedRun(p, { mask, kappa4: 4, clarke: false });
        // on orthogonal data D_ij = 0 for i != r: the fixed-v bound says no retained margin moves
        const q0 = marginsV(run.theta, run.data.y);
        const q1 = marginsV(run.ga.theta, run.data.y);
        return maxOf(run.retained.map((i) => q1[i]!.sub(q0[i]!).abs())).isZero();
      },
      200,
    );
  });
});
