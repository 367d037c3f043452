// Frontier search: minimize the axis value subject to a violation, a targeted climb as in
// explore's phase 2. While no violation is known, climb the violation score (dsl.ts
// violation(), explore's target) of the in-range samples; once one is, mutate the least
// violation at each n in turn, moving on after a stall.
import type { Rng } from '../../data/random.ts';
import { sampleParams } from '../explore/sample.ts';
import { mutate } from '../explore/search.ts';
import type { Claim } from '../explore/claimFile.ts';
import { type Evaluator, type Point, counted, violates } from './point.ts';

/** The least violation so far (ties: the earliest), or undefined. */
export function lowestViolation(ev: Evaluator, points: readonly Point[]): Point | undefined {
  let best: Point | undefined;
  for (const p of points) if (violates(ev.axis, p) && (!best || p.value!.lt(best.value!))) best = p;
  return best;
}

const POOL = 3;

/**
 * The least violation at each n, smallest n first: the frontier at one n cannot be lowered by
 * climbing from another n's (n = 2 sits at rho = 1 while n = 3 reaches 2/3), so the climb
 * rotates over them.
 */
export function lowestPerSize(ev: Evaluator, points: readonly Point[]): Point[] {
  const byN = new Map<number, Point>();
  for (const p of points) {
    if (!violates(ev.axis, p) || !p.params) continue;
    const old = byN.get(p.params.n);
    if (!old || p.value!.lt(old.value!)) byN.set(p.params.n, p);
  }
  return [...byN.keys()].sort((a, b) => a - b).map((n) => byN.get(n)!);
}
const STALL = 10;

/** Phase 3: `count` mutations; appends every sample to `points`. */
export function climbFrontier(
  ev: Evaluator,
  claim: Claim,
  root: Rng,
  count: number,
  points: Point[],
  progress?: (line: string) => void,
): void {
  const { axis } = ev;
  let stall = 0;
  let pick = 0;
  for (let j = 0; j < count; j++) {
    progress?.(`boundary ${axis.name}: frontier search ${j + 1}/${count}`);
    const rng = root.fork(3).fork(j);
    const low = lowestPerSize(ev, points);
    let anchor: Point | undefined;
    if (low.length) anchor = low[pick % low.length];
    else {
      // no violation yet: explore's target, the in-range sample closest to failing
      const near = points
        .filter((p) => counted(axis, p) && p.params && p.outcome.kind === 'holds')
        .sort((a, b) => score(b) - score(a));
      anchor = near[pick % Math.max(1, Math.min(POOL, near.length))];
    }
    const p = ev.params(anchor ? mutate(claim, anchor.params!, rng) : sampleParams(claim, rng), `3:${j}`);
    points.push(p);
    const improved = violates(axis, p) && (!anchor || !violates(axis, anchor) || p.value!.lt(anchor.value!));
    stall = improved ? 0 : stall + 1;
    if (stall >= STALL) [stall, pick] = [0, pick + 1];
  }
}

function score(p: Point): number {
  return p.outcome.kind === 'holds' ? p.outcome.score : -Infinity;
}
