// The boundary explorer (FORMAT.md `unlearn-kkt explore`): search data for a sample that
// satisfies a claim's `assume` and violates its `conclude`, then shrink it.
//
//   phase 1  random search: generator parameters drawn from the claim's ranges (biased to
//            small n and d, where readable counterexamples live);
//   phase 2  targeted search: hill-climb the violation score (dsl.ts violation(), the
//            scale-free slack of the closest-to-failing conclusion) by mutating the best
//            parameters, like Hypothesis' target();
//   phase 3  shrink: (a) the generator parameters (smaller n, d, flips, seed, simpler step),
//            then (b) the explicit matrix (drop rows and columns, entries toward 0, labels
//            toward +1), then (c) if the result is larger than 4 x 4, a search among small
//            integer matrices, so a counterexample with n <= 4 and d <= 4 is found whenever
//            one is within reach.
// (b) and (c) leave the claim's n and d ranges (n >= 2, d >= 1 only): a claim that needs a
// size states it in `assume` ("d >= 8"), where it binds every sample.
// Phases 1 + 2 share the --runs budget; shrinking has its own fixed budget. Everything is
// a function of (claim, runs, seed): the same seed gives the same counterexample.
//
// The claim's domain is "data satisfying `assume`"; the generator and its ranges are the
// search distribution. So the verdict always rests on a sample from the generator
// (reported as `found`), while the shrunk case (b, c) may leave the generator's support
// (e.g. a 0 entry in Rademacher data). Both satisfy assume and violate conclude; both are
// verified exactly.
import { Rational } from '../exact/rational.ts';
import { ScaledVec } from '../exact/vec.ts';
import { BudgetError, InputError } from '../errors.ts';
import { Rng } from '../data/random.ts';
import { type Dataset, type Label, makeDataset } from '../data/dataset.ts';
import { describeGenerator, generate } from '../data/generators.ts';
import type { Model } from '../models/model.ts';
import { type Case, caseToJson } from '../guard/case.ts';
import { trainLinear } from '../float/linear.ts';
import { trainToKKT } from '../kkt/polish.ts';
import { type CaseRun, runCase } from '../unlearn/run.ts';
import type { Step } from '../unlearn/ga.ts';
import { type Quantities, QUANTITY_NAMES, quantitiesOf } from './quantities.ts';
import { type Compiled, DslRuntimeError, NotApplicable, failingComparison, holds, namesOf, violation } from './dsl.ts';
import type { Claim, IntRange, QRange } from './claimFile.ts';

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
  step: Rational;
  m?: number;
  steps?: number;
  seed: number;
}

export type SkipReason = 'not separable' | 'not applicable' | 'no KKT point' | 'bit budget';

export type Outcome =
  | { kind: 'skip'; reason: SkipReason; detail: string }
  | { kind: 'outside'; q: Quantities }
  | { kind: 'holds'; q: Quantities; score: number }
  | { kind: 'fails'; q: Quantities; failed: number };

const GRID = 16;

