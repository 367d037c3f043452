// fast-check arbitraries for datasets (ARCHITECTURE.md "Properties that mean something").
//
// Each arbitrary generates PARAMETERS (n, d, seed, flips, ...) and maps them with
// `.map` (never `.chain`) through a deterministic generator, so shrinking walks toward
// small n, small d, seed 0 and no flips. Values are `Generated` records: the dataset,
// the generator's name and its parameters; fast-check prints them through
// [fc.toStringMethod], e.g. `rademacher(n=3,d=8,seed=12)`, and
// `generate(g.generator, g.params)` rebuilds g.data (except for `intMatrix`, whose
// params are the matrix itself).
import * as fc from 'fast-check';
import { makeDataset, type Dataset, type Label } from './dataset.ts';
import { Rational } from '../exact/rational.ts';
import { geometry, nearlyOrthogonal } from './geometry.ts';
import {
  describeGenerator,
  hadamardFlips,
  rademacher,
  smallInts,
  type HadamardFlipsParams,
  type RademacherParams,
  type SmallIntsParams,
} from './generators.ts';

export interface Generated<P extends object = object> {
  readonly generator: string;
  readonly params: P;
  readonly data: Dataset;
  toString(): string;
  [fc.toStringMethod](): string;
}

export interface IntMatrixParams {
  /** The rows, exactly as printed. */
  x: number[][];
  y: Label[];
}

function generated<P extends object>(generator: string, params: P, data: Dataset, text?: string): Generated<P> {
  const s = text ?? describeGenerator(generator, params);
  return { generator, params, data, toString: () => s, [fc.toStringMethod]: () => s };
}

// Seeds shrink toward 0; 2^31 distinct seeds is plenty for a property run.
const arbSeed = (): fc.Arbitrary<number> => fc.integer({ min: 0, max: 2 ** 31 - 1 });

function checkRange(name: string, lo: number, hi: number): void {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || lo > hi) {
    throw new RangeError(`${name}: need integers min <= max, got [${lo}, ${hi}]`);
  }
}

export interface SizeRange {
  nMin?: number;
  nMax?: number;
  dMin?: number;
  dMax?: number;
}

/** smallInts datasets; defaults n in [2, 6], d in [1, 6], max = 3 (FORMAT.md's claim example). */
export function arbSmallInts(o: SizeRange & { max?: number } = {}): fc.Arbitrary<Generated<SmallIntsParams>> {
  const { nMin = 2, nMax = 6, dMin = 1, dMax = 6, max = 3 } = o;
  checkRange('arbSmallInts n', nMin, nMax);
  checkRange('arbSmallInts d', dMin, dMax);
  return fc
    .record({ n: fc.integer({ min: nMin, max: nMax }), d: fc.integer({ min: dMin, max: dMax }), seed: arbSeed() })
    .map(({ n, d, seed }) => {
      const params: SmallIntsParams = { n, d, seed, max };
      return generated('smallInts', params, smallInts(params));
    });
}

/** Rademacher (+-1) datasets; defaults n in [2, 6], d in [1, 64]. */
export function arbRademacher(o: SizeRange = {}): fc.Arbitrary<Generated<RademacherParams>> {
  const { nMin = 2, nMax = 6, dMin = 1, dMax = 64 } = o;
  checkRange('arbRademacher n', nMin, nMax);
  checkRange('arbRademacher d', dMin, dMax);
  return fc
    .record({ n: fc.integer({ min: nMin, max: nMax }), d: fc.integer({ min: dMin, max: dMax }), seed: arbSeed() })
    .map(({ n, d, seed }) => {
      const params: RademacherParams = { n, d, seed };
      return generated('rademacher', params, rademacher(params));
    });
}

function log2Ceil(n: number): number {
  let k = 0;
  while (2 ** k < n) k++;
  return k;
}

/**
 * hadamardFlips datasets: n in [nMin, nMax], d = 2^max(log2d, ceil(log2 n)) with log2d
 * in [log2dMin, log2dMax] (so n <= d always), flips in [0, min(flipsMax, d)].
 * Defaults: n in [2, 6], d in 2..32, flips in [0, 4].
 */
export function arbHadamard(
  o: { nMin?: number; nMax?: number; log2dMin?: number; log2dMax?: number; flipsMin?: number; flipsMax?: number } = {},
): fc.Arbitrary<Generated<HadamardFlipsParams>> {
  const { nMin = 2, nMax = 6, log2dMin = 1, log2dMax = 5, flipsMin = 0, flipsMax = 4 } = o;
  checkRange('arbHadamard n', nMin, nMax);
  checkRange('arbHadamard log2d', log2dMin, log2dMax);
  checkRange('arbHadamard flips', flipsMin, flipsMax);
  if (nMin < 1 || log2dMin < 0 || log2dMax > 16 || flipsMin < 0)
    throw new RangeError('arbHadamard: parameter out of range');
  return fc
    .record({
      n: fc.integer({ min: nMin, max: nMax }),
      log2d: fc.integer({ min: log2dMin, max: log2dMax }),
      flips: fc.integer({ min: flipsMin, max: flipsMax }),
      seed: arbSeed(),
    })
    .map(({ n, log2d, flips, seed }) => {
      const d = 2 ** Math.max(log2d, log2Ceil(n));
      const params: HadamardFlipsParams = { n, d, flips: Math.min(flips, d), seed };
      return generated('hadamardFlips', params, hadamardFlips(params));
    });
}

