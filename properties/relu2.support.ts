// Shared generators for the relu2 property files: parameters (plain JSON, so shrunk
// counterexamples store as fixtures) mapped to datasets, output weights and trained or
// polished exact KKT points (THEORY.md T1), and pipeline runs on them.
import * as fc from 'fast-check';
import { Rational } from '../src/exact/rational.ts';
import { ScaledVec } from '../src/exact/vec.ts';
import type { Dataset, Label } from '../src/data/dataset.ts';
import { hadamardFlips, rademacher } from '../src/data/generators.ts';
import { type KKTPoint, trainToKKT } from '../src/kkt/polish.ts';
import { balancedPolish } from '../src/kkt/relu2vKKT.ts';
import { gram } from '../src/exact/vec.ts';
import { type CaseRun, runCase } from '../src/unlearn/pipeline.ts';
import type { Gradient } from '../src/unlearn/ga.ts';
import { intData } from './support.ts';

/** Nearly orthogonal ±1 data: rademacher with d = dMul n², or Hadamard rows with flips (0: orthogonal). */
export interface TrainedParams {
  generator: 'rademacher' | 'hadamardFlips';
  n: number;
  d: number;
  flips: number;
  seed: number;
  m: number;
}

function log2Ceil(n: number): number {
  let k = 0;
  while (2 ** k < n) k++;
  return k;
}

export function arbTrainedParams(
  o: {
    nMin?: number;
    nMax?: number;
    mMin?: number;
    mMax?: number;
    dMul?: number;
    hadamard?: boolean;
    rademacher?: boolean;
    flipsMax?: number;
  } = {},
): fc.Arbitrary<TrainedParams> {
  const {
    nMin = 2,
    nMax = 5,
    mMin = 4,
    mMax = 8,
    dMul = 10,
    hadamard = true,
    rademacher: rad = true,
    flipsMax = 3,
  } = o;
  const base = {
    n: fc.integer({ min: nMin, max: nMax }),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    m: fc.integer({ min: mMin, max: mMax }),
  };
  const arbs: fc.Arbitrary<TrainedParams>[] = [];
  if (rad)
    arbs.push(
      fc
        .record(base)
        .map(({ n, seed, m }) => ({ generator: 'rademacher' as const, n, d: dMul * n * n, flips: 0, seed, m })),
    );
  if (hadamard) {
    arbs.push(
      fc.record({ ...base, flips: fc.integer({ min: 0, max: flipsMax }) }).map(({ n, seed, m, flips }) => ({
        generator: 'hadamardFlips' as const,
        n,
        d: 2 ** Math.max(4, log2Ceil(n)),
        flips,
        seed,
        m,
      })),
    );
  }
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

/** Alternating output weights a, -a, a, ... (both signs once m >= 2). */
export function alternating(m: number, a: Rational = Rational.ONE): Rational[] {
  return Array.from({ length: m }, (_, j) => (j % 2 ? a.neg() : a));
}

export function trainedData(p: TrainedParams): Dataset {
  return p.generator === 'rademacher'
    ? rademacher({ n: p.n, d: p.d, seed: p.seed })
    : hadamardFlips({ n: p.n, d: p.d, flips: p.flips, seed: p.seed });
}

const cache = new Map<string, { data: Dataset; v: Rational[]; kkt: KKTPoint | undefined }>();

/** The data, v = ±1 alternating, and the trained-and-polished exact KKT point (memoized). */
export function trained(p: TrainedParams, restarts = 3): { data: Dataset; v: Rational[]; kkt: KKTPoint | undefined } {
  const key = JSON.stringify(p) + restarts;
  let hit = cache.get(key);
  if (!hit) {
    const data = trainedData(p);
    const v = alternating(p.m);
    hit = { data, v, kkt: trainToKKT(data, v, { seed: p.seed, restarts }) };
    cache.set(key, hit);
  }
  return hit;
}

/** Small integer data, units and weights given directly (readable counterexamples). */
export interface SmallParams {
  x: number[][];
  y: Label[];
  /** m rows of d integers: θ itself (any θ), or only its row count m (trained inputs) */
  w: number[][];
  v: number[];
}

/** v_0 > 0 and v_1 < 0 (both classes can be fitted), the rest of either sign. */
export function arbSmallParams(
  o: { nMin?: number; nMax?: number; dMin?: number; dMax?: number; mMin?: number; mMax?: number; max?: number } = {},
): fc.Arbitrary<SmallParams> {
  const { nMin = 2, nMax = 4, dMin = 2, dMax = 4, mMin = 2, mMax = 3, max = 3 } = o;
  const row = fc.array(fc.integer({ min: -max, max }), { minLength: dMax, maxLength: dMax });
  return fc
    .record({
      d: fc.integer({ min: dMin, max: dMax }),
      x: fc.array(row, { minLength: nMin, maxLength: nMax }),
      flip: fc.array(fc.boolean(), { minLength: nMax, maxLength: nMax }),
      w: fc.array(row, { minLength: mMin, maxLength: mMax }),
      v: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: mMax, maxLength: mMax }),
      vSign: fc.array(fc.boolean(), { minLength: mMax, maxLength: mMax }),
    })
    .map(({ d, x, flip, w, v, vSign }) => {
      const xs = x.map((r) => {
        const t: number[] = r.slice(0, d).map((e) => e + 0);
        if (!t.some((e) => e !== 0)) t[0] = 1;
        return t;
      });
      return {
        x: xs,
        y: xs.map((_, i): Label => (flip[i] ? -1 : 1)),
        w: w.map((r) => r.slice(0, d).map((e) => e + 0)),
        v: v.slice(0, w.length).map((t, j) => (j === 0 || (j > 1 && vSign[j]) ? t : -t)),
      };
    });
}