/** A value on the grid lo + (hi - lo) k / GRID. */
function onGrid(r: QRange, k: number): Rational {
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

function stepRange(claim: Claim): QRange {
  return claim.step.kind === 'kappa' ? claim.step.kappa : claim.step.beta;
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
  const p: SampleParams = { generator: data.generator, n, d, seed: rng.nextInt(0, 2 ** 31 - 1), r: rng.nextInt(0, n - 1) };
  const sr = stepRange(claim);
  if (!sr.lo.eq(sr.hi)) p.step = onGrid(sr, rng.nextInt(0, GRID)).toString();
  if (data.max) p.max = rng.nextInt(data.max.lo, data.max.hi);
  if (data.flips) p.flips = Math.min(rng.nextInt(data.flips.lo, data.flips.hi), d);
  if (data.m) p.m = smallBiased(rng, data.m);
  if (data.mu) p.mu = onGrid(data.mu, rng.nextInt(0, GRID)).toString();
  if (data.sigma) p.sigma = onGrid(data.sigma, rng.nextInt(0, GRID)).toString();
  if (claim.train) p.steps = rng.nextInt(claim.train.steps.lo, claim.train.steps.hi);
  return p;
}

function generatorParams(p: SampleParams): Record<string, unknown> {
  const g: Record<string, unknown> = { n: p.n, d: p.d, seed: p.seed };
  for (const k of ['max', 'flips', 'mu', 'sigma'] as const) if (p[k] !== undefined) g[k] = p[k];
  return g;
}

/** The sample's dataset: the generator's, with the phase 2 edits applied. */
function dataOf(p: SampleParams): Dataset {
  const data = generate(p.generator, generatorParams(p));
  const flip = (p.flip ?? []).filter((i) => i < p.n);
  const set = (p.set ?? []).filter(([i, k]) => i < p.n && k < p.d);
  if (!flip.length && !set.length) return data;
  const x = data.x.map((row) => row.toRationals());
  for (const [i, k, v] of set) x[i]![k] = Rational.of(v);
  return makeDataset(x, data.y.map((yi, i) => (flip.includes(i) ? (-yi as Label) : yi)));
}

function stepValue(claim: Claim, given: string | Rational | undefined): Rational {
  if (given instanceof Rational) return given;
  return given === undefined ? stepRange(claim).lo : Rational.parse(given);
}

function stepOf(claim: Claim, value: Rational): Step {
  return claim.step.kind === 'kappa' ? { kind: 'kappa', kappa: value } : { kind: 'beta', beta: value, loss: claim.step.loss };
}

/** v_j = +1 for even j, -1 for odd j (both signs, as T1's closed form needs). */
export function outputWeights(m: number): Rational[] {
  return Array.from({ length: m }, (_, j) => (j % 2 === 0 ? Rational.ONE : Rational.ONE.neg()));
}

/** Normalized gradient descent on the exponential loss (lr 1, from 0), read as exact binary64. */
function trainedTheta(data: Dataset, steps: number): ScaledVec[] | null {
  const X = data.x.map((row) => row.toRationals().map((q) => q.toNumber()));
  const w = trainLinear(X, data.y, { loss: 'exponential', steps, lr: 1, normalized: true });
  if (!w.every(Number.isFinite)) return null;
  return [ScaledVec.fromRationals(w.map((v) => Rational.fromDouble(v)))];
}

// ---- evaluation ----

export interface Ctx {
  claim: Claim;
  trainer: Relu2Trainer;
  evaluations: number;
}

function buildCase(ctx: Ctx, data: Dataset, r: number, step: Rational, m: number | undefined, steps: number | undefined, seed: number): Case | Skip {
  const { claim } = ctx;
  const model: Model = claim.model === 'linear' ? { kind: 'linear' } : { kind: 'relu2', v: outputWeights(m ?? 1) };
  let theta: ScaledVec[] | null = null;
  if (model.kind === 'relu2') {
    theta = ctx.trainer(data, model.v, seed);
    if (!theta) return { skip: 'no KKT point', detail: 'training did not reach an exact KKT point' };
  } else if (steps !== undefined) {
    theta = trainedTheta(data, steps);
    if (!theta) return { skip: 'no KKT point', detail: 'gradient descent overflowed' };
  }
  return { model, data, theta, forget: [r], step: stepOf(claim, step), gradient: claim.gradient };
}

type Skip = { skip: SkipReason; detail: string };

/** The claim's names on a run; with λ_r = 0 the step fraction c/λ_r is undefined, so κ is the one chosen. */
export function claimQuantities(c: Case, run: CaseRun): Quantities {
  const q = quantitiesOf(run);
  if (q.kappa === undefined && c.step.kind === 'kappa') q.kappa = c.step.kappa;
  return q;
}

function quantitiesFor(c: Case): Quantities | Skip {
  try {
    return claimQuantities(c, runCase(c));
  } catch (e) {
    if (e instanceof BudgetError) return { skip: 'bit budget', detail: e.message };
    if (e instanceof InputError) return { skip: 'not separable', detail: e.message };
    throw e;
  }
}

function judge(claim: Claim, q: Quantities): Outcome {
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

export function evaluateCase(ctx: Ctx, c: Case | Skip): Outcome {
  ctx.evaluations++;
  if (isSkip(c)) return { kind: 'skip', reason: c.skip, detail: c.detail };
  const q = quantitiesFor(c);
  if (isSkip(q)) return { kind: 'skip', reason: q.skip, detail: q.detail };
  return judge(ctx.claim, q);
}

/** While shrinking, a candidate on which an expression divides by zero is simply not taken. */
export function evaluateQuietly(ctx: Ctx, c: () => Case | Skip): Outcome {
  try {
    return evaluateCase(ctx, c());
  } catch (e) {
    if (e instanceof DslRuntimeError) return { kind: 'skip', reason: 'not applicable', detail: e.message };
    throw e;
  }
}

/** The case of a sample (null: skipped, e.g. relu2 training found no KKT point). For tests and replays. */
export function caseOfSample(claim: Claim, p: SampleParams, trainer: Relu2Trainer = polishedTrainer): Case | null {
  const c = paramsCase({ claim, trainer, evaluations: 0 }, p);
  return isSkip(c) ? null : c;
}

export function paramsCase(ctx: Ctx, p: SampleParams): Case | Skip {
  const data = dataOf(p);
  return buildCase(ctx, data, p.r, stepValue(ctx.claim, p.step), p.m, p.steps, p.seed);
}

export function explicitCase(ctx: Ctx, e: Explicit): Case | Skip {
  return buildCase(ctx, makeDataset(e.x, e.y), e.r, e.step, e.m, e.steps, e.seed);
}

// ---- phase 2: mutations ----

export function mutate(claim: Claim, p: SampleParams, rng: Rng): SampleParams {
  const q: SampleParams = { ...p };
  const { data } = claim;
  const moves: (() => void)[] = [() => (q.seed = rng.nextInt(0, 2 ** 31 - 1)), () => (q.r = rng.nextInt(0, q.n - 1))];
  const had = data.generator === 'hadamardFlips';
  if (q.n > data.n.lo) moves.push(() => ((q.n -= 1), (q.r = Math.min(q.r, q.n - 1))));
  if (q.n < data.n.hi && (!had || q.n < q.d)) moves.push(() => (q.n += 1));
  if (had) {
    if (q.d / 2 >= Math.max(data.d.lo, q.n)) moves.push(() => ((q.d /= 2), (q.flips = Math.min(q.flips ?? 0, q.d))));
    if (q.d * 2 <= data.d.hi) moves.push(() => (q.d *= 2));
  } else {
    if (q.d > data.d.lo) moves.push(() => (q.d -= 1));
    if (q.d < data.d.hi) moves.push(() => (q.d += 1));
  }
  const sr = stepRange(claim);
  if (q.step !== undefined) {
    moves.push(() => {
      const cur = Rational.parse(q.step);
      const delta = sr.hi.sub(sr.lo).mul(Rational.of(rng.nextSign(), GRID));
      q.step = cur.add(delta).max(sr.lo).min(sr.hi).toString();
    });
  }
  const nudge = (key: 'max' | 'flips' | 'm' | 'steps', r: IntRange | undefined, cap = Infinity) => {
    if (r && r.lo < r.hi) moves.push(() => (q[key] = Math.min(cap, Math.max(r.lo, Math.min(r.hi, (q[key] ?? r.lo) + rng.nextSign() * (key === 'steps' ? Math.max(1, Math.floor((q[key] ?? 1) / 4)) : 1))))));
  };
  nudge('max', data.max);
  nudge('flips', data.flips, q.d);
  nudge('m', data.m);
  nudge('steps', claim.train?.steps);
  for (const key of ['mu', 'sigma'] as const) {
    const r = data[key];
    if (r && !r.lo.eq(r.hi)) moves.push(() => (q[key] = onGrid(r, rng.nextInt(0, GRID)).toString()));
  }
  // Edits inside the generator's support: a label (any generator), an entry (integer generators).
  moves.push(() => {
    const i = rng.nextInt(0, q.n - 1);
    const flip = new Set(q.flip ?? []);
    if (!flip.delete(i)) flip.add(i);
    q.flip = [...flip].sort((a, b) => a - b);
  });
  if (data.generator === 'smallInts' || data.generator === 'rademacher') {
    const edit = () => {
      const i = rng.nextInt(0, q.n - 1);
      const k = rng.nextInt(0, q.d - 1);
      const row = dataOf(q).x[i]!.toRationals();
      const max = q.max ?? 3;
      const cur = Number(row[k]!.num);
      // rademacher: a sign flip; smallInts: a random value or one step toward 0
      const v = data.generator === 'rademacher' ? -cur : rng.nextInt(0, 1) ? rng.nextInt(-max, max) : cur - Math.sign(cur);
      row[k] = Rational.of(v);
      if (!nonzero(row)) return;
      q.set = [...(q.set ?? []).filter(([a, b]) => a !== i || b !== k), [i, k, v]];
    };
    moves.push(edit);
  }
  moves[rng.nextInt(0, moves.length - 1)]!();
  if (q.flips !== undefined) q.flips = Math.min(q.flips, q.d);
  return q;
}

// ---- phase 3: shrinking ----

/** Simpler step values first: 1 (the proper scaling) when allowed, then small denominators. */
function simplerSteps(r: QRange, cur: Rational): Rational[] {
  const cands = [Rational.ONE, Rational.ZERO, r.lo, r.hi, ...Array.from({ length: GRID + 1 }, (_, k) => onGrid(r, k))];
  const rank = (v: Rational) => [v.eq(Rational.ONE) ? 0 : 1, Number(v.den), v.abs().toNumber()];
  const less = (a: Rational, b: Rational) => {
    const [x, y] = [rank(a), rank(b)];
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]!;
    return false;
  };
  const seen = new Set<string>();
  return cands.filter((v) => v.ge(r.lo) && v.le(r.hi) && less(v, cur) && !seen.has(v.toString()) && seen.add(v.toString()));
}

export function paramShrinks(claim: Claim, p: SampleParams): SampleParams[] {
  const out: SampleParams[] = [];
  const { data } = claim;
  const had = data.generator === 'hadamardFlips';
  if (p.n > data.n.lo) {
    out.push({ ...p, n: p.n - 1, r: Math.min(p.r, p.n - 2) });
    if (p.r === p.n - 1) out.push({ ...p, n: p.n - 1, r: 0 });
  }
  if (had) {
    if (p.d / 2 >= Math.max(data.d.lo, p.n)) out.push({ ...p, d: p.d / 2, flips: Math.min(p.flips ?? 0, p.d / 2) });
  } else if (p.d > data.d.lo) out.push({ ...p, d: p.d - 1 });
  for (const key of ['flips', 'max', 'm'] as const) {
    const r = data[key];
    if (r && p[key] !== undefined && p[key]! > r.lo) out.push({ ...p, [key]: r.lo }, { ...p, [key]: p[key]! - 1 });
  }
  if (claim.train && p.steps !== undefined && p.steps > claim.train.steps.lo) {
    out.push({ ...p, steps: claim.train.steps.lo }, { ...p, steps: Math.max(claim.train.steps.lo, Math.floor(p.steps / 2)) });
  }
  if (p.step !== undefined) for (const v of simplerSteps(stepRange(claim), Rational.parse(p.step))) out.push({ ...p, step: v.toString() });
  if (p.flip?.length || p.set?.length) out.push({ ...p, flip: undefined, set: undefined });
  p.flip?.forEach((_, a) => out.push({ ...p, flip: p.flip!.filter((__, b) => b !== a) }));
  p.set?.forEach((_, a) => out.push({ ...p, set: p.set!.filter((__, b) => b !== a) }));
  if (p.r > 0) out.push({ ...p, r: 0 });
  for (const s of [0, 1, 2, 3]) if (s < p.seed) out.push({ ...p, seed: s });
  return out;
}

export function explicitOf(claim: Claim, p: SampleParams): Explicit {
  const data = dataOf(p);
  return {
    x: data.x.map((row) => row.toRationals()),
    y: data.y.slice(),
    r: p.r,
    step: stepValue(claim, p.step),
    m: p.m,
    steps: p.steps,
    seed: p.seed,
  };
}

function nonzero(row: readonly Rational[]): boolean {
  return row.some((v) => !v.isZero());
}

export function explicitShrinks(claim: Claim, e: Explicit): Explicit[] {
  const out: Explicit[] = [];
  const n = e.x.length;
  const d = e.x[0]!.length;
  const { data } = claim;
  // Big cuts first (delta debugging): all zero columns, then halves of the columns and rows.
  const keepCols = (keep: (k: number) => boolean) => {
    const x = e.x.map((row) => row.filter((_, k) => keep(k)));
    if (x[0]!.length >= 1 && x[0]!.length < d && x.every(nonzero)) out.push({ ...e, x });
  };
  keepCols((k) => e.x.some((row) => !row[k]!.isZero()));
  if (d >= 4) {
    keepCols((k) => k < Math.ceil(d / 2));
    keepCols((k) => k >= Math.floor(d / 2));
  }
  if (n >= 4) {
    const others = e.x.map((_, i) => i).filter((i) => i !== e.r);
    for (const half of [others.slice(0, others.length >> 1), others.slice(others.length >> 1)]) {
      const keep = (i: number) => i === e.r || !half.includes(i);
      const idx = e.x.map((_, i) => i).filter(keep);
      out.push({ ...e, x: idx.map((i) => e.x[i]!), y: idx.map((i) => e.y[i]!), r: idx.indexOf(e.r) });
    }
  }
  if (n > 2) {
    for (let i = n - 1; i >= 0; i--) {
      if (i === e.r) continue;
      out.push({ ...e, x: e.x.filter((_, k) => k !== i), y: e.y.filter((_, k) => k !== i), r: e.r > i ? e.r - 1 : e.r });
    }
  }
  if (d > 1) {
    for (let k = d - 1; k >= 0; k--) {
      const x = e.x.map((row) => row.filter((_, c) => c !== k));
      if (x.every(nonzero)) out.push({ ...e, x });
    }
  }
  // Negating every label is a symmetry (θ -> -θ): prefer more +1 labels.
  if (2 * e.y.filter((yi) => yi === -1).length > n) out.push({ ...e, y: e.y.map((yi) => -yi as Label) });
  if (e.x.some((row) => row.some((v) => v.den !== 1n))) out.push({ ...e, x: e.x.map((row) => row.map(roundHalfAway)) });
  if (e.m !== undefined && data.m && e.m > data.m.lo) out.push({ ...e, m: e.m - 1 });
  if (e.steps !== undefined && claim.train && e.steps > claim.train.steps.lo) out.push({ ...e, steps: Math.max(claim.train.steps.lo, Math.floor(e.steps / 2)) });
  for (const v of simplerSteps(stepRange(claim), e.step)) out.push({ ...e, step: v });
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < d; k++) {
      const v = e.x[i]![k]!;
      if (v.isZero()) continue;
      const cands: Rational[] = [Rational.ZERO];
      if (v.den !== 1n) cands.push(roundHalfAway(v), Rational.of(v.num / v.den));
      else if (v.abs().gt(Rational.ONE)) cands.push(Rational.of(v.num / 2n), Rational.of(v.num - BigInt(v.sign())));
      if (v.sign() < 0) cands.push(v.neg());
      for (const c of cands) {
        if (c.eq(v)) continue;
        const row = e.x[i]!.slice();
        row[k] = c;
        if (!nonzero(row)) continue;
        const x = e.x.slice();
        x[i] = row;
        out.push({ ...e, x });
      }
    }
    if (e.y[i] === -1) out.push({ ...e, y: e.y.map((yi, k) => (k === i ? 1 : yi)) });
  }
  return out;
}

