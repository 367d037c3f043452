// The named quantities of a pipeline run (FORMAT.md claim@1 names, THEORY.md symbols).
// For a forget set, the per-point names (phi_r, lambda_r, V_r, kinks_r) take the worst
// (largest) value over the forgotten points.
import { Rational, maxOf } from '../exact/rational.ts';
import { geometry } from '../data/geometry.ts';
import { activation, blocksOf, outWeight } from '../models/model.ts';
import type { CaseRun } from '../unlearn/pipeline.ts';
import { t3Distance2 } from './signedKernel.ts';
import { type Mixture, g1Verdict } from './generalization.ts';

export const QUANTITY_NAMES = [
  'n',
  'd',
  'm',
  'R2min',
  'R2max',
  'phi',
  'phi_r',
  'rho',
  'kappa',
  'lambda_r',
  'lambda_max',
  'tau',
  'delta',
  'epsilon2',
  'epsilon2_inherited',
  'tau0',
  'delta0',
  'epsilon2_0',
  'q0_max',
  'V_r',
  'flips',
  'kinks_r',
  'kinks_R',
  'step_margin',
  'dist2_retrain',
  'cos2_retrain',
  'dist2_t3',
  'pull_F',
  'g1_holds',
] as const;
export type QuantityName = (typeof QUANTITY_NAMES)[number];

/** Values of a run; undefined where a quantity does not apply (no retraining for relu2 outside T3's setting). */
export type Quantities = Record<QuantityName, Rational | undefined>;

/**
 * Φ_j of T2(b): for each unit j, the retained points whose activation state differs
 * between θ and θ~ (a kink pair whose pre-activation moved counts as flipped).
 */
export function flipSets(run: CaseRun): number[][] {
  const { model } = run.ctx;
  return run.theta.pre.map((row, j) =>
    run.retained.filter((i) => {
      const before = activation(model, row[i]!);
      const after = run.ga.params.pre[j]![i]!;
      return before !== activation(model, after) || (before === 'kink' && !after.isZero());
    }),
  );
}

/** Σ_j |Φ_j|: retained pairs that flipped. */
export function flipsOf(run: CaseRun): number {
  return flipSets(run).reduce((s, f) => s + f.length, 0);
}

/** Units with <w_j, x_r> = 0 exactly, for the forgotten point r (T2(d)). */
export function kinksOf(run: CaseRun, r: number): number {
  if (run.ctx.model.kind === 'linear') return 0;
  return run.theta.pre.filter((row) => row[r]!.isZero()).length;
}

/** Retained pairs (j, i in R) with <w_j, x_i> = 0 exactly at θ: T3 assumes none. */
export function kinksOnR(run: CaseRun): number {
  if (run.ctx.model.kind === 'linear') return 0;
  return run.theta.pre.reduce((s, row) => s + run.retained.filter((i) => row[i]!.isZero()).length, 0);
}

/** V_r = Σ_j v_j² g_jr with the gradient choice the GA step used (T2(a)). */
export function vOf(run: CaseRun, a: number): Rational {
  return run.ga.g[a]!.reduce((s, g, j) => s.add(outWeight(run.ctx.model, j).pow(2).mul(g)), Rational.ZERO);
}

/** pull_i = Σ_{r∈F} c_r V_r |⟨x_r,x_i⟩| for every point i (T2F(a); L4's at c_r = λ_r, V_r = 1). */
export function pullOf(run: CaseRun): Rational[] {
  const V = run.forget.map((_, a) => vOf(run, a));
  return run.ctx.data.x.map((_, i) =>
    run.forget.reduce((s, r, a) => s.add(run.ga.c[a]!.mul(V[a]!).mul(run.ctx.G[r]![i]!.abs())), Rational.ZERO),
  );
}

/**
 * T2(c)'s stability as one number: the largest step reach over activation margin,
 * max_{j, i in R} c_r |v_j| g_jr |<x_r,x_i>| / |<w_j,x_i>|. Below 1, no retained pair can flip
 * (T2(c)); undefined (infinite) when the step reaches a retained pair at a kink, and for
 * linear models (no activations).
 */
export function stepMarginOf(run: CaseRun): Rational | undefined {
  const { ctx, forget, retained } = run;
  if (ctx.model.kind === 'linear') return undefined;
  let worst = Rational.ZERO;
  for (let j = 0; j < run.theta.pre.length; j++) {
    for (const i of retained) {
      let reach = Rational.ZERO;
      forget.forEach(
        (r, a) =>
          (reach = reach.add(
            run.ga.c[a]!.abs().mul(outWeight(ctx.model, j).abs()).mul(run.ga.g[a]![j]!).mul(ctx.G[r]![i]!.abs()),
          )),
      );
      if (reach.isZero()) continue;
      const margin = run.theta.pre[j]![i]!.abs();
      if (margin.isZero()) return undefined;
      worst = worst.max(reach.div(margin));
    }
  }
  return worst;
}

/**
 * G1 as a decided verdict (its test errors are transcendental, so no exact value): 1 when
 * the enclosures prove err(w~) <= bound, 0 when they prove the opposite; undefined without
 * the mixture, without retraining (relu2), when w~ = 0, or when they cannot decide.
 */
export function g1HoldsOf(run: CaseRun, mixture: Mixture | undefined): Rational | undefined {
  if (!mixture || !run.retrained || run.ctx.model.kind !== 'linear') return undefined;
  const v = g1Verdict(run, mixture);
  return v ? (v.holds ? Rational.ONE : Rational.ZERO) : undefined;
}

/** The run's quantities; `mixture`: the gaussianMixture the data was drawn from, if any (G1). */
export function quantitiesOf(run: CaseRun, mixture?: Mixture): Quantities {
  const { ctx, forget, retained, before } = run;
  const n = ctx.data.x.length;
  const geoms = forget.map((r) => geometry(ctx.data, r, ctx.G));
  const g = geoms[0]!;
  const lambdaR = maxOf(forget.map((r) => before.lambda[r]!));
  const kappa =
    run.ga.c.length === 1 && !before.lambda[forget[0]!]!.isZero()
      ? run.ga.c[0]!.div(before.lambda[forget[0]!]!)
      : undefined;
  const Q = (v: number) => Rational.of(v);
  const pull = pullOf(run);
  return {
    n: Q(n),
    d: Q(ctx.data.x[0]!.dim),
    m: Q(blocksOf(ctx.model)),
    R2min: g.R2min,
    R2max: g.R2max,
    phi: g.phi,
    phi_r: maxOf(geoms.map((x) => x.phi_r)),
    rho: g.rho,
    kappa,
    lambda_r: lambdaR,
    lambda_max: maxOf(retained.map((i) => before.lambda[i]!)),
    tau: run.after.tau,
    delta: run.after.delta,
    epsilon2: run.after.epsilon2,
    epsilon2_inherited: run.inherited.epsilon2,
    tau0: before.tau,
    delta0: before.delta,
    epsilon2_0: before.epsilon2,
    q0_max: maxOf(retained.map((i) => before.margins[i]!)),
    V_r: maxOf(forget.map((_, a) => vOf(run, a))),
    flips: Q(flipsOf(run)),
    kinks_r: Q(Math.max(...forget.map((r) => kinksOf(run, r)))),
    kinks_R: Q(kinksOnR(run)),
    step_margin: stepMarginOf(run),
    dist2_retrain: run.retrained?.closeness.distance2,
    cos2_retrain: run.retrained?.closeness.cos2,
    dist2_t3: t3Distance2(run),
    pull_F: maxOf(retained.map((i) => pull[i]!)),
    g1_holds: g1HoldsOf(run, mixture),
  };
}
