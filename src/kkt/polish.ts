// T1 (THEORY.md section 5): exact KKT points of the two-layer max-margin problem P(S').
//
// Problem: given output weights v and a 3-valued pattern (per pair (j,i): 'on', 'off',
// 'kink'), find λ >= 0 and Clarke choices μ_ji = λ_i s_ji (0 <= μ_ji <= λ_i at kinks)
// with w_j = v_j Σ_i y_i μ_ji x_i, every support margin exactly 1, every kink exactly 0.
// Solver: that is a square linear system over Q (unknowns λ_a, a in the support, and μ_ji
// for kink pairs on the support; equations q_k = 1 and <w_j,x_k> = 0), solved by
// fraction-free elimination (src/exact/pivot.ts), each unit's kink unknowns first (small
// blocks), then the |support| x |support| system in λ. Verification is exact and complete:
// λ >= 0, 0 <= μ <= λ, every sign of <w_j,x_i> equals the pattern, and q_k >= 1 off the
// support. A pattern that fails any of these is rejected with the first reason found.
//
// trainToKKT is the practical route: float64 training only proposes a pattern; nothing
// from the floats survives into the returned point. closedFormKKT is T1's closed form for
// exactly orthogonal data, an independent route that never solves a system.
import { Rational } from '../exact/rational.ts';
import { solve } from '../exact/pivot.ts';
import { gram } from '../exact/vec.ts';
import type { Dataset } from '../data/dataset.ts';
import { InputError } from '../errors.ts';
import { type Activation, type Model, activation, marginsOf } from '../models/model.ts';
import { Params } from '../models/params.ts';
import { marginsRelu2, patternOf as floatPatternOf, trainRelu2 } from '../float/relu2Float.ts';

/** pattern[j][i]: the activation state of unit j on point i. */
export type Pattern = readonly (readonly Activation[])[];

export interface KKTPoint {
  params: Params;
  /** w_j = Σ_i coef[j][i] x_i (zero outside the support) */
  coef: Rational[][];
  /** λ_a for the points of S', in their order (0 off the support) */
  lambda: Rational[];
  /** s[j][i]: 1 on, 0 off, μ_ji/λ_i at kinks (0 where λ_i = 0); 0 for points outside S' */
  s: Rational[][];
  /** Clarke choices at the kinks, as in Certificate.kinks */
  kinks: { block: number; point: number; s: Rational }[];
  pattern: Activation[][];
  points: number[];
}

export type PolishResult = { ok: true; kkt: KKTPoint } | { ok: false; reason: string };

export interface PolishOptions {
  /** S' (default: all points); the pattern is read on these only */
  points?: readonly number[];
  /** support vectors (default: all of S'); λ = 0 elsewhere, where q >= 1 is checked */
  support?: readonly number[];
  /** Gram matrix of data.x, reused when given */
  G?: readonly (readonly Rational[])[];
}

/** The exact pattern of θ on the data (activation of every pair). */
export function exactPattern(model: Model, params: Params): Activation[][] {
  return params.pre.map((row) => row.map((p) => activation(model, p)));
}

function checkShapes(
  data: Dataset,
  v: readonly Rational[],
  pattern: Pattern,
  points: readonly number[],
  support: readonly number[],
): void {
  const n = data.x.length;
  if (v.length === 0) throw new InputError('polish: v is empty (need at least one unit)');
  v.forEach((vj, j) => {
    if (vj.isZero()) throw new InputError(`polish: v[${j}] is 0: output weights must be nonzero`);
  });
  if (pattern.length !== v.length)
    throw new InputError(`polish: pattern has ${pattern.length} rows, expected m = ${v.length}`);
  pattern.forEach((row, j) => {
    if (row.length !== n) throw new InputError(`polish: pattern[${j}] has ${row.length} entries, expected n = ${n}`);
  });
  for (const i of points)
    if (!Number.isInteger(i) || i < 0 || i >= n)
      throw new InputError(`polish: point ${i} is out of range [0, ${n - 1}]`);
  if (new Set(points).size !== points.length) throw new InputError('polish: points has duplicates');
  for (const i of support)
    if (!points.includes(i)) throw new InputError(`polish: support point ${i} is not among the points`);
}

/**
 * The square T1 system, with each unit's kink unknowns eliminated first (the system is
 * block-structured: the equations <w_j,x_k> = 0 of unit j involve only μ_j and λ).
 * Unit j, kink points K (on the support), on points O: M μ_j = -B λ_O with
 * M[a][b] = y_{K_b} G[K_b][K_a], B[a][c] = y_{O_c} G[O_c][K_a]; so μ_j = -X λ_O with
 * M X = B. Substituting leaves an |support| x |support| system in λ. A singular M means
 * a direction of μ_j that moves no w_j: the full system is singular too.
 * Returns λ (support order) and μ keyed by j * n + i, or null when singular.
 */
