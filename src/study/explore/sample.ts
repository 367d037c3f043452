// explore's samples (the search space): generator parameters drawn from a claim's ranges,
// biased to small n and d, the dataset and step they stand for, and the small explicit
// matrices of phase 3c. Plain JSON parameters, so a sample can be printed and replayed.
import { Rational } from '../../exact/rational.ts';
import { ScaledVec } from '../../exact/vec.ts';
import type { Rng } from '../../data/random.ts';
import { type Dataset, type Label, makeDataset } from '../../data/dataset.ts';
import { describeGenerator, gaussianMixtureMean, generate } from '../../data/generators.ts';
import { trainLinear } from '../../float/linearFloat.ts';
import { trainToKKT } from '../../kkt/polish.ts';
import type { Step } from '../../unlearn/ga.ts';
import type { Mixture } from '../../claims/generalization.ts';
import type { Claim, IntRange, QRange } from './claimFile.ts';
import { DEFAULTS } from '../../defaults.ts';

// ---- the relu2 trainer ----

/** θ (m rows) at an exact KKT point of the data, or null when training did not reach one. */
export type Relu2Trainer = (data: Dataset, v: readonly Rational[], seed: number) => ScaledVec[] | null;

/** T1's practical route (src/kkt/polish.ts): float training proposes, exact polishing decides. */
export const polishedTrainer: Relu2Trainer = (data, v, seed) => trainToKKT(data, v, { seed })?.params.vectors() ?? null;

// ---- samples ----

/** One point of the search space: generator parameters plus the run's choices (plain JSON). */
export interface SampleParams {
  generator: string;
  n: number;
  d: number;
  seed: number;
  /** the forgotten index */
  r: number;
  /** claims with `forget`: the further forgotten indices (distinct, none is r; the forget set is r and these) */
  also?: number[];
  /** the step value (kappa or beta), when the claim gives a range */
  step?: string;
  max?: number;
  flips?: number;
  m?: number;
  mu?: string;
  sigma?: string;
  steps?: number;
  /** phase 2 edits that stay in the generator's support: labels toggled (every generator) */
  flip?: number[];
  /** ... and entries set, as [row, column, value] (smallInts: |value| <= max; rademacher: +-1) */
  set?: [number, number, number][];
}

/** An explicit sample (phase 3b/3c): the data itself plus the run's choices. */
export interface Explicit {
  x: Rational[][];
  y: Label[];
  r: number;
  also?: number[];
  step: Rational;
  m?: number;
  steps?: number;
  seed: number;
}

export const GRID = DEFAULTS.exploreGrid;

/** A value on the grid lo + (hi - lo) k / GRID. */
export function onGrid(r: QRange, k: number): Rational {
  return r.lo.add(r.hi.sub(r.lo).mul(Rational.of(k, GRID)));
}

/** Integer in [lo, hi], biased to small cases: a third each from [lo, lo + 1], [lo, 4], [lo, hi]. */
function smallBiased(rng: Rng, r: IntRange): number {
  const tier = rng.nextInt(0, 2);
  const top = tier === 0 ? r.lo + 1 : tier === 1 ? Math.max(r.lo, 4) : r.hi;
  return rng.nextInt(r.lo, Math.min(r.hi, top));
}

function powersOfTwo(r: IntRange, atLeast: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= r.hi; d *= 2) if (d >= r.lo && d >= atLeast) out.push(d);
  return out;
}

export function stepRange(claim: Claim): QRange {
  return claim.step.kind === 'kappa' ? claim.step.kappa : claim.step.beta;
}

/** The forget set of a sample: r, then the further indices of a claim with `forget`. */
export function forgetOf(s: { r: number; also?: number[] }): number[] {
  return [s.r, ...(s.also ?? [])];
}

/** The further indices of a forget set of the claim's size (at most n - 1) that holds r, ascending. */
export function drawAlso(claim: Claim, rng: Rng, n: number, r: number): number[] {
  const f = claim.forget!;
  const k = rng.nextInt(f.lo, Math.min(f.hi, n - 1));
  const others = Array.from({ length: n }, (_, i) => i).filter((i) => i !== r);
  for (let a = 0; a < k - 1; a++) {
    const b = rng.nextInt(a, others.length - 1);
    [others[a], others[b]] = [others[b]!, others[a]!];
  }
  return others.slice(0, k - 1).sort((a, b) => a - b);
}

/** Draw a sample's parameters from the claim's ranges. */
export function sampleParams(claim: Claim, rng: Rng): SampleParams {
  const { data } = claim;
  let n = smallBiased(rng, data.n);
  let d: number;
  if (data.generator === 'hadamardFlips') {
    let ds = powersOfTwo(data.d, n);
    if (ds.length === 0) {
      ds = powersOfTwo(data.d, data.n.lo);
      n = data.n.lo;
    }
    d = ds[rng.nextInt(0, ds.length - 1)]!;
  } else d = smallBiased(rng, data.d);
  const p: SampleParams = {
    generator: data.generator,
    n,
    d,
    seed: rng.nextInt(0, 2 ** 31 - 1),
    r: rng.nextInt(0, n - 1),
  };
  const sr = stepRange(claim);
  if (!sr.lo.eq(sr.hi)) p.step = onGrid(sr, rng.nextInt(0, GRID)).toString();
  if (data.max) p.max = rng.nextInt(data.max.lo, data.max.hi);
  if (data.flips) p.flips = Math.min(rng.nextInt(data.flips.lo, data.flips.hi), d);
  if (data.m) p.m = smallBiased(rng, data.m);
  if (data.mu) p.mu = onGrid(data.mu, rng.nextInt(0, GRID)).toString();
  if (data.sigma) p.sigma = onGrid(data.sigma, rng.nextInt(0, GRID)).toString();
  if (claim.train) p.steps = rng.nextInt(claim.train.steps.lo, claim.train.steps.hi);
  if (claim.forget) p.also = drawAlso(claim, rng, n, p.r);
  return p;
}

