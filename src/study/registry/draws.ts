// The seeded draws the registry's samplers share, one function per concept: nearly orthogonal
// data, small integer data, a step size κ, a gradient rule, a forget set. Each consumes the
// Rng in a fixed order, so the same seed gives the same sample (and `npm run validate` the
// same files) whichever claim draws it.
import { Rational } from '../../exact/rational.ts';
import type { Rng } from '../../data/random.ts';
import { type HadamardFlipsParams, hadamardFlips, smallInts } from '../../data/generators.ts';
import type { Dataset } from '../../data/dataset.ts';
import type { Gradient } from '../../unlearn/ga.ts';

export interface Drawn<P> {
  data: Dataset;
  p: P;
  /** the generator call that rebuilds the data, for counterexamples */
  label: string;
}

function hadamard(p: HadamardFlipsParams): Drawn<HadamardFlipsParams> {
  return { data: hadamardFlips(p), p, label: `hadamardFlips(n=${p.n},d=${p.d},flips=${p.flips},seed=${p.seed})` };
}

/** Nearly orthogonal data of moderate size: d = 32..128, a flip count within NO's budget. */
export function noData(rng: Rng, nMax = 6): Drawn<HadamardFlipsParams> {
  const n = rng.nextInt(2, nMax);
  const d = 2 ** rng.nextInt(5, 7);
  const flips = rng.nextInt(0, Math.max(0, Math.floor((d - 1) / (8 * (n - 1)))));
  return hadamard({ n, d, flips, seed: rng.nextInt(0, 2 ** 30) });
}

/** Hadamard rows in d = 64 with 0..3 flips each, n = 2..nMax: the two-layer claims' data (T1's route). */
export function hadamard64(rng: Rng, nMax: number): Drawn<HadamardFlipsParams> {
  return hadamard({ n: rng.nextInt(2, nMax), d: 64, flips: rng.nextInt(0, 3), seed: rng.nextInt(0, 2 ** 30) });
}

/** Small integer data, separable or not (the claim decides). */
export function intData(rng: Rng): Drawn<{ n: number; d: number; seed: number; max: number }> {
  const p = { n: rng.nextInt(2, 5), d: rng.nextInt(1, 5), seed: rng.nextInt(0, 2 ** 30), max: 3 };
  return { data: smallInts(p), p, label: `smallInts(n=${p.n},d=${p.d},seed=${p.seed})` };
}

/** κ in {0, 1/4, ..., 2}. */
export const kappaOf = (rng: Rng): Rational => Rational.of(rng.nextInt(0, 8), 4);

/** κ = 1 half the time (where L2(d), T2(c) apply), else kappaOf. */
export const kappaOrOne = (rng: Rng): Rational => (rng.nextInt(0, 1) ? Rational.ONE : kappaOf(rng));

/** Clarke-consistent or autodiff, equally likely. */
export const gradientOf = (rng: Rng): Gradient => (rng.nextInt(0, 1) ? 'clarke' : 'autodiff');

/** A proper, nonempty forget set: each point with probability 1/2. */
export function forgetSet(rng: Rng, n: number): number[] {
  const F = [...Array(n).keys()].filter(() => rng.nextInt(0, 1) === 1);
  if (F.length === 0) return [rng.nextInt(0, n - 1)];
  return F.length === n ? F.slice(1) : F;
}