function roundHalfAway(v: Rational): Rational {
  const twice = (2n * (v.num < 0n ? -v.num : v.num) + v.den) / (2n * v.den);
  return Rational.of(v.num < 0n ? -twice : twice);
}

/** Greedy: take the first simpler candidate that still fails; repeat until none does. */
function greedy<T>(start: T, start0: Outcome & { kind: 'fails' }, cands: (t: T) => T[], evaluate: (t: T) => Outcome, budget: { left: number }): { value: T; outcome: Outcome & { kind: 'fails' } } {
  let value = start;
  let outcome = start0;
  for (let progress = true; progress && budget.left > 0; ) {
    progress = false;
    for (const c of cands(value)) {
      if (budget.left-- <= 0) break;
      const o = evaluate(c);
      if (o.kind === 'fails') {
        value = c;
        outcome = o;
        progress = true;
        break;
      }
    }
  }
  return { value, outcome };
}

// ---- the explorer ----

export interface ExploreOptions {
  runs: number;
  seed: number;
  /** how relu2 claims get their KKT point (default polishedTrainer); linear claims ignore it */
  trainer?: Relu2Trainer;
  /** progress lines (the CLI shows them on a TTY only) */
  progress?: (line: string) => void;
  /** evaluations allowed for shrinking (default 1500) and for the small search (default 300) */
  shrinkBudget?: number;
  smallBudget?: number;
}

