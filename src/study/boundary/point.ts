// One evaluated sample of a boundary search: explore's exact pipeline and verdict on the
// search claim (assume without the set-aside clauses), plus the sample's axis value.
import type { Rational } from '../../exact/rational.ts';
import { DslRuntimeError } from '../explore/dsl.ts';
import {
  type Ctx,
  type Outcome,
  evaluateCase,
  evaluateQuietly,
  explicitCase,
  paramsCase,
} from '../explore/evaluate.ts';
import {
  type Explicit,
  type Relu2Trainer,
  type SampleParams,
  describeSample,
  polishedTrainer,
} from '../explore/sample.ts';
import type { Claim } from '../explore/claimFile.ts';
import { type Axis, inRange } from './axis.ts';

export interface Point {
  outcome: Outcome;
  /** the axis value (undefined: skipped, or the axis quantity is undefined on this run) */
  value?: Rational;
  /** the sample: generator parameters (search phases) or an explicit matrix (frontier shrink) */
  params?: SampleParams;
  explicit?: Explicit;
  path: string;
}

/** In range and inside the kept assumption: a sample the frontier speaks about. */
export function counted(axis: Axis, p: Point): boolean {
  return p.value !== undefined && (p.outcome.kind === 'holds' || p.outcome.kind === 'fails') && inRange(axis, p.value);
}

export function violates(axis: Axis, p: Point): boolean {
  return counted(axis, p) && p.outcome.kind === 'fails';
}

export class Evaluator {
  readonly ctx: Ctx;
  constructor(
    readonly claim: Claim,
    readonly axis: Axis,
    readonly seed: number,
    trainer: Relu2Trainer = polishedTrainer,
  ) {
    this.ctx = { claim, trainer, evaluations: 0 };
  }

  get evaluations(): number {
    return this.ctx.evaluations;
  }

  private withValue(o: Outcome, p: Omit<Point, 'outcome' | 'value'>): Point {
    const value = o.kind === 'skip' ? undefined : (o.q[this.axis.name] ?? undefined);
    return { outcome: o, value, ...p };
  }

  /**
   * A generator sample. An expression that divides by zero is not applicable there: with the
   * axis's clauses set aside, samples reach where a bound has no meaning (L2(d)'s 1 - rho at
   * rho = 1); explore, which keeps them, still reports such a file.
   */
  params(p: SampleParams, path: string): Point {
    try {
      return this.withValue(evaluateCase(this.ctx, paramsCase(this.ctx, p)), { params: p, path });
    } catch (e) {
      if (!(e instanceof DslRuntimeError)) throw e;
      return {
        outcome: {
          kind: 'skip',
          reason: 'not applicable',
          detail: `${e.message} at sample ${path} (${describeSample(p)}, seed ${this.seed})`,
        },
        params: p,
        path,
      };
    }
  }

  /** An explicit matrix (shrinking): a candidate an expression cannot evaluate is not taken. */
  explicit(e: Explicit, path: string): Point {
    return this.withValue(
      evaluateQuietly(this.ctx, () => explicitCase(this.ctx, e)),
      { explicit: e, path },
    );
  }
}
