// Float64 linear model N(x) = <w, x>: training, approximate max margin, one GA step.

import { dot, gram, solveSPD, type Vec } from './linalg.ts';
import { gradientWeights, lossDeriv, type Loss } from './loss.ts';

export type { Loss } from './loss.ts';

/** Effective GA step: c_r = kappa * lambda[r] (lambda indexed like the whole dataset), or c_r = -beta ℓ'(q_r). */
export type GaStep = { kappa: number; lambda: readonly number[] } | { beta: number; loss: Loss };

export interface TrainLinearOptions {
  loss: Loss;
  steps: number;
  lr: number;
  /** Divide the gradient by the total loss Σ ℓ(q_i) (scale-free step). */
  normalized?: boolean;
  /** Starting point (default 0). */
  init?: readonly number[];
}

/** Margins q_i = y_i <w, x_i>. */
export function marginsLinear(w: Vec, X: readonly Vec[], y: readonly number[]): number[] {
  return X.map((x, i) => y[i]! * dot(w, x));
}

/**
 * Gradient descent on Σ_i ℓ(y_i <w, x_i>). Since every gradient is a combination of the x_i,
 * the iterate is kept as w = init + Σ_i a_i x_i and margins come from the Gram matrix
 * (O(n^2) per step instead of O(n d)); w is assembled once at the end.
 */
export function trainLinear(X: readonly Vec[], y: readonly number[], opts: TrainLinearOptions): number[] {
  const n = X.length;
  const d = n > 0 ? X[0]!.length : (opts.init?.length ?? 0);
  const G = gram(X);
  const q0 = new Float64Array(n);
  if (opts.init) for (let i = 0; i < n; i++) q0[i] = dot(opts.init, X[i]!);
  const a = new Float64Array(n);
  const q = new Float64Array(n);
  const r = new Float64Array(n);
  const normalized = opts.normalized ?? false;
  for (let step = 0; step < opts.steps; step++) {
    for (let i = 0; i < n; i++) {
      let s = q0[i]!;
      for (let k = 0; k < n; k++) s += a[k]! * G[k * n + i]!;
      q[i] = y[i]! * s;
    }
    gradientWeights(opts.loss, q, normalized, r);
    // w <- w - lr Σ ℓ'(q_i) y_i x_i  (ℓ' = -r)
    for (let i = 0; i < n; i++) a[i] = a[i]! + opts.lr * r[i]! * y[i]!;
  }
  const w = new Array<number>(d);
  for (let t = 0; t < d; t++) {
    let s = opts.init ? opts.init[t]! : 0;
    for (let i = 0; i < n; i++) s += a[i]! * X[i]![t]!;
    w[t] = s;
  }
  return w;
}

export interface MaxMarginFloat {
  w: number[];
  lambda: number[];
  /** y_i <w, x_i> recomputed from w. */
  margins: number[];
  /** Largest KKT violation of the dual (|1 - q_i| on support, max(0, 1 - q_i) off it). */
  violation: number;
  sweeps: number;
  converged: boolean;
}

/**
 * Approximate hard-margin SVM through the origin: dual coordinate descent on
 * min ½ λᵀGλ - 1ᵀλ, λ >= 0 (G_ik = y_i y_k <x_i, x_k>), with an active-set polish
 * (solve G_SS λ_S = 1 on the support) once the support settles. Stops at KKT violation
 * <= tol (default 1e-12) or after maxSweeps. Throws if a point is zero or the dual runs away
 * (data not separable through the origin).
 */