export interface Counterexample {
  case: Case;
  quantities: Quantities;
  /** index into claim.conclude */
  failed: number;
  /** the generator sample the verdict rests on (after parameter shrinking) */
  found: SampleParams;
  /** where the search found it: "1:k" (phase 1, draw k) or "2:j" (phase 2, mutation j) */
  path: string;
  /** the explicit case's origin: "matrix" (shrunk from `found`) or "small:k" (phase 3c draw k) */
  shrunkFrom: string;
}

export interface ExploreReport {
  claim: Claim;
  runs: number;
  seed: number;
  verdict: 'refuted' | 'survived';
  counts: { evaluated: number; inAssume: number; outside: number; skipped: Partial<Record<SkipReason, number>>; shrinkEvaluations: number };
  /** survived: the in-assume sample closest to failing */
  closest?: { params: SampleParams; q: Quantities; score: number };
  counterexample?: Counterexample;
}

export function explore(claim: Claim, opts: ExploreOptions): ExploreReport {
  if (!Number.isSafeInteger(opts.runs) || opts.runs < 1) throw new InputError(`--runs must be a positive integer, got ${opts.runs}`);
  const ctx: Ctx = { claim, trainer: opts.trainer ?? polishedTrainer, evaluations: 0 };
  const root = new Rng(opts.seed);
  const counts: ExploreReport['counts'] = { evaluated: 0, inAssume: 0, outside: 0, skipped: {}, shrinkEvaluations: 0 };
  const tally = (o: Outcome) => {
    counts.evaluated++;
    if (o.kind === 'skip') counts.skipped[o.reason] = (counts.skipped[o.reason] ?? 0) + 1;
    else if (o.kind === 'outside') counts.outside++;
    else counts.inAssume++;
  };
  const evalParams = (p: SampleParams, path: string): Outcome => {
    try {
      return evaluateCase(ctx, paramsCase(ctx, p));
    } catch (e) {
      if (e instanceof DslRuntimeError) throw new InputError(`${e.message} at sample ${path} (${describeSample(p)}, seed ${opts.seed}); guard it in assume`);
      throw e;
    }
  };

  const n1 = Math.ceil(opts.runs / 2);
  const best: { p: SampleParams; o: Outcome & { kind: 'holds' } }[] = [];
  let found: { p: SampleParams; o: Outcome & { kind: 'fails' }; path: string } | undefined;
  for (let k = 0; k < n1 && !found; k++) {
    opts.progress?.(`phase 1 (random): ${k + 1}/${n1}`);
    const p = sampleParams(claim, root.fork(1).fork(k));
    const o = evalParams(p, `1:${k}`);
    tally(o);
    if (o.kind === 'fails') found = { p, o, path: `1:${k}` };
    else if (o.kind === 'holds') {
      best.push({ p, o });
      best.sort((a, b) => b.o.score - a.o.score);
      best.length = Math.min(best.length, 3);
    }
  }

  // Phase 2: climb from the best samples; restart from the next one after a stall.
  let start = 0;
  let current = best[0];
  let stall = 0;
  for (let j = 0; j < opts.runs - n1 && !found; j++) {
    opts.progress?.(`phase 2 (targeted): ${j + 1}/${opts.runs - n1}`);
    const rng = root.fork(2).fork(j);
    const p = current ? mutate(claim, current.p, rng) : sampleParams(claim, rng);
    const o = evalParams(p, `2:${j}`);
    tally(o);
    if (o.kind === 'fails') found = { p, o, path: `2:${j}` };
    else if (o.kind === 'holds') {
      if (!current || o.score >= current.o.score) {
        stall = o.score > (current?.o.score ?? -Infinity) ? 0 : stall + 1;
        current = { p, o };
        if (!best.length || o.score > best[0]!.o.score) best.unshift({ p, o });
      } else stall++;
    } else stall++;
    if (stall >= 10 && best.length) {
      start = (start + 1) % best.length;
      current = best[start];
      stall = 0;
    }
  }

  const report: ExploreReport = { claim, runs: opts.runs, seed: opts.seed, verdict: found ? 'refuted' : 'survived', counts };
  if (!found) {
    const top = best.reduce<(typeof best)[number] | undefined>((a, b) => (!a || b.o.score > a.o.score ? b : a), undefined);
    if (top) report.closest = { params: top.p, q: top.o.q, score: top.o.score };
    return report;
  }

  // Phase 3a: shrink the generator parameters.
  const before = ctx.evaluations;
  const budget = { left: opts.shrinkBudget ?? 1500 };
  opts.progress?.('phase 3 (shrinking)');
  const a = greedy(found.p, found.o, (p) => paramShrinks(claim, p), (p) => evaluateQuietly(ctx, () => paramsCase(ctx, p)), budget);
  // Phase 3b: shrink the explicit matrix.
  const evalExplicit = (e: Explicit) => evaluateQuietly(ctx, () => explicitCase(ctx, e));
  let b = greedy(explicitOf(claim, a.value), a.outcome, (e) => explicitShrinks(claim, e), evalExplicit, budget);
  let shrunkFrom = 'matrix';
  // Phase 3c: still larger than 4 x 4: search small integer matrices directly.
  const small = (e: Explicit) => e.x.length <= 4 && e.x[0]!.length <= 4;
  if (!small(b.value)) {
    const tries = opts.smallBudget ?? 300;
    for (let k = 0; k < tries; k++) {
      opts.progress?.(`phase 3 (small search): ${k + 1}/${tries}`);
      const e = smallExplicit(claim, root.fork(3).fork(k));
      const o = evalExplicit(e);
      if (o.kind !== 'fails') continue;
      const s = greedy(e, o, (t) => explicitShrinks(claim, t), evalExplicit, { left: opts.shrinkBudget ?? 1500 });
      if (small(s.value)) {
        b = s;
        shrunkFrom = `small:${k}`;
        break;
      }
    }
  }
  counts.shrinkEvaluations = ctx.evaluations - before;
  const c = explicitCase(ctx, b.value) as Case;
  report.counterexample = { case: c, quantities: b.outcome.q, failed: b.outcome.failed, found: a.value, path: found.path, shrunkFrom };
  return report;
}

