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
import { Rational } from '../../exact/rational.ts';
import { InputError } from '../../errors.ts';
import { Rng } from '../../data/random.ts';
import type { Case } from '../../unlearn/pipeline.ts';
import type { Quantities } from '../../claims/quantities.ts';
import { DslRuntimeError } from './dsl.ts';
import type { Claim, IntRange } from './claimFile.ts';
import {
  type Explicit,
  type Relu2Trainer,
  type SampleParams,
  GRID,
  dataOf,
  describeSample,
  drawAlso,
  forgetOf,
  nonzero,
  onGrid,
  polishedTrainer,
  sampleParams,
  smallExplicit,
  stepRange,
} from './sample.ts';
import {
  type Ctx,
  type Outcome,
  type SkipReason,
  evaluateCase,
  evaluateQuietly,
  explicitCase,
  paramsCase,
} from './evaluate.ts';
import { explicitOf, explicitShrinks, forgetWithin, greedy, paramShrinks } from './shrink.ts';
import { DEFAULTS } from '../../defaults.ts';

// ---- phase 2: mutations ----

export function mutate(claim: Claim, p: SampleParams, rng: Rng): SampleParams {
  const q: SampleParams = { ...p };
  const { data } = claim;
  const moves: (() => void)[] = [
    () => (q.seed = rng.nextInt(0, 2 ** 31 - 1)),
    () => {
      q.r = rng.nextInt(0, q.n - 1);
      if (claim.forget) q.also = drawAlso(claim, rng, q.n, q.r);
    },
  ];
  const had = data.generator === 'hadamardFlips';
  // a smaller n keeps a retained point; a forgotten last row moves to a free index
  if (q.n > data.n.lo && q.n - 1 > forgetOf(q).length)
    moves.push(() => {
      q.n -= 1;
      if (claim.forget) Object.assign(q, forgetWithin(q, q.n));
      else q.r = Math.min(q.r, q.n - 1);
    });
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
    if (r && r.lo < r.hi)
      moves.push(
        () =>
          (q[key] = Math.min(
            cap,
            Math.max(
              r.lo,
              Math.min(
                r.hi,
                (q[key] ?? r.lo) + rng.nextSign() * (key === 'steps' ? Math.max(1, Math.floor((q[key] ?? 1) / 4)) : 1),
              ),
            ),
          )),
      );
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
      const v =
        data.generator === 'rademacher' ? -cur : rng.nextInt(0, 1) ? rng.nextInt(-max, max) : cur - Math.sign(cur);
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
  counts: {
    evaluated: number;
    inAssume: number;
    outside: number;
    skipped: Partial<Record<SkipReason, number>>;
    shrinkEvaluations: number;
  };
  /** survived: the in-assume sample closest to failing */
  closest?: { params: SampleParams; q: Quantities; score: number };
  counterexample?: Counterexample;
}

type Held = { p: SampleParams; o: Outcome & { kind: 'holds' } };
type Found = { p: SampleParams; o: Outcome & { kind: 'fails' }; path: string };
type Evaluate = (p: SampleParams, path: string) => Outcome;

/** Phase 1: random samples from the claim's ranges; keeps the three closest to failing. */
function randomPhase(
  claim: Claim,
  root: Rng,
  runs: number,
  evaluate: Evaluate,
  progress?: (line: string) => void,
): { found?: Found; best: Held[] } {
  const best: Held[] = [];
  for (let k = 0; k < runs; k++) {
    progress?.(`phase 1 (random): ${k + 1}/${runs}`);
    const p = sampleParams(claim, root.fork(1).fork(k));
    const o = evaluate(p, `1:${k}`);
    if (o.kind === 'fails') return { found: { p, o, path: `1:${k}` }, best };
    if (o.kind === 'holds') {
      best.push({ p, o });
      best.sort((a, b) => b.o.score - a.o.score);
      best.length = Math.min(best.length, 3);
    }
  }
  return { best };
}