/**
 * Data satisfying assumption NO (rho < 1/2), n in [nMin, nMax] (defaults 1..6), from
 * two constructions:
 * - hadamardFlips with 8 (n - 1) flips < d: by hadamardFlipsPhiBound,
 *   rho <= 4 (n - 1) flips / d < 1/2 (proven; NOT filtered, so a broken bound shows);
 *   d = 2^extra times the least power of two >= max(n, 8(n-1)+1), extra in 0..2;
 * - rademacher with d = ceil(16 n^2 ln(n+1)) * (1 + extra), where rho < 1/2 holds with
 *   high probability (phi ~ sqrt(2 d ln n^2)); the rare rest is filtered out.
 */
export function arbNearlyOrthogonal(
  o: { nMin?: number; nMax?: number } = {},
): fc.Arbitrary<Generated<HadamardFlipsParams | RademacherParams>> {
  const { nMin = 1, nMax = 6 } = o;
  checkRange('arbNearlyOrthogonal n', nMin, nMax);
  if (nMin < 1 || nMax > 64) throw new RangeError('arbNearlyOrthogonal: n must lie in [1, 64]');
  const had = fc
    .record({
      n: fc.integer({ min: nMin, max: nMax }),
      extra: fc.integer({ min: 0, max: 2 }),
      f: fc.integer({ min: 0, max: 64 }),
      seed: arbSeed(),
    })
    .map(({ n, extra, f, seed }): Generated<HadamardFlipsParams | RademacherParams> => {
      const d = 2 ** (log2Ceil(Math.max(n, 8 * (n - 1) + 1)) + extra);
      const fmax = n > 1 ? Math.floor((d - 1) / (8 * (n - 1))) : Math.min(d, 2);
      const flips = Math.floor((f * (fmax + 1)) / 65); // in [0, fmax], shrinks to 0
      const params: HadamardFlipsParams = { n, d, flips, seed };
      return generated('hadamardFlips', params, hadamardFlips(params));
    });
  const rad = fc
    .record({ n: fc.integer({ min: nMin, max: nMax }), extra: fc.integer({ min: 0, max: 1 }), seed: arbSeed() })
    .map(({ n, extra, seed }): Generated<HadamardFlipsParams | RademacherParams> => {
      const d = Math.ceil(16 * n * n * Math.log(n + 1)) * (1 + extra);
      const params: RademacherParams = { n, d, seed };
      return generated('rademacher', params, rademacher(params));
    })
    .filter((g) => nearlyOrthogonal(geometry(g.data)));
  return fc.oneof(had, rad);
}

/**
 * Small integer matrices generated directly (readable minimal counterexamples):
 * n rows of d entries in [-max, max], labels +-1 (shrinking toward +1). With
 * `nonzero` (default) an all-zero row gets a 1 in its first entry, so geometry applies.
 * Defaults: n in [1, 4], d in [1, 4], max = 3.
 */
export function arbIntMatrix(
  o: SizeRange & { max?: number; nonzero?: boolean } = {},
): fc.Arbitrary<Generated<IntMatrixParams>> {
  const { nMin = 1, nMax = 4, dMin = 1, dMax = 4, max = 3, nonzero = true } = o;
  checkRange('arbIntMatrix n', nMin, nMax);
  checkRange('arbIntMatrix d', dMin, dMax);
  if (dMin < 1) throw new RangeError('arbIntMatrix: d must be >= 1');
  return fc
    .record({
      d: fc.integer({ min: dMin, max: dMax }),
      rows: fc.array(fc.array(fc.integer({ min: -max, max }), { minLength: dMax, maxLength: dMax }), {
        minLength: nMin,
        maxLength: nMax,
      }),
      flip: fc.array(fc.boolean(), { minLength: nMax, maxLength: nMax }),
    })
    .map(({ d, rows, flip }) => {
      const x = rows.map((r) => {
        const row = r.slice(0, d).map((v) => v + 0); // + 0 turns -0 into 0
        if (nonzero && !row.some((v) => v !== 0)) row[0] = 1;
        return row;
      });
      const y = x.map((_, i): Label => (flip[i] ? -1 : 1));
      const data = makeDataset(
        x.map((row) => row.map((v) => Rational.of(v))),
        y,
      );
      const text = `intMatrix(x=${JSON.stringify(x)},y=${JSON.stringify(y)})`;
      return generated('intMatrix', { x, y }, data, text);
    });
}