/** A small integer matrix (n, d <= 4, entries in [-3, 3]) with the claim's other choices. */
function smallExplicit(claim: Claim, rng: Rng): Explicit {
  const { data } = claim;
  const n = rng.nextInt(2, 4);
  const d = rng.nextInt(1, 4);
  const x = Array.from({ length: n }, () => {
    let row: Rational[];
    do row = Array.from({ length: d }, () => Rational.of(rng.nextInt(-3, 3)));
    while (!nonzero(row));
    return row;
  });
  const y = Array.from({ length: n }, () => rng.nextSign() as Label);
  const sr = stepRange(claim);
  return {
    x,
    y,
    r: rng.nextInt(0, n - 1),
    step: sr.lo.eq(sr.hi) ? sr.lo : onGrid(sr, rng.nextInt(0, GRID)),
    m: data.m ? rng.nextInt(data.m.lo, Math.min(data.m.hi, Math.max(data.m.lo, 4))) : undefined,
    steps: claim.train ? rng.nextInt(claim.train.steps.lo, claim.train.steps.hi) : undefined,
    seed: rng.nextInt(0, 2 ** 31 - 1),
  };
}

// ---- output ----

export function describeSample(p: SampleParams): string {
  const extra = [
    `r=${p.r}`,
    p.step !== undefined ? `step=${p.step}` : '',
    p.m !== undefined ? `m=${p.m}` : '',
    p.steps !== undefined ? `steps=${p.steps}` : '',
    p.flip?.length ? `labels flipped ${JSON.stringify(p.flip)}` : '',
    p.set?.length ? `entries set ${JSON.stringify(p.set)}` : '',
  ].filter(Boolean);
  return `${describeGenerator(p.generator, generatorParams(p))} ${extra.join(' ')}`;
}