/** Phase 2: climb the violation score from the best samples; restart from the next one after a stall. */
function targetedPhase(
  claim: Claim,
  root: Rng,
  runs: number,
  best: Held[],
  evaluate: Evaluate,
  progress?: (line: string) => void,
): Found | undefined {
  let start = 0;
  let current = best[0];
  let stall = 0;
  for (let j = 0; j < runs; j++) {
    progress?.(`phase 2 (targeted): ${j + 1}/${runs}`);
    const rng = root.fork(2).fork(j);
    const p = current ? mutate(claim, current.p, rng) : sampleParams(claim, rng);
    const o = evaluate(p, `2:${j}`);
    if (o.kind === 'fails') return { p, o, path: `2:${j}` };
    if (o.kind === 'holds') {
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
  return undefined;
}

/** Phase 3: shrink the parameters (a), then the explicit matrix (b); (c) small matrices when still larger than 4 x 4. */
function shrinkPhase(ctx: Ctx, root: Rng, found: Found, opts: ExploreOptions): Counterexample {
  const { claim } = ctx;
  const shrinkBudget = opts.shrinkBudget ?? DEFAULTS.shrinkBudget;
  const budget = { left: shrinkBudget };
  opts.progress?.('phase 3 (shrinking)');
  const a = greedy(
    found.p,
    found.o,
    (p) => paramShrinks(claim, p),
    (p) => evaluateQuietly(ctx, () => paramsCase(ctx, p)),
    budget,
  );
  const evalExplicit = (e: Explicit) => evaluateQuietly(ctx, () => explicitCase(ctx, e));
  let b = greedy(explicitOf(claim, a.value), a.outcome, (e) => explicitShrinks(claim, e), evalExplicit, budget);
  let shrunkFrom = 'matrix';
  const small = (e: Explicit) => e.x.length <= 4 && e.x[0]!.length <= 4;
  if (!small(b.value)) {
    const tries = opts.smallBudget ?? 300;
    for (let k = 0; k < tries; k++) {
      opts.progress?.(`phase 3 (small search): ${k + 1}/${tries}`);
      const e = smallExplicit(claim, root.fork(3).fork(k));
      const o = evalExplicit(e);
      if (o.kind !== 'fails') continue;
      const s = greedy(e, o, (t) => explicitShrinks(claim, t), evalExplicit, { left: shrinkBudget });
      if (small(s.value)) {
        b = s;
        shrunkFrom = `small:${k}`;
        break;
      }
    }
  }
  const c = explicitCase(ctx, b.value) as Case;
  return { case: c, quantities: b.outcome.q, failed: b.outcome.failed, found: a.value, path: found.path, shrunkFrom };
}

export function explore(claim: Claim, opts: ExploreOptions): ExploreReport {
  if (!Number.isSafeInteger(opts.runs) || opts.runs < 1)
    throw new InputError(`--runs must be a positive integer, got ${opts.runs}`);
  const ctx: Ctx = { claim, trainer: opts.trainer ?? polishedTrainer, evaluations: 0 };
  const root = new Rng(opts.seed);
  const counts: ExploreReport['counts'] = { evaluated: 0, inAssume: 0, outside: 0, skipped: {}, shrinkEvaluations: 0 };
  const evaluate: Evaluate = (p, path) => {
    let o: Outcome;
    try {
      o = evaluateCase(ctx, paramsCase(ctx, p));
    } catch (e) {
      if (e instanceof DslRuntimeError)
        throw new InputError(
          `${e.message} at sample ${path} (${describeSample(p)}, seed ${opts.seed}); guard it in assume`,
        );
      throw e;
    }
    counts.evaluated++;
    if (o.kind === 'skip') counts.skipped[o.reason] = (counts.skipped[o.reason] ?? 0) + 1;
    else if (o.kind === 'outside') counts.outside++;
    else counts.inAssume++;
    return o;
  };

  // Phases 1 + 2 share the --runs budget.
  const n1 = Math.ceil(opts.runs / 2);
  const phase1 = randomPhase(claim, root, n1, evaluate, opts.progress);
  const found = phase1.found ?? targetedPhase(claim, root, opts.runs - n1, phase1.best, evaluate, opts.progress);
  const report: ExploreReport = {
    claim,
    runs: opts.runs,
    seed: opts.seed,
    verdict: found ? 'refuted' : 'survived',
    counts,
  };
  if (!found) {
    const top = phase1.best.reduce<Held | undefined>((a, b) => (!a || b.o.score > a.o.score ? b : a), undefined);
    if (top) report.closest = { params: top.p, q: top.o.q, score: top.o.score };
    return report;
  }
  const before = ctx.evaluations;
  report.counterexample = shrinkPhase(ctx, root, found, opts);
  counts.shrinkEvaluations = ctx.evaluations - before;
  return report;
}