function solveT1(
  G: readonly (readonly Rational[])[],
  y: readonly Rational[],
  v: readonly Rational[],
  pattern: Pattern,
  support: readonly number[],
  n: number,
): { lambda: Rational[]; mu: Map<number, Rational> } | null {
  const m = v.length;
  const slot = new Array<number>(n).fill(-1);
  support.forEach((i, a) => (slot[i] = a));
  const units: { K: number[]; O: number[]; X: Rational[][] }[] = [];
  for (let j = 0; j < m; j++) {
    const K = support.filter((i) => pattern[j]![i] === 'kink');
    const O = support.filter((i) => pattern[j]![i] === 'on');
    let X: Rational[][] = O.map(() => []);
    if (K.length > 0) {
      const M = K.map((ka) => K.map((kb) => y[kb]!.mul(G[kb]![ka]!)));
      const cols: Rational[][] = [];
      for (const oc of O) {
        const x = solve(
          M,
          K.map((ka) => y[oc]!.mul(G[oc]![ka]!)),
        );
        if (!x) return null;
        cols.push(x);
      }
      if (
        O.length === 0 &&
        solve(
          M,
          K.map(() => Rational.ZERO),
        ) === null
      )
        return null;
      X = cols; // X[c][b]
    }
    units.push({ K, O, X });
  }
  // <w_j, x_k> / v_j = Σ_c λ_{O_c} (y_{O_c} G[O_c][k] - Σ_b X[c][b] y_{K_b} G[K_b][k])
  const preCoef = (j: number, k: number): Rational[] => {
    const { K, O, X } = units[j]!;
    const row = new Array<Rational>(support.length).fill(Rational.ZERO);
    O.forEach((oc, c) => {
      let t = y[oc]!.mul(G[oc]![k]!);
      K.forEach((kb, b) => {
        if (!X[c]![b]!.isZero()) t = t.sub(X[c]![b]!.mul(y[kb]!).mul(G[kb]![k]!));
      });
      row[slot[oc]!] = t;
    });
    return row;
  };
  // q_k = y_k Σ_{j on (j,k)} v_j² <w_j, x_k> / v_j = 1
  const A = support.map((k) => {
    const row = new Array<Rational>(support.length).fill(Rational.ZERO);
    for (let j = 0; j < m; j++) {
      if (pattern[j]![k] !== 'on') continue;
      const f = v[j]!.mul(v[j]!).mul(y[k]!);
      preCoef(j, k).forEach((t, c) => {
        if (!t.isZero()) row[c] = row[c]!.add(f.mul(t));
      });
    }
    return row;
  });
  const lambda = solve(
    A,
    support.map(() => Rational.ONE),
  );
  if (!lambda) return null;
  const mu = new Map<number, Rational>();
  units.forEach(({ K, O, X }, j) =>
    K.forEach((kb, b) => {
      let s = Rational.ZERO;
      O.forEach((oc, c) => (s = s.sub(X[c]![b]!.mul(lambda[slot[oc]!]!))));
      mu.set(j * n + kb, s);
    }),
  );
  return { lambda, mu };
}

/**
 * T1: the exact KKT point of P(points) with the given pattern, or why there is none.
 * Every pair the pattern calls a kink but whose point is off the support adds an equation
 * the square system does not use; the sign check catches it when it fails.
 */
