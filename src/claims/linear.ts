// The linear claims of THEORY.md section 4, one function per claim. Each returns the
// exact checks of its bound on a pipeline run; the engine never restates a bound.
import { Rational, maxOf } from '../exact/rational.ts';
import { solve } from '../exact/pivot.ts';
import type { Geometry } from '../data/geometry.ts';
import { nearlyOrthogonal } from '../data/geometry.ts';
import { marginsOf } from '../models/model.ts';
import type { Context } from '../kkt/certificate.ts';
import type { MaxMargin } from '../kkt/maxMargin.ts';
import { signedGram } from '../kkt/maxMargin.ts';
import type { CaseRun } from '../unlearn/pipeline.ts';
import { type Check, eq, ge, le, leRoots } from './check.ts';
import { pullOf } from './quantities.ts';

const ONE = Rational.ONE;

/** y_i y_k <x_i, x_k> */
function signedInner(ctx: Context, i: number, k: number): Rational {
  const g = ctx.G[i]![k]!;
  return ctx.data.y[i] === ctx.data.y[k] ? g : g.neg();
}

/** L1: under NO every λ_i > 0, every margin is 1, and λ_i lies in its interval. */
export function claimL1(ctx: Context, mm: MaxMargin, geom: Geometry): Check[] {
  const rho = geom.rho;
  const checks: Check[] = [];
  const margins = marginsOf(ctx.model, mm.params.pre, ctx.data.y);
  mm.lambda.forEach((l, i) => {
    const r2 = ctx.G[i]![i]!;
    const hi = ONE.div(ONE.sub(rho).mul(r2));
    const lo = ONE.sub(rho.mul(Rational.of(2))).mul(hi);
    checks.push(
      ge('L1', `lambda[${i}] lower`, l, lo),
      le('L1', `lambda[${i}] upper`, l, hi),
      eq('L1', `margin[${i}]`, margins[i]!, ONE),
    );
  });
  return checks;
}

/** The single forgotten index and κ of a run (L2, L3, L5 are single-point claims). */
function single(run: CaseRun, kappa: Rational) {
  if (run.forget.length !== 1) throw new Error('single-point claim on a forget set');
  const r = run.forget[0]!;
  const lambdaR = run.before.lambda[r]!;
  const lambdaMaxR = maxOf(run.retained.map((i) => run.before.lambda[i]!));
  return { r, lambdaR, lambdaMaxR, kappa };
}

/** L2: one GA step from an exact KKT point with c = κ λ_r (inherited certificate λ_R). */
export function claimL2(run: CaseRun, geom: Geometry, kappa: Rational): Check[] {
  const { ctx } = run;
  const { r, lambdaR, lambdaMaxR } = single(run, kappa);
  const xr2 = ctx.G[r]![r]!;
  const step = kappa.mul(lambdaR);
  const checks: Check[] = [
    eq('L2(a)', 'epsilon2_inherited', run.inherited.epsilon2, ONE.sub(kappa).pow(2).mul(lambdaR.pow(2)).mul(xr2)),
    le('L2(b)', 'tau', run.after.tau, step.mul(geom.phi_r)),
    le('L2(c)', 'delta_inherited', run.inherited.delta, step.mul(geom.phi_r).mul(lambdaMaxR)),
  ];
  const q0 = marginsOf(ctx.model, run.theta.pre, ctx.data.y);
  const q1 = marginsOf(ctx.model, run.ga.params.pre, ctx.data.y);
  run.retained.forEach((i) =>
    checks.push(eq('L2(b)', `margin[${i}]`, q1[i]!, q0[i]!.sub(step.mul(signedInner(ctx, i, r))))),
  );
  checks.push(eq('L2(e)', 'margin_r', q1[r]!, q0[r]!.sub(step.mul(xr2))));
  if (nearlyOrthogonal(geom) && kappa.eq(ONE)) {
    const oneMinusRho = ONE.sub(geom.rho);
    const undecided = geom.rho.div(oneMinusRho);
    checks.push(
      le('L2(d)', 'tau', run.after.tau, geom.phi.div(oneMinusRho.mul(geom.R2min))),
      le('L2(d)', 'delta_inherited', run.inherited.delta, geom.phi.div(oneMinusRho.pow(2).mul(geom.R2min.pow(2)))),
      le('L2(e)', '|margin_r|', q1[r]!.abs(), undecided),
    );
    if (run.retrained) {
      const qR = marginsOf(ctx.model, run.retrained.params.pre, ctx.data.y)[r]!;
      checks.push(le('L2(e)', '|retrained margin_r|', qR.abs(), undecided));
    }
  }
  return checks;
}

