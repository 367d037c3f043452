// explore's phase 3: greedy shrinking of a failing sample, first its generator parameters
// (smaller n, d, flips, seed, simpler step), then the explicit matrix (drop rows and columns,
// entries toward 0, labels toward +1). Hand-written rather than fast-check's shrinker: the
// samples are drawn from a claim file's ranges by the project's Rng, not by an Arbitrary, and
// the moves (rows, columns, grid steps) are the claim's; see docs/ARCHITECTURE.md.
import { Rational } from '../../exact/rational.ts';
import type { Label } from '../../data/dataset.ts';
import type { Claim, QRange } from './claimFile.ts';
import {
  type Explicit,
  type SampleParams,
  GRID,
  dataOf,
  forgetOf,
  nonzero,
  onGrid,
  stepRange,
  stepValue,
} from './sample.ts';
import type { Outcome } from './evaluate.ts';

// ---- forget sets (claims with `forget`): r and `also` stay distinct, in range, not all rows ----

type Forget = { r: number; also?: number[] };

/** The forget set F as r (its first index) and `also` (the rest, ascending). */
function asForget(F: number[]): { r: number; also: number[] } {
  return { r: F[0]!, also: F.slice(1).sort((a, b) => a - b) };
}

/** F within rows [0, n): an index >= n moves to the smallest free index (n > |F|). */
export function forgetWithin(s: Forget, n: number): { r: number; also: number[] } {
  const F = forgetOf(s);
  const free = Array.from({ length: n }, (_, i) => i).filter((i) => !F.includes(i));
  return asForget(F.map((f) => (f < n ? f : free.shift()!)));
}

/** Smaller forget sets (one index fewer, not below the claim's least size), and F = {0, ..., k-1}. */
function forgetShrinks(claim: Claim, s: Forget): { r: number; also: number[] }[] {
  const F = forgetOf(s);
  const out: { r: number; also: number[] }[] = [];
  if (F.length > claim.forget!.lo) F.forEach((_, a) => out.push(asForget(F.filter((__, b) => b !== a))));
  if (F.some((f) => f >= F.length)) out.push(asForget(F.map((_, a) => a)));
  return out;
}

/** The explicit sample on the rows `keep` (ascending old indices, every forgotten one among them). */
function keepRows(e: Explicit, keep: number[]): Explicit {
  const at = (f: number) => keep.indexOf(f);
  const out: Explicit = { ...e, x: keep.map((i) => e.x[i]!), y: keep.map((i) => e.y[i]!), r: at(e.r) };
  if (e.also) out.also = e.also.map(at);
  return out;
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
  return cands.filter(
    (v) => v.ge(r.lo) && v.le(r.hi) && less(v, cur) && !seen.has(v.toString()) && seen.add(v.toString()),
  );
}

export function paramShrinks(claim: Claim, p: SampleParams): SampleParams[] {
  const out: SampleParams[] = [];
  const { data } = claim;
  const had = data.generator === 'hadamardFlips';
  if (p.n > data.n.lo && !claim.forget) {
    out.push({ ...p, n: p.n - 1, r: Math.min(p.r, p.n - 2) });
    if (p.r === p.n - 1) out.push({ ...p, n: p.n - 1, r: 0 });
  } else if (p.n > data.n.lo && p.n - 1 > forgetOf(p).length)
    out.push({ ...p, n: p.n - 1, ...forgetWithin(p, p.n - 1) });
  if (had) {
    if (p.d / 2 >= Math.max(data.d.lo, p.n)) out.push({ ...p, d: p.d / 2, flips: Math.min(p.flips ?? 0, p.d / 2) });
  } else if (p.d > data.d.lo) out.push({ ...p, d: p.d - 1 });
  for (const key of ['flips', 'max', 'm'] as const) {
    const r = data[key];
    if (r && p[key] !== undefined && p[key]! > r.lo) out.push({ ...p, [key]: r.lo }, { ...p, [key]: p[key]! - 1 });
  }
  if (claim.train && p.steps !== undefined && p.steps > claim.train.steps.lo) {
    out.push(
      { ...p, steps: claim.train.steps.lo },
      { ...p, steps: Math.max(claim.train.steps.lo, Math.floor(p.steps / 2)) },
    );
  }
  if (p.step !== undefined)
    for (const v of simplerSteps(stepRange(claim), Rational.parse(p.step))) out.push({ ...p, step: v.toString() });
  if (p.flip?.length || p.set?.length) out.push({ ...p, flip: undefined, set: undefined });
  p.flip?.forEach((_, a) => out.push({ ...p, flip: p.flip!.filter((__, b) => b !== a) }));
  p.set?.forEach((_, a) => out.push({ ...p, set: p.set!.filter((__, b) => b !== a) }));
  if (!claim.forget && p.r > 0) out.push({ ...p, r: 0 });
  if (claim.forget) for (const f of forgetShrinks(claim, p)) out.push({ ...p, ...f });
  for (const s of [0, 1, 2, 3]) if (s < p.seed) out.push({ ...p, seed: s });
  return out;
}

export function explicitOf(claim: Claim, p: SampleParams): Explicit {
  const data = dataOf(p);
  return {
    x: data.x.map((row) => row.toRationals()),
    y: data.y.slice(),
    r: p.r,
    ...(p.also ? { also: p.also.slice() } : {}),
    step: stepValue(claim, p.step),
    m: p.m,
    steps: p.steps,
    seed: p.seed,
  };
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
  // Rows dropped are retained ones, and one retained row always stays.
  const F = forgetOf(e);
  const rows = e.x.map((_, i) => i);
  if (n >= 4) {
    const others = rows.filter((i) => !F.includes(i));
    for (const half of [others.slice(0, others.length >> 1), others.slice(others.length >> 1)])
      if (half.length > 0 && half.length < others.length)
        out.push(
          keepRows(
            e,
            rows.filter((i) => !half.includes(i)),
          ),
        );
  }
  if (n - 1 > F.length) {
    for (let i = n - 1; i >= 0; i--)
      if (!F.includes(i))
        out.push(
          keepRows(
            e,
            rows.filter((k) => k !== i),
          ),
        );
  }
  if (claim.forget) for (const f of forgetShrinks(claim, e)) out.push({ ...e, ...f });
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
  if (e.steps !== undefined && claim.train && e.steps > claim.train.steps.lo)
    out.push({ ...e, steps: Math.max(claim.train.steps.lo, Math.floor(e.steps / 2)) });
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
export function greedy<T>(
  start: T,
  start0: Outcome & { kind: 'fails' },
  cands: (t: T) => T[],
  evaluate: (t: T) => Outcome,
  budget: { left: number },
): { value: T; outcome: Outcome & { kind: 'fails' } } {
  let value = start;
  let outcome = start0;
  for (let progress = true; progress && budget.left > 0;) {
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