export function quantitiesJson(q: Quantities): Record<string, string | null> {
  return Object.fromEntries(QUANTITY_NAMES.map((k) => [k, q[k] === undefined ? null : q[k]!.toString()]));
}

/** The counterexample file: a case@1 object plus the claim's verdict, seed and path (docs/claims.md). */
export function counterexampleJson(report: ExploreReport, claimFile: string): Record<string, unknown> {
  const ce = report.counterexample;
  if (!ce) throw new Error('no counterexample');
  const c = report.claim.conclude[ce.failed]!;
  const sides = failingComparison(c, ce.quantities as Record<string, Rational | undefined>);
  return {
    ...caseToJson(ce.case),
    claim: {
      file: claimFile,
      name: report.claim.name,
      failed: c.where,
      expression: c.text,
      ...(sides ? { comparison: sides.text, lhs: sides.lhs.toString(), rhs: sides.rhs.toString() } : {}),
      quantities: quantitiesJson(ce.quantities),
    },
    seed: report.seed,
    runs: report.runs,
    path: ce.path,
    found: ce.found,
    shrunk: ce.shrunkFrom,
  };
}

function fmtQ(q: Quantities, names: Iterable<string>): string {
  const parts: string[] = [];
  for (const k of names) {
    const v = q[k as keyof Quantities];
    if (v !== undefined) parts.push(`${k} = ${v}`);
  }
  return parts.join(', ');
}