/**
 * The same data with a label column c·y_i appended: a unit fitted to one class is then
 * strictly off on the other, so trained KKT points rarely have kinks (T3's assumption).
 */
export function withLabelColumn(p: SmallParams, c: number): SmallParams {
  return { ...p, x: p.x.map((row, i) => [...row, c * p.y[i]!]), w: p.w.map((row) => [...row, 0]) };
}

export function smallData(p: SmallParams): { data: Dataset; v: Rational[]; theta: ScaledVec[] } {
  return {
    data: intData(p.x, p.y),
    v: p.v.map((t) => Rational.of(t)),
    theta: p.w.map((r) => ScaledVec.fromRationals(r.map((t) => Rational.of(t)))),
  };
}

const smallCache = new Map<string, { data: Dataset; v: Rational[]; kkt: KKTPoint | undefined }>();

/** Small integer data (m = the number of rows of w) trained and polished to an exact KKT point. */
export function trainedSmall(
  p: SmallParams,
  seed: number,
): { data: Dataset; v: Rational[]; kkt: KKTPoint | undefined } {
  const key = JSON.stringify([p.x, p.y, p.v, seed]);
  let hit = smallCache.get(key);
  if (!hit) {
    const { data, v } = smallData(p);
    // 3000 steps suffice at this size; pinned so stored counterexamples replay the same point
    hit = { data, v, kkt: trainToKKT(data, v, { seed, restarts: 2, steps: 3000 }) };
    smallCache.set(key, hit);
  }
  return hit;
}

/** κ on a grid of quarters in [0, 2], shrinking toward 1. */
export const arbKappa = fc.integer({ min: -4, max: 4 }).map((k) => Rational.of(4 + k, 4));

export function relu2Run(
  data: Dataset,
  v: readonly Rational[],
  theta: readonly ScaledVec[],
  r: number,
  kappa: Rational,
  gradient: Gradient,
): CaseRun {
  return runCase({
    model: { kind: 'relu2', v: v.slice() },
    data,
    theta: theta.slice(),
    forget: [r],
    step: { kind: 'kappa', kappa },
    gradient,
  });
}

/** Parameters for a balanced-polish point (V1, V2): Hadamard rows (d = 64, a few flips), m units. */
export const arbBalancedParams = fc.record({
  n: fc.integer({ min: 2, max: 6 }),
  flips: fc.integer({ min: 0, max: 3 }),
  seed: fc.nat(2 ** 30),
  m: fc.integer({ min: 2, max: 5 }),
});

/** The data, its Gram matrix and the balanced-polish point with alternating unit signs (may be undefined). */
export function balancedDraw(p: { n: number; flips: number; seed: number; m: number }) {
  const data = hadamardFlips({ n: p.n, d: 64, flips: p.flips, seed: p.seed });
  const G = gram(data.x);
  const signs = Array.from({ length: p.m }, (_, j) => (j % 2 ? -1 : 1) as 1 | -1);
  return { data, G, b: balancedPolish(data, signs, { seed: p.seed, G }) };
}