export function polish(
  data: Dataset,
  v: readonly Rational[],
  pattern: Pattern,
  opts: PolishOptions = {},
): PolishResult {
  const n = data.x.length;
  const m = v.length;
  const points = opts.points ? [...opts.points] : Array.from({ length: n }, (_, i) => i);
  const support = opts.support ? [...opts.support] : points;
  checkShapes(data, v, pattern, points, support);
  const G = opts.G ?? gram(data.x);
  const y = data.y.map((l) => Rational.of(l));
  const inSupport = new Array<boolean>(n).fill(false);
  support.forEach((i) => (inSupport[i] = true));

  const solved = solveT1(G, y, v, pattern, support, n);
  if (!solved) return { ok: false, reason: 'the T1 system is singular' };
  const { lambda, mu } = solved;
  const slot = new Array<number>(n).fill(-1);
  support.forEach((i, a) => (slot[i] = a));
  const lambdaOf = (i: number) => (inSupport[i] ? lambda[slot[i]!]! : Rational.ZERO);
  // y_i μ_ji / y_i: λ_i on, μ_ji at a kink of the support, 0 otherwise
  const muOf = (j: number, i: number): Rational => {
    const a = pattern[j]![i];
    if (!inSupport[i] || a === 'off') return Rational.ZERO;
    return a === 'on' ? lambdaOf(i) : mu.get(j * n + i)!;
  };
  for (const i of support)
    if (lambdaOf(i).sign() < 0) return { ok: false, reason: `lambda[${i}] = ${lambdaOf(i)} < 0` };
  for (const [key, u] of mu) {
    const j = Math.floor(key / n);
    const i = key % n;
    if (u.sign() < 0 || u.gt(lambdaOf(i)))
      return { ok: false, reason: `mu[${j}][${i}] = ${u} is outside [0, lambda[${i}]]` };
  }

  const coef = Array.from({ length: m }, (_, j) =>
    Array.from({ length: n }, (_, i) => {
      const u = muOf(j, i);
      return u.isZero() ? u : v[j]!.mul(y[i]!).mul(u);
    }),
  );
  const params = Params.fromCombination(coef, data, G);
  const model: Model = { kind: 'relu2', v };
  for (let j = 0; j < m; j++) {
    for (const i of points) {
      const got = activation(model, params.pre[j]![i]!);
      if (got !== pattern[j]![i])
        return { ok: false, reason: `unit ${j} on point ${i} is ${got}, the pattern says ${pattern[j]![i]}` };
    }
  }
  const q = marginsOf(model, params.pre, data.y);
  for (const i of points) {
    const bad = inSupport[i] ? !q[i]!.eq(Rational.ONE) : q[i]!.lt(Rational.ONE);
    if (bad)
      return {
        ok: false,
        reason: `margin[${i}] = ${q[i]} ${inSupport[i] ? '!= 1 on the support' : '< 1 off the support'}`,
      };
  }

  const s = Array.from({ length: m }, (_, j) =>
    Array.from({ length: n }, (_, i) => {
      if (!points.includes(i)) return Rational.ZERO;
      const a = pattern[j]![i];
      if (a === 'on') return Rational.ONE;
      if (a === 'off' || !inSupport[i] || lambdaOf(i).isZero()) return Rational.ZERO;
      return muOf(j, i).div(lambdaOf(i));
    }),
  );
  const kinks: KKTPoint['kinks'] = [];
  for (let j = 0; j < m; j++)
    for (const i of points) if (pattern[j]![i] === 'kink') kinks.push({ block: j, point: i, s: s[j]![i]! });
  return {
    ok: true,
    kkt: { params, coef, lambda: points.map(lambdaOf), s, kinks, pattern: pattern.map((r) => r.slice()), points },
  };
}

// ---- the practical route: float64 training proposes, exact polishing decides ----

export interface TrainToKKTOptions {
  /** seed of the tiny random initialization (default 0) */
  seed?: number;
  /** trainings from seeds seed, seed+1, ... until one polishes (default 1: no restart) */
  restarts?: number;
  /** normalized gradient-descent steps (default 10000: at n = 12, 3000 steps polish ~55%, 10000 ~95%) */
  steps?: number;
  /** step size in units of 1 / R2max (default 1) */
  lr?: number;
  /** init entries ~ N(0, (initScale/sqrt(d))^2) (default 1e-6) */
  initScale?: number;
  /** relative tolerances for reading kinks, tried in order (default 1e-2 down to 1e-4) */
  tolerances?: readonly number[];
  points?: readonly number[];
  G?: readonly (readonly Rational[])[];
}

export const DEFAULT_TOLERANCES = [1e-2, 3e-3, 1e-3, 3e-4, 1e-4] as const;

export type TrainedKKT = KKTPoint & { relTol: number };

const FROM_FLOAT: Record<number, Activation> = { 1: 'on', 0: 'kink', [-1]: 'off' };

/**
 * T1's practical route: normalized GD on the exponential loss (float64, from a tiny
 * seeded init), then the float pattern at each tolerance is polished exactly (with every
 * point a support vector, then with the support the float margins show); the first
 * that verifies wins. `undefined` is a failed polish (count it; never pass it off).
 */
export function trainToKKT(
  data: Dataset,
  v: readonly Rational[],
  opts: TrainToKKTOptions = {},
): TrainedKKT | undefined {
  const points = opts.points ? [...opts.points] : data.x.map((_, i) => i);
  const X = points.map((i) => {
    const x = data.x[i]!;
    const sc = x.scale.toNumber();
    return Array.from(x.ints, (t) => Number(t) * sc);
  });
  const y = points.map((i) => data.y[i]!);
  const G = opts.G ?? gram(data.x);
  for (let k = 0; k < (opts.restarts ?? 1); k++) {
    const found = trainOnce(data, v, X, y, points, G, (opts.seed ?? 0) + k, opts);
    if (found) return found;
  }
  return undefined;
}