/** The names the expressions read, in QUANTITY_NAMES order. */
function usedNames(list: readonly Compiled[]): string[] {
  const used = new Set<string>();
  for (const c of list) for (const k of namesOf(c)) used.add(k);
  return QUANTITY_NAMES.filter((k) => used.has(k));
}

/** The short human summary the CLI prints on stdout. */
export function summary(report: ExploreReport, claimFile: string, wrote?: string): string {
  const { claim, counts } = report;
  const skipped = Object.entries(counts.skipped).map(([k, v]) => `${v} ${k}`);
  const tally = `${counts.evaluated} sample${counts.evaluated === 1 ? '' : 's'}: ${counts.inAssume} satisfied assume, ${counts.outside} outside it${skipped.length ? `, skipped ${skipped.join(', ')}` : ''}`;
  const lines: string[] = [];
  if (report.verdict === 'survived') {
    lines.push(`SURVIVED ${JSON.stringify(claim.name)} (${claimFile}): no counterexample in ${report.runs} runs, seed ${report.seed}`);
    lines.push(`  ${tally}`);
    if (counts.inAssume === 0) lines.push('  warning: no sample satisfied assume, so the claim was not tested: widen the data ranges or the assumption');
    if (report.closest) {
      const env = report.closest.q as Record<string, Rational | undefined>;
      const closest = claim.conclude.reduce((a, c) => (violation(c, env) > violation(a, env) ? c : a));
      lines.push(`  closest to failing: ${closest.where} "${closest.text}" at ${describeSample(report.closest.params)}: ${fmtQ(report.closest.q, usedNames([closest]))}`);
    }
    return lines.join('\n');
  }
  const ce = report.counterexample!;
  const c = claim.conclude[ce.failed]!;
  const sides = failingComparison(c, ce.quantities as Record<string, Rational | undefined>);
  const cs = ce.case;
  lines.push(`REFUTED ${JSON.stringify(claim.name)} (${claimFile})`);
  lines.push(`  ${c.where} fails: ${c.text}${sides ? `  (${sides.lhs} ${sides.op} ${sides.rhs} is false)` : ''}`);
  lines.push(`  counterexample: n = ${cs.data.x.length}, d = ${cs.data.x[0]!.dim}, forget [${cs.forget.join(', ')}], ${cs.step.kind === 'kappa' ? `kappa = ${cs.step.kappa}` : `beta = ${cs.step.beta} (${cs.step.loss})`}${cs.model.kind === 'relu2' ? `, m = ${cs.model.v.length}` : ''}`);
  lines.push(`    x = ${JSON.stringify(cs.data.x.map((r) => r.toRationals().map(String)))}, y = ${JSON.stringify(cs.data.y)}`);
  lines.push(`  quantities: ${fmtQ(ce.quantities, usedNames([...claim.assume, ...claim.conclude]))}`);
  lines.push(`  found at seed ${report.seed}, path ${ce.path}: ${describeSample(ce.found)}; shrunk (${ce.shrunkFrom}) in ${counts.shrinkEvaluations} evaluations`);
  lines.push(`  ${tally}`);
  if (wrote) lines.push(`  wrote ${wrote}`);
  return lines.join('\n');
}
