// Steered sampling along the axis: random draws from the search claim, then draws that fill
// the emptiest bins, each a mutation (explore's phase 2 moves: n, d, seed, r, step, flips,
// entry range, a label, an entry) of the sample whose axis value lies nearest that bin.
// Floats only pick which sample to mutate; every verdict is exact.
import { Rng } from '../../data/random.ts';
import { sampleParams } from '../explore/sample.ts';
import { mutate } from '../explore/search.ts';
import type { Claim } from '../explore/claimFile.ts';
import { type Axis, binOf } from './axis.ts';
import { type Evaluator, type Point, counted } from './point.ts';

/** Samples per bin that count (in range, inside the kept assumption). */
export function binCounts(axis: Axis, points: readonly Point[]): { samples: number[]; violations: number[] } {
  const samples = axis.bins.map(() => 0);
  const violations = axis.bins.map(() => 0);
  for (const p of points) {
    if (!counted(axis, p)) continue;
    const k = binOf(axis, p.value!);
    samples[k]!++;
    if (p.outcome.kind === 'fails') violations[k]!++;
  }
  return { samples, violations };
}

/** Phase 1: `count` draws; draw k is sampleParams(claim, new Rng(seed).fork(1).fork(k)). */
export function randomDraws(
  ev: Evaluator,
  claim: Claim,
  root: Rng,
  count: number,
  points: Point[],
  progress?: (line: string) => void,
): void {
  for (let k = 0; k < count; k++) {
    progress?.(`boundary ${ev.axis.name}: random ${k + 1}/${count}`);
    points.push(ev.params(sampleParams(claim, root.fork(1).fork(k)), `1:${k}`));
  }
}

/** Phase 2: `count` draws aimed at the bin with the fewest samples (ties: the lowest bin). */
export function fillBins(
  ev: Evaluator,
  claim: Claim,
  root: Rng,
  count: number,
  points: Point[],
  progress?: (line: string) => void,
): void {
  const { axis } = ev;
  const { samples } = binCounts(axis, points);
  for (let j = 0; j < count; j++) {
    progress?.(`boundary ${axis.name}: filling bins ${j + 1}/${count}`);
    const rng = root.fork(2).fork(j);
    const target = samples.indexOf(Math.min(...samples));
    const bin = axis.bins[target]!;
    const centre = bin.lo.add(bin.hi).toNumber() / 2;
    let anchor: Point | undefined;
    let best = Infinity;
    for (const p of points) {
      if (p.value === undefined || !p.params || p.outcome.kind === 'skip') continue;
      const gap = Math.abs(p.value.toNumber() - centre);
      if (gap < best) [anchor, best] = [p, gap];
    }
    // a fresh draw now and then, and whenever nothing has an axis value yet
    const params = anchor && rng.nextInt(0, 3) > 0 ? mutate(claim, anchor.params!, rng) : sampleParams(claim, rng);
    const p = ev.params(params, `2:${j}`);
    points.push(p);
    if (counted(axis, p)) samples[binOf(axis, p.value!)]!++;
  }
}
