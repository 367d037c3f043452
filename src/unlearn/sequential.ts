// Sequential unlearning requests (THEORY.md L4 for linear, docs/THEORY-extensions.md T2F
// for relu2): one GA step per forgotten point, in a given order. Each step recomputes the
// gradient (the activation pattern of the current model on x_r); the effective step stays
// c_r = κ λ_r with λ from the ORIGINAL certificate (and, for the Clarke gradient, the
// original Clarke choice at a kink that is still a kink). Keeping λ isolates the one
// thing that can make the order matter: a pair (j, r) whose activation changed before
// r's turn. Without such a flip every step uses the batch step's gradient, so the
// sequence equals the batch step exactly.
import { activation } from '../models/model.ts';
import type { Params } from '../models/params.ts';
import type { Certificate, Context } from '../kkt/certificate.ts';
import { InputError } from '../errors.ts';
import { type Gradient, type Step, gaStep } from './ga.ts';

/** A pair (unit j, forgotten point r) whose activation at r's turn differs from the start. */
export interface SequenceFlip {
  block: number;
  point: number;
  /** position of r in the order */
  step: number;
}

export interface Sequential {
  params: Params;
  flips: SequenceFlip[];
}

/** One GA step per point of `order` (κ steps only: c_r = κ λ_r from `before`). */
export function sequentialGA(
  ctx: Context,
  params: Params,
  order: readonly number[],
  step: Step,
  before: Certificate,
  gradient: Gradient = 'autodiff',
): Sequential {
  if (step.kind !== 'kappa')
    throw new InputError('sequential GA takes a kappa step (c_r = κ λ_r from the original certificate)');
  if (new Set(order).size !== order.length) throw new InputError('sequential GA: the order repeats a point');
  let cur = params;
  const flips: SequenceFlip[] = [];
  order.forEach((r, t) => {
    for (let j = 0; j < cur.blocks; j++) {
      if (activation(ctx.model, cur.pre[j]![r]!) !== activation(ctx.model, params.pre[j]![r]!))
        flips.push({ block: j, point: r, step: t });
    }
    cur = gaStep(ctx, cur, [r], step, before, gradient).params;
  });
  return { params: cur, flips };
}

/** θ and θ' equal exactly (every block vector). */
export function sameParams(a: Params, b: Params): boolean {
  if (a.blocks !== b.blocks) return false;
  const va = a.vectors();
  const vb = b.vectors();
  return va.every((x, j) => x.equals(vb[j]!));
}