export function maxMarginFloat(
  X: readonly Vec[],
  y: readonly number[],
  opts: { tol?: number; maxSweeps?: number } = {},
): MaxMarginFloat {
  const tol = opts.tol ?? 1e-12;
  const maxSweeps = opts.maxSweeps ?? 100_000;
  const n = X.length;
  const d = n > 0 ? X[0]!.length : 0;
  const G0 = gram(X);
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) G[i * n + k] = y[i]! * y[k]! * G0[i * n + k]!;
  for (let i = 0; i < n; i++) {
    if (!(G[i * n + i]! > 0)) throw new Error(`x[${i}] is zero: data not separable through the origin`);
  }
  const lam = new Float64Array(n);
  const g = new Float64Array(n); // g = Gλ (the margins)
  const violationOf = (l: ArrayLike<number>, gg: ArrayLike<number>): number => {
    let v = 0;
    for (let i = 0; i < n; i++) v = Math.max(v, l[i]! > 0 ? Math.abs(1 - gg[i]!) : Math.max(0, 1 - gg[i]!));
    return v;
  };
  const tryPolish = (): boolean => {
    const S: number[] = [];
    for (let i = 0; i < n; i++) if (lam[i]! > 0) S.push(i);
    const k = S.length;
    const A = new Float64Array(k * k);
    for (let a = 0; a < k; a++) for (let c = 0; c < k; c++) A[a * k + c] = G[S[a]! * n + S[c]!]!;
    const sol = solveSPD(A, k, new Float64Array(k).fill(1));
    if (!sol) return false;
    for (let a = 0; a < k; a++) if (!(sol[a]! > 0)) return false;
    const l2 = new Float64Array(n);
    S.forEach((i, a) => (l2[i] = sol[a]!));
    const g2 = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let c = 0; c < n; c++) s += G[i * n + c]! * l2[c]!;
      g2[i] = s;
    }
    if (violationOf(l2, g2) > tol) return false;
    lam.set(l2);
    g.set(g2);
    return true;
  };
  let sweeps = 0;
  let converged = false;
  let lastSupport = '';
  let lamMaxBound = 0;
  for (let i = 0; i < n; i++) lamMaxBound = Math.max(lamMaxBound, 1 / G[i * n + i]!);
  while (sweeps < maxSweeps) {
    sweeps++;
    for (let i = 0; i < n; i++) {
      const nl = Math.max(0, lam[i]! + (1 - g[i]!) / G[i * n + i]!);
      const delta = nl - lam[i]!;
      if (delta !== 0) {
        lam[i] = nl;
        for (let k = 0; k < n; k++) g[k] = g[k]! + delta * G[k * n + i]!;
      }
    }
    // refresh g against drift now and then
    if (sweeps % 64 === 0) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let c = 0; c < n; c++) s += G[i * n + c]! * lam[c]!;
        g[i] = s;
      }
    }
    if (violationOf(lam, g) <= tol) {
      converged = true;
      break;
    }
    const support = Array.from(lam, (l) => (l > 0 ? '1' : '0')).join('');
    if (support === lastSupport || sweeps % 16 === 0) {
      if (tryPolish()) {
        converged = true;
        break;
      }
    }
    lastSupport = support;
    let lmax = 0;
    for (let i = 0; i < n; i++) lmax = Math.max(lmax, lam[i]!);
    if (!Number.isFinite(lmax) || lmax > 1e12 * lamMaxBound * n) {
      throw new Error('max-margin multipliers diverge: data not separable through the origin');
    }
  }
  const w = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) {
    const c = lam[i]! * y[i]!;
    if (c === 0) continue;
    const x = X[i]!;
    for (let t = 0; t < d; t++) w[t] = w[t]! + c * x[t]!;
  }
  const margins = marginsLinear(w, X, y);
  const lambda = Array.from(lam);
  return { w, lambda, margins, violation: violationOf(lambda, margins), sweeps, converged };
}

/** Effective steps c_r for the forgotten points, margins taken at the given model. */
export function effectiveSteps(forget: readonly number[], step: GaStep, margin: (r: number) => number): number[] {
  if ('kappa' in step) {
    return forget.map((r) => {
      const l = step.lambda[r];
      if (l === undefined) throw new Error(`lambda has no entry for forgotten point ${r}`);
      return step.kappa * l;
    });
  }
  return forget.map((r) => -step.beta * lossDeriv(step.loss, margin(r)));
}

/** One batch GA step w~ = w - Σ_r c_r y_r x_r (all margins at the original w). */
export function gaStepLinear(
  w: readonly number[],
  X: readonly Vec[],
  y: readonly number[],
  forget: readonly number[],
  step: GaStep,
): number[] {
  const c = effectiveSteps(forget, step, (r) => y[r]! * dot(w, X[r]!));
  const out = w.slice();
  forget.forEach((r, k) => {
    const f = c[k]! * y[r]!;
    const x = X[r]!;
    for (let t = 0; t < out.length; t++) out[t] = out[t]! - f * x[t]!;
  });
  return out;
}
