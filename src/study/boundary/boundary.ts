// `unlearn-kkt boundary CLAIM.json --axis NAME`: where a claim stops holding along one
// quantity. The assume clauses that bound the axis are set aside (axis.ts); samples are
// steered across the range (steeredDraws.ts); a climb minimizes the axis value subject to a
// violation (climbFrontier.ts); the least violation is shrunk at or below its value (shrinkFrontier.ts).
// The budget --runs is split 40% random, 30% bin filling, 30% frontier search; shrinking
// has its own. Everything is a function of (claim, axis, range, runs, seed).
import type { Rational } from '../../exact/rational.ts';
import { InputError } from '../../errors.ts';
import { Rng } from '../../data/random.ts';
import type { Case } from '../../formats/case.ts';
import type { Quantities } from '../../claims/quantities.ts';
import type { Compiled } from '../explore/dsl.ts';
import { type Outcome, type SkipReason, explicitCase } from '../explore/evaluate.ts';
import { type Relu2Trainer, type SampleParams } from '../explore/sample.ts';
import type { Claim } from '../explore/claimFile.ts';
import { type Axis, type Threshold, axisName, defaultRange, makeAxis, searchClaim, splitAssume } from './axis.ts';
import { Evaluator, type Point, counted } from './point.ts';
import { binCounts, fillBins, randomDraws } from './steeredDraws.ts';
import { climbFrontier, lowestPerSize } from './climbFrontier.ts';
import { type Shrunk, shrinkFrontier } from './shrinkFrontier.ts';

const SHRINK_STARTS = 3;

export interface BoundaryOptions {
  axis: string;
  range?: { lo: Rational; hi: Rational };
  runs: number;
  seed: number;
  trainer?: Relu2Trainer;
  progress?: (line: string) => void;
  /** evaluations allowed for each frontier shrink (default 500, from each of up to 3 starts) */
  shrinkBudget?: number;
}

/** A counted sample for the phase diagram. */
export interface AxisPoint {
  value: Rational;
  n: number;
  d: number;
  violates: boolean;
}

export interface Frontier {
  /** the least axis value at which a violation was found (after the shrink's descent) */
  value: Rational;
  case: Case;
  quantities: Quantities;
  /** index into claim.conclude */
  failed: number;
  /** the generator sample behind it (after parameter shrinking) and where the search found it */
  found: SampleParams;
  path: string;
  /** "matrix": shrunk from `found` at its value; "descent": the matrix descent lowered the value */
  shrunk: 'matrix' | 'descent';
}

export interface BoundaryReport {
  claim: Claim;
  axis: Axis;
  setAside: Compiled[];
  threshold?: Threshold;
  runs: number;
  seed: number;
  counts: {
    evaluated: number;
    counted: number;
    outside: number;
    outOfRange: number;
    skipped: Partial<Record<SkipReason, number>>;
    shrinkEvaluations: number;
  };
  bins: { lo: Rational; hi: Rational; samples: number; violations: number }[];
  points: AxisPoint[];
  frontier?: Frontier;
  /** counted samples below the frontier (all hold) and the largest axis value among them */
  holdsBelow: { samples: number; max?: Rational };
}

function axisPoint(p: Point): AxisPoint {
  const q = (p.outcome as Outcome & { q: Quantities }).q;
  return { value: p.value!, n: Number(q.n!.num), d: Number(q.d!.num), violates: p.outcome.kind === 'fails' };
}

export function boundary(claim: Claim, opts: BoundaryOptions): BoundaryReport {
  if (!Number.isSafeInteger(opts.runs) || opts.runs < 1)
    throw new InputError(`--runs must be a positive integer, got ${opts.runs}`);
  const name = axisName(opts.axis);
  const split = splitAssume(claim, name);
  const range = opts.range ?? defaultRange(claim, name, split.threshold);
  const axis = makeAxis(name, range.lo, range.hi);
  const search = searchClaim(claim, axis, split.kept);
  const ev = new Evaluator(search, axis, opts.seed, opts.trainer);
  const root = new Rng(opts.seed);
  const points: Point[] = [];
  const n1 = Math.ceil(opts.runs * 0.4);
  const n2 = Math.floor(opts.runs * 0.3);
  randomDraws(ev, search, root, n1, points, opts.progress);
  fillBins(ev, search, root, n2, points, opts.progress);
  climbFrontier(ev, search, root, opts.runs - n1 - n2, points, opts.progress);

  const counts: BoundaryReport['counts'] = {
    evaluated: points.length,
    counted: 0,
    outside: 0,
    outOfRange: 0,
    skipped: {},
    shrinkEvaluations: 0,
  };
  for (const p of points) {
    const o = p.outcome;
    if (o.kind === 'skip' || p.value === undefined) {
      const reason = o.kind === 'skip' ? o.reason : 'not applicable';
      counts.skipped[reason] = (counts.skipped[reason] ?? 0) + 1;
    } else if (counted(axis, p)) counts.counted++;
    else if (o.kind === 'outside') counts.outside++;
    else counts.outOfRange++;
  }
  const { samples, violations } = binCounts(axis, points);
  const report: BoundaryReport = {
    claim,
    axis,
    setAside: split.setAside,
    threshold: split.threshold,
    runs: opts.runs,
    seed: opts.seed,
    counts,
    bins: axis.bins.map((b, k) => ({ ...b, samples: samples[k]!, violations: violations[k]! })),
    points: points.filter((p) => counted(axis, p)).map(axisPoint),
    holdsBelow: { samples: 0 },
  };

  // Shrink from the least violation of each of the smallest sizes: the descent may carry a
  // larger n below a smaller n's frontier. The least result wins (ties: the first).
  const starts = lowestPerSize(ev, points).slice(0, SHRINK_STARTS);
  if (starts.length) {
    opts.progress?.(`boundary ${name}: shrinking the frontier case`);
    const before = ev.evaluations;
    let s: Shrunk | undefined;
    let least = starts[0]!;
    for (const start of starts) {
      const t = shrinkFrontier(ev, search, start, opts.shrinkBudget);
      if (!s || t.point.value!.lt(s.point.value!)) [s, least] = [t, start];
    }
    counts.shrinkEvaluations = ev.evaluations - before;
    const o = s!.point.outcome;
    if (o.kind !== 'fails') throw new Error('internal: the frontier case does not fail');
    report.frontier = {
      value: s!.point.value!,
      case: explicitCase(ev.ctx, s!.point.explicit!) as Case,
      quantities: o.q,
      failed: o.failed,
      found: s!.found,
      path: least.path,
      shrunk: s!.descended ? 'descent' : 'matrix',
    };
  }
  for (const p of report.points) {
    if (report.frontier && !p.value.lt(report.frontier.value)) continue;
    report.holdsBelow.samples++;
    if (!report.holdsBelow.max || p.value.gt(report.holdsBelow.max)) report.holdsBelow.max = p.value;
  }
  return report;
}