function generatorParams(p: SampleParams): Record<string, unknown> {
  const g: Record<string, unknown> = { n: p.n, d: p.d, seed: p.seed };
  for (const k of ['max', 'flips', 'mu', 'sigma'] as const) if (p[k] !== undefined) g[k] = p[k];
  return g;
}

/**
 * The mixture a gaussianMixture sample was drawn from (G1's test error is a population
 * quantity, so phase 2 edits keep it); undefined for other generators and for σ = 0.
 */
export function mixtureOf(p: SampleParams): Mixture | undefined {
  if (p.generator !== 'gaussianMixture' || p.mu === undefined || p.sigma === undefined) return undefined;
  const sigma = Rational.parse(p.sigma, 'gaussianMixture.sigma');
  if (sigma.sign() <= 0) return undefined;
  return { mu: ScaledVec.fromRationals(gaussianMixtureMean(p.mu, p.d)), sigma };
}

/** The sample's dataset: the generator's, with the phase 2 edits applied. */
export function dataOf(p: SampleParams): Dataset {
  const data = generate(p.generator, generatorParams(p));
  const flip = (p.flip ?? []).filter((i) => i < p.n);
  const set = (p.set ?? []).filter(([i, k]) => i < p.n && k < p.d);
  if (!flip.length && !set.length) return data;
  const x = data.x.map((row) => row.toRationals());
  for (const [i, k, v] of set) x[i]![k] = Rational.of(v);
  return makeDataset(
    x,
    data.y.map((yi, i) => (flip.includes(i) ? (-yi as Label) : yi)),
  );
}

export function stepValue(claim: Claim, given: string | Rational | undefined): Rational {
  if (given instanceof Rational) return given;
  return given === undefined ? stepRange(claim).lo : Rational.parse(given);
}

export function stepOf(claim: Claim, value: Rational): Step {
  return claim.step.kind === 'kappa'
    ? { kind: 'kappa', kappa: value }
    : { kind: 'beta', beta: value, loss: claim.step.loss };
}

/** Normalized gradient descent on the exponential loss (lr 1, from 0), read as exact binary64. */
export function trainedTheta(data: Dataset, steps: number): ScaledVec[] | null {
  const X = data.x.map((row) => row.toRationals().map((q) => q.toNumber()));
  const w = trainLinear(X, data.y, { loss: 'exponential', steps, lr: 1, normalized: true });
  if (!w.every(Number.isFinite)) return null;
  return [ScaledVec.fromRationals(w.map((v) => Rational.fromDouble(v)))];
}

export function nonzero(row: readonly Rational[]): boolean {
  return row.some((v) => !v.isZero());
}

/** A small integer matrix (n, d <= 4, entries in [-3, 3]) with the claim's other choices. */
export function smallExplicit(claim: Claim, rng: Rng): Explicit {
  const { data } = claim;
  const least = Math.max(2, (claim.forget?.lo ?? 1) + 1);
  const n = rng.nextInt(least, Math.max(4, least));
  const d = rng.nextInt(1, 4);
  const x = Array.from({ length: n }, () => {
    let row: Rational[];
    do row = Array.from({ length: d }, () => Rational.of(rng.nextInt(-3, 3)));
    while (!nonzero(row));
    return row;
  });
  const y = Array.from({ length: n }, () => rng.nextSign() as Label);
  const sr = stepRange(claim);
  const e: Explicit = {
    x,
    y,
    r: rng.nextInt(0, n - 1),
    step: sr.lo.eq(sr.hi) ? sr.lo : onGrid(sr, rng.nextInt(0, GRID)),
    m: data.m ? rng.nextInt(data.m.lo, Math.min(data.m.hi, Math.max(data.m.lo, 4))) : undefined,
    steps: claim.train ? rng.nextInt(claim.train.steps.lo, claim.train.steps.hi) : undefined,
    seed: rng.nextInt(0, 2 ** 31 - 1),
  };
  if (claim.forget) e.also = drawAlso(claim, rng, n, e.r);
  return e;
}

/** A sample in one line: the generator call and the run's choices. */
export function describeSample(p: SampleParams): string {
  const extra = [
    p.also?.length ? `forget=[${forgetOf(p).join(',')}]` : `r=${p.r}`,
    p.step !== undefined ? `step=${p.step}` : '',
    p.m !== undefined ? `m=${p.m}` : '',
    p.steps !== undefined ? `steps=${p.steps}` : '',
    p.flip?.length ? `labels flipped ${JSON.stringify(p.flip)}` : '',
    p.set?.length ? `entries set ${JSON.stringify(p.set)}` : '',
  ].filter(Boolean);
  return `${describeGenerator(p.generator, generatorParams(p))} ${extra.join(' ')}`;
}
