// The whole pipeline on one case: certificate before (w.r.t. S), the GA step, the
// certificates after (w.r.t. R = S \ F: optimal and inherited), retraining, and the
// D4 decision when thresholds are given.
import { Rational } from '../exact/rational.ts';
import { type ScaledVec, gram } from '../exact/vec.ts';
import { forgetProven } from '../exact/modular.ts';
import type { Dataset } from '../data/dataset.ts';
import type { Model } from '../models/model.ts';
import { Params } from '../models/params.ts';
import { type Certificate, type Context, certify } from '../kkt/certificate.ts';
import { maxMargin } from '../kkt/maxMargin.ts';
import { maxMarginPair } from '../kkt/maxMarginPair.ts';
import { exactPattern, polish } from '../kkt/polish.ts';
import { type GAStep, type Gradient, type Step, gaStep } from './ga.ts';
import { type WorkShape, checkWork, getMaxWork } from './workLimit.ts';
import { type Closeness, closeness } from './retrain.ts';

/** One unlearning case (FORMAT.md case@1 read by formats/case.ts): the pipeline's input. */
export interface Case {
  model: Model;
  data: Dataset;
  /** blocks θ_j (linear: one block); null: the max-margin solution (linear only) */
  theta: ScaledVec[] | null;
  forget: number[];
  step: Step;
  gradient: Gradient;
}

export interface Thresholds {
  epsilon: Rational;
  delta: Rational;
  tau: Rational;
}

export interface Decision {
  successful: boolean;
  /** min ε² over certificates obeying λ_i (q_i - 1) <= δ */
  epsilon2MinUnderDelta: Rational;
  /** D4's conditions that fail, each with its value and the bound it exceeds (empty when successful) */
  failing: { condition: '(S)+(C)' | '(F)'; quantity: string; value: Rational; bound: Rational }[];
}

export interface CaseRun {
  ctx: Context;
  forget: number[];
  retained: number[];
  theta: Params;
  before: Certificate;
  ga: GAStep;
  /** the gradient convention of the GA step (relu2 kinks) */
  gradient: Case['gradient'];
  after: Certificate;
  inherited: Certificate;
  retrained: { params: Params; closeness: Closeness } | null;
  decision?: Decision;
}

export function contextOf(model: Model, data: Dataset): Context {
  return { model, data, G: gram(data.x) };
}

export function retainedOf(n: number, forget: readonly number[]): number[] {
  return Array.from({ length: n }, (_, i) => i).filter((i) => !forget.includes(i));
}

/** D4: is θ~ an (ε, δ, τ)-approximate KKT point w.r.t. R? */
export function decide(
  ctx: Context,
  params: Params,
  retained: readonly number[],
  after: Certificate,
  t: Thresholds,
): Decision {
  const capped = certify(ctx, params, retained, { delta: t.delta });
  const eps2 = t.epsilon.mul(t.epsilon);
  const failing: Decision['failing'] = [];
  // (S) and (C) together: no certificate with λ_i (q_i - 1) <= δ has residual <= ε²
  if (capped.epsilon2.gt(eps2))
    failing.push({ condition: '(S)+(C)', quantity: 'epsilon2_min_under_delta', value: capped.epsilon2, bound: eps2 });
  if (after.tau.gt(t.tau)) failing.push({ condition: '(F)', quantity: 'tau', value: after.tau, bound: t.tau });
  return { successful: failing.length === 0, epsilon2MinUnderDelta: capped.epsilon2, failing };
}

/**
 * T3: θ an exact KKT point of P(S) with no kinks on R; retraining keeps that pattern on R
 * when T1 on R (all of R support vectors) verifies. Otherwise no exact retrained model.
 */
function retrainRelu2(ctx: Context, theta: Params, before: Certificate, retained: readonly number[]) {
  if (ctx.model.kind !== 'relu2') return undefined;
  if (!before.epsilon2.isZero() || !before.tau.isZero() || !before.delta.isZero()) return undefined;
  const pattern = exactPattern(ctx.model, theta);
  if (pattern.some((row) => retained.some((i) => row[i] === 'kink'))) return undefined;
  const res = polish(ctx.data, ctx.model.v, pattern, { points: retained, G: ctx.G });
  return res.ok ? res.kkt : undefined;
}

/** The sizes the work limit reads (workLimit.ts); kinks as counted at θ by the caller. */
export function workShape(c: Case, kinks = 0): WorkShape {
  return { n: c.data.x.length, d: c.data.x[0]!.dim, m: c.model.kind === 'relu2' ? c.model.v.length : 1, kinks };
}

/**
 * `opts.maxWork`: the work limit for this case (default: the per-case limit, workLimit.ts),
 * checked on the sizes first (that bounds the forward pass), then with θ's exact kinks.
 */
export function runCase(
  c: Case,
  thresholds?: Thresholds,
  opts: { maxWork?: number; limitName?: string } = {},
): CaseRun {
  const limit = opts.maxWork ?? getMaxWork();
  checkWork(workShape(c), 'this case', limit, opts.limitName);
  forgetProven(); // the exact layer's memo of nonsingular matrices spans one case
  const given = c.theta ? Params.fromVectors(c.theta, c.data) : undefined;
  if (given && c.model.kind === 'relu2') {
    const kinks = exactPattern(c.model, given).reduce((k, row) => k + row.filter((a) => a === 'kink').length, 0);
    checkWork(workShape(c, kinks), 'this case', limit, opts.limitName);
  }
  const ctx = contextOf(c.model, c.data);
  const n = c.data.x.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const retained = retainedOf(n, c.forget);
  // linear with θ the max-margin: P(S) and P(R) on one factorization when it applies
  const pair = given || c.model.kind !== 'linear' ? null : maxMarginPair(ctx, c.forget);
  const mm = given ? undefined : (pair?.S ?? maxMargin(ctx, all));
  const theta = given ?? mm!.params;
  // Hints skip solves whose answer is known, once verified exactly (O(n²), certify's `hint`):
  // at the max-margin θ its λ is a zero-residual certificate, and after a κ = 1 step the
  // inherited λ_R often still is one. Same certificates either way.
  const before = certify(ctx, theta, all, { hint: mm?.lambda });
  const ga = gaStep(ctx, theta, c.forget, c.step, before, c.gradient);
  const inheritedLambda = retained.map((i) => before.lambda[i]!);
  const after = certify(ctx, ga.params, retained, { hint: inheritedLambda });
  // the optimal certificate kept the inherited λ and has no Clarke choices: it is the inherited one
  const kept = after.kinks.length === 0 && after.lambda.every((l, a) => l.eq(inheritedLambda[a]!));
  const inherited = kept ? { ...after } : certify(ctx, ga.params, retained, { lambda: inheritedLambda });
  let retrained: CaseRun['retrained'] = null;
  if (c.model.kind === 'linear') {
    const star = pair?.R ?? maxMargin(ctx, retained);
    retrained = { params: star.params, closeness: closeness(ga.params, star.params, star.coef) };
  } else {
    const star = retrainRelu2(ctx, theta, before, retained);
    if (star) retrained = { params: star.params, closeness: closeness(ga.params, star.params, star.coef) };
  }
  const decision = thresholds ? decide(ctx, ga.params, retained, after, thresholds) : undefined;
  return {
    ctx,
    forget: c.forget,
    retained,
    theta,
    before,
    ga,
    gradient: c.gradient,
    after,
    inherited,
    retrained,
    decision,
  };
}
