// explore's evaluation of one sample: its case, the pipeline run, the claim's quantities,
// and the outcome (skipped, outside `assume`, holds with a violation score, or fails).
import type { Rational } from '../../exact/rational.ts';
import type { ScaledVec } from '../../exact/vec.ts';
import { BudgetError, NotSeparableError } from '../../errors.ts';
import { WorkLimitError, exploreSampleWork } from '../../unlearn/workLimit.ts';
import { type Dataset, makeDataset } from '../../data/dataset.ts';
import { type Model, alternatingSigns } from '../../models/model.ts';
import { type Case, type CaseRun, runCase } from '../../unlearn/pipeline.ts';
import { type Quantities, quantitiesOf } from '../../claims/quantities.ts';
import type { Mixture } from '../../claims/generalization.ts';
import { DslRuntimeError, NotApplicable, holds, violation } from './dsl.ts';
import type { Claim } from './claimFile.ts';
import {
  type Explicit,
  type Relu2Trainer,
  type SampleParams,
  dataOf,
  forgetOf,
  mixtureOf,
  polishedTrainer,
  stepOf,
  stepValue,
  trainedTheta,
} from './sample.ts';

export type SkipReason = 'not separable' | 'not applicable' | 'no KKT point' | 'bit budget' | 'work limit';

export type Outcome =
  | { kind: 'skip'; reason: SkipReason; detail: string }
  | { kind: 'outside'; q: Quantities }
  | { kind: 'holds'; q: Quantities; score: number }
  | { kind: 'fails'; q: Quantities; failed: number };

// ---- evaluation ----

export interface Ctx {
  claim: Claim;
  trainer: Relu2Trainer;
  evaluations: number;
}

function buildCase(
  ctx: Ctx,
  data: Dataset,
  forget: number[],
  step: Rational,
  m: number | undefined,
  steps: number | undefined,
  seed: number,
): Case | Skip {
  const { claim } = ctx;
  const model: Model = claim.model === 'linear' ? { kind: 'linear' } : { kind: 'relu2', v: alternatingSigns(m ?? 1) };
  let theta: ScaledVec[] | null = null;
  if (model.kind === 'relu2') {
    theta = ctx.trainer(data, model.v, seed);
    if (!theta) return { skip: 'no KKT point', detail: 'training did not reach an exact KKT point' };
  } else if (steps !== undefined) {
    theta = trainedTheta(data, steps);
    if (!theta) return { skip: 'no KKT point', detail: 'gradient descent overflowed' };
  }
  return { model, data, theta, forget, step: stepOf(claim, step), gradient: claim.gradient };
}

export type Skip = { skip: SkipReason; detail: string };

/** A sample's case and, for gaussianMixture samples, the mixture it was drawn from (G1). */
export type SampleCase = Case & { mixture?: Mixture };

/** The claim's names on a run; with λ_r = 0 the step fraction c/λ_r is undefined, so κ is the one chosen. */
export function claimQuantities(c: SampleCase, run: CaseRun): Quantities {
  const q = quantitiesOf(run, c.mixture);
  if (q.kappa === undefined && c.step.kind === 'kappa') q.kappa = c.step.kappa;
  return q;
}

function quantitiesFor(c: SampleCase): Quantities | Skip {
  try {
    return claimQuantities(
      c,
      runCase(c, undefined, { maxWork: exploreSampleWork(), limitName: "explore's per-sample limit" }),
    );
  } catch (e) {
    if (e instanceof WorkLimitError) return { skip: 'work limit', detail: e.message };
    if (e instanceof BudgetError) return { skip: 'bit budget', detail: e.message };
    if (e instanceof NotSeparableError) return { skip: 'not separable', detail: e.message };
    throw e;
  }
}

export function judge(claim: Claim, q: Quantities): Outcome {
  const env = q as Record<string, Rational | undefined>;
  try {
    for (const a of claim.assume) if (!holds(a, env)) return { kind: 'outside', q };
    let score = -Infinity;
    for (let i = 0; i < claim.conclude.length; i++) {
      const c = claim.conclude[i]!;
      if (!holds(c, env)) return { kind: 'fails', q, failed: i };
      score = Math.max(score, violation(c, env));
    }
    return { kind: 'holds', q, score };
  } catch (e) {
    if (e instanceof NotApplicable) return { kind: 'skip', reason: 'not applicable', detail: e.message };
    throw e;
  }
}

function isSkip(v: object): v is Skip {
  return 'skip' in v;
}

export function evaluateCase(ctx: Ctx, c: SampleCase | Skip): Outcome {
  ctx.evaluations++;
  if (isSkip(c)) return { kind: 'skip', reason: c.skip, detail: c.detail };
  const q = quantitiesFor(c);
  if (isSkip(q)) return { kind: 'skip', reason: q.skip, detail: q.detail };
  return judge(ctx.claim, q);
}

/** While shrinking, a candidate on which an expression divides by zero is simply not taken. */
export function evaluateQuietly(ctx: Ctx, c: () => SampleCase | Skip): Outcome {
  try {
    return evaluateCase(ctx, c());
  } catch (e) {
    if (e instanceof DslRuntimeError) return { kind: 'skip', reason: 'not applicable', detail: e.message };
    throw e;
  }
}

/** The case of a sample (null: skipped, e.g. relu2 training found no KKT point). For tests and replays. */
export function caseOfSample(
  claim: Claim,
  p: SampleParams,
  trainer: Relu2Trainer = polishedTrainer,
): SampleCase | null {
  const c = paramsCase({ claim, trainer, evaluations: 0 }, p);
  return isSkip(c) ? null : c;
}

/** An explicit sample has no generator, so no mixture: g1_holds is undefined on it. */
export function paramsCase(ctx: Ctx, p: SampleParams): SampleCase | Skip {
  const data = dataOf(p);
  const c = buildCase(ctx, data, forgetOf(p), stepValue(ctx.claim, p.step), p.m, p.steps, p.seed);
  const mixture = mixtureOf(p);
  return isSkip(c) || !mixture ? c : { ...c, mixture };
}

export function explicitCase(ctx: Ctx, e: Explicit): Case | Skip {
  return buildCase(ctx, makeDataset(e.x, e.y), forgetOf(e), e.step, e.m, e.steps, e.seed);
}