/** gᵀ G_R⁻¹ g for the signed Gram of R (THEORY.md L3, L4). */
function quadInverse(ctx: Context, R: readonly number[], g: readonly Rational[]): Rational {
  const a = solve(signedGram(ctx, R), g);
  if (!a) throw new Error('G_R is singular');
  return a.reduce((s, ai, k) => s.add(ai.mul(g[k]!)), Rational.ZERO);
}

/** L3: under NO with κ = 1, the exact distance to retraining, its bound and the cosine. */
export function claimL3(run: CaseRun, geom: Geometry): Check[] {
  const { ctx, retained: R } = run;
  const { r, lambdaR } = single(run, ONE);
  if (!run.retrained) throw new Error('L3 needs the retrained model');
  const { distance2, cos2 } = run.retrained.closeness;
  const g = R.map((i) => signedInner(ctx, i, r));
  const n = ctx.data.x.length;
  const checks = [
    eq('L3', 'distance2', distance2, lambdaR.pow(2).mul(quadInverse(ctx, R, g))),
    le(
      'L3',
      'distance2',
      distance2,
      lambdaR
        .pow(2)
        .mul(Rational.of(n - 1))
        .mul(geom.phi_r.pow(2))
        .div(geom.R2min.sub(Rational.of(n - 2).mul(geom.phi))),
    ),
  ];
  const eta2 = distance2.div(run.retrained.params.normSquared);
  if (eta2.lt(ONE)) checks.push(ge('L3', 'cos2', cos2, ONE.sub(eta2)));
  return checks;
}

/** L4: a forget set with c_r = λ_r: ε = 0 with λ_R, the τ and δ bounds, the exact distance. */
export function claimL4(run: CaseRun): Check[] {
  const { ctx, retained: R } = run;
  const F = run.forget;
  const lam = run.before.lambda;
  // at L4's c_r = λ_r (and V_r = 1 for linear) T2F's pull is Σ_{r∈F} λ_r |⟨x_i,x_r⟩|
  const pull = R.map((i) => pullOf(run)[i]!);
  const checks = [
    eq('L4', 'epsilon2_inherited', run.inherited.epsilon2, Rational.ZERO),
    le('L4', 'tau', run.after.tau, maxOf(pull)),
    le('L4', 'delta_inherited', run.inherited.delta, maxOf(pull.map((p, a) => lam[R[a]!]!.mul(p)))),
  ];
  if (run.retrained) {
    const b = R.map((i) => F.reduce((s, r) => s.add(signedInner(ctx, i, r).mul(lam[r]!)), Rational.ZERO));
    checks.push(eq('L4', 'distance2', run.retrained.closeness.distance2, quadInverse(ctx, R, b)));
  }
  return checks;
}

/** L5: from an (ε0, δ0, τ0)-approximate KKT point, the GA step is successful with the sums. */
export function claimL5(run: CaseRun, geom: Geometry, kappa: Rational): Check[] {
  const { r, lambdaR, lambdaMaxR } = single(run, kappa);
  const step = kappa.mul(lambdaR).mul(geom.phi_r);
  const extra2 = ONE.sub(kappa).pow(2).mul(lambdaR.pow(2)).mul(run.ctx.G[r]![r]!);
  return [
    leRoots('L5', 'epsilon2_inherited', run.inherited.epsilon2, [run.before.epsilon2, extra2]),
    le('L5', 'delta_inherited', run.inherited.delta, run.before.delta.add(step.mul(lambdaMaxR))),
    le('L5', 'tau', run.after.tau, run.before.tau.add(step)),
  ];
}