function trainOnce(
  data: Dataset,
  v: readonly Rational[],
  X: number[][],
  y: readonly number[],
  points: number[],
  G: readonly (readonly Rational[])[],
  seed: number,
  opts: TrainToKKTOptions,
): TrainedKKT | undefined {
  const d = X[0]?.length ?? 0;
  const R2max = Math.max(...X.map((x) => x.reduce((s, t) => s + t * t, 0)));
  const W = trainRelu2(
    X,
    y,
    v.map((q) => q.toNumber()),
    {
      loss: 'exponential',
      steps: opts.steps ?? 10000,
      lr: (opts.lr ?? 1) / R2max,
      seed,
      initScale: (opts.initScale ?? 1e-6) / Math.sqrt(Math.max(d, 1)),
      normalized: true,
    },
  );
  const n = data.x.length;
  const q = marginsRelu2(
    W,
    X,
    y,
    v.map((t) => t.toNumber()),
  );
  const qmin = Math.min(...q);
  if (!(qmin > 0)) return undefined; // a point no unit fits (dead units): no KKT point near
  const tried = new Set<string>();
  for (const tol of opts.tolerances ?? DEFAULT_TOLERANCES) {
    const local = floatPatternOf(W, X, tol);
    // Points outside S' are not read; 'off' there is a placeholder polish ignores.
    const pattern = local.map((row) => {
      const full = new Array<Activation>(n).fill('off');
      points.forEach((i, a) => (full[i] = FROM_FLOAT[row[a]!]!));
      return full;
    });
    // Every point a support vector first (as under NO), then the support the margins show.
    const read = points.filter((_, a) => q[a]! <= (1 + tol) * qmin);
    for (const support of read.length < points.length ? [points, read] : [points]) {
      const key = pattern.map((r) => r.join()).join(';') + '|' + support.join();
      if (tried.has(key)) continue;
      tried.add(key);
      const res = polish(data, v, pattern, { points, support, G });
      if (res.ok) return { ...res.kkt, relTol: tol };
    }
  }
  return undefined;
}

// ---- the closed form for exactly orthogonal data ----

/**
 * T1's closed form (exactly orthogonal data, units of both signs):
 *   λ_i = 1/(||x_i||² Σ_{j: sgn v_j = y_i} v_j²),  w_j = v_j Σ_{i: y_i = sgn v_j} λ_i y_i x_i,
 * on for same-sign pairs, kinks (s = 0) on opposite ones. InputError outside its assumption.
 */
export function closedFormKKT(data: Dataset, v: readonly Rational[], G0?: readonly (readonly Rational[])[]): KKTPoint {
  const n = data.x.length;
  const m = v.length;
  const G = G0 ?? gram(data.x);
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++) {
      if (!G[i]![k]!.isZero())
        throw new InputError(
          `closedFormKKT: <x[${i}], x[${k}]> = ${G[i]![k]} != 0 (the closed form needs orthogonal data)`,
        );
    }
    if (G[i]![i]!.isZero()) throw new InputError(`closedFormKKT: x[${i}] is the zero vector`);
  }
  const v2 = (sign: 1 | -1) => v.reduce((s, vj) => (vj.sign() === sign ? s.add(vj.mul(vj)) : s), Rational.ZERO);
  const V = { 1: v2(1), [-1]: v2(-1) } as Record<number, Rational>;
  for (const c of [1, -1] as const) {
    if (data.y.includes(c) && V[c]!.isZero())
      throw new InputError(`closedFormKKT: no unit has output weight of sign ${c} (label ${c} occurs)`);
  }
  const lambda = data.y.map((yi, i) => Rational.ONE.div(G[i]![i]!.mul(V[yi]!)));
  const same = (j: number, i: number) => v[j]!.sign() === data.y[i];
  const coef = v.map((vj, j) =>
    lambda.map((l, i) => (same(j, i) ? vj.mul(l).mul(Rational.of(data.y[i]!)) : Rational.ZERO)),
  );
  const pattern = v.map((_, j) => data.y.map((_, i): Activation => (same(j, i) ? 'on' : 'kink')));
  const s = pattern.map((r) => r.map((a) => (a === 'on' ? Rational.ONE : Rational.ZERO)));
  const kinks: KKTPoint['kinks'] = [];
  for (let j = 0; j < m; j++)
    for (let i = 0; i < n; i++) if (pattern[j]![i] === 'kink') kinks.push({ block: j, point: i, s: Rational.ZERO });
  return {
    params: Params.fromCombination(coef, data, G),
    coef,
    lambda,
    s,
    kinks,
    pattern,
    points: data.x.map((_, i) => i),
  };
}
