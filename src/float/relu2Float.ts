// Float64 two-layer ReLU network N(x) = Σ_j v_j max(<w_j, x>, 0) with fixed output weights v.

import { absDot, dot, gram, type Vec } from './linalg.ts';
import { effectiveSteps, type GaStep } from './linearFloat.ts';
import { gradientWeights, type Loss } from './loss.ts';
import { gaussian, mulberry32 } from './prng.ts';

export interface TrainRelu2Options {
  loss: Loss;
  steps: number;
  lr: number;
  seed: number;
  /** Initial weights are i.i.d. N(0, initScale^2). */
  initScale: number;
  /** Divide the gradient by the total loss Σ ℓ(q_i) (scale-free step). */
  normalized?: boolean;
}

/** P[j][i] = <w_j, x_i>. */
export function preActivations(W: readonly Vec[], X: readonly Vec[]): number[][] {
  return W.map((w) => X.map((x) => dot(w, x)));
}

/** N(x_i; W) for every row of X. */
function outputsRelu2(W: readonly Vec[], X: readonly Vec[], v: readonly number[]): number[] {
  return X.map((x) => {
    let s = 0;
    W.forEach((w, j) => {
      const p = dot(w, x);
      if (p > 0) s += v[j]! * p;
    });
    return s;
  });
}

/** Margins q_i = y_i N(x_i; W). */
export function marginsRelu2(
  W: readonly Vec[],
  X: readonly Vec[],
  y: readonly number[],
  v: readonly number[],
): number[] {
  return outputsRelu2(W, X, v).map((o, i) => y[i]! * o);
}

/** Seeded initialization W0 (m×d), entries N(0, initScale^2). */
export function initRelu2(m: number, d: number, seed: number, initScale: number): Float64Array[] {
  const g = gaussian(mulberry32(seed));
  return Array.from({ length: m }, () => {
    const w = new Float64Array(d);
    for (let t = 0; t < d; t++) w[t] = initScale * g();
    return w;
  });
}

/**
 * Gradient descent on Σ_i ℓ(y_i N(x_i; W)) with the autodiff convention (σ'(0) = 0).
 * Every update of w_j is a combination of the x_i, so W is kept as W0 + A X (A is m×n)
 * and pre-activations as P = W0 Xᵀ + A G: O(m n^2) per step, independent of d.
 * W is assembled once at the end. Returns W as m rows of d numbers.
 */
export function trainRelu2(
  X: readonly Vec[],
  y: readonly number[],
  v: readonly number[],
  opts: TrainRelu2Options,
): number[][] {
  const n = X.length;
  const m = v.length;
  const d = n > 0 ? X[0]!.length : 0;
  const W0 = initRelu2(m, d, opts.seed, opts.initScale);
  const G = gram(X);
  const P0 = new Float64Array(m * n);
  for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) P0[j * n + i] = dot(W0[j]!, X[i]!);
  const A = new Float64Array(m * n);
  const P = new Float64Array(m * n);
  const q = new Float64Array(n);
  const r = new Float64Array(n);
  const normalized = opts.normalized ?? false;
  const lr = opts.lr;
  for (let step = 0; step < opts.steps; step++) {
    // P = P0 + A G
    for (let j = 0; j < m; j++) {
      const jn = j * n;
      for (let i = 0; i < n; i++) {
        let s = P0[jn + i]!;
        for (let k = 0; k < n; k++) s += A[jn + k]! * G[k * n + i]!;
        P[jn + i] = s;
      }
    }
    q.fill(0);
    for (let j = 0; j < m; j++) {
      const vj = v[j]!;
      const jn = j * n;
      for (let i = 0; i < n; i++) {
        const p = P[jn + i]!;
        if (p > 0) q[i] = q[i]! + vj * p;
      }
    }
    for (let i = 0; i < n; i++) q[i] = q[i]! * y[i]!;
    gradientWeights(opts.loss, q, normalized, r);
    // w_j <- w_j - lr Σ_i ℓ'(q_i) y_i v_j 1[p_ji > 0] x_i   (ℓ' = -r)
    for (let j = 0; j < m; j++) {
      const f = lr * v[j]!;
      const jn = j * n;
      for (let i = 0; i < n; i++) if (P[jn + i]! > 0) A[jn + i] = A[jn + i]! + f * r[i]! * y[i]!;
    }
  }
  const W: number[][] = [];
  for (let j = 0; j < m; j++) {
    const w = Float64Array.from(W0[j]!);
    const jn = j * n;
    for (let i = 0; i < n; i++) {
      const a = A[jn + i]!;
      if (a === 0) continue;
      const x = X[i]!;
      for (let t = 0; t < d; t++) w[t] = w[t]! + a * x[t]!;
    }
    W.push(Array.from(w));
  }
  return W;
}

/**
 * 3-valued pattern sign(<w_j, x_i>) in {1, 0, -1}; |<w_j, x_i>| <= relTol * max_{j,i} |<w_j, x_i>|
 * reads as 0 (a kink).
 */
export function patternOf(W: readonly Vec[], X: readonly Vec[], relTol: number): number[][] {
  const P = preActivations(W, X);
  let mx = 0;
  for (const row of P) for (const p of row) mx = Math.max(mx, Math.abs(p));
  const thr = relTol * mx;
  return P.map((row) => row.map((p) => (Math.abs(p) <= thr ? 0 : p > 0 ? 1 : -1)));
}

/**
 * Pattern where a pair is a kink when its computed pre-activation cannot be told from 0:
 * |<w_j, x_i>| <= tol * Σ_t |w_jt x_it| (tol = 0: exact zeros only).
 */
export function patternByRounding(W: readonly Vec[], X: readonly Vec[], tol: number): number[][] {
  return W.map((w) =>
    X.map((x) => {
      const p = dot(w, x);
      if (Math.abs(p) <= tol * absDot(w, x)) return 0;
      return p > 0 ? 1 : -1;
    }),
  );
}

export interface GaRelu2Options {
  /**
   * A pre-activation <w_j, x_r> with |value| <= kinkTol * Σ_t |w_jt x_rt| counts as a kink
   * (default 0: only exact zeros). Autodiff takes s = 0 at kinks; clarke takes clarkeChoice.
   */
  kinkTol?: number;
  /**
   * A known pattern (m×n, 1/0/-1) that decides the gates instead of the computed signs, e.g.
   * one refined by exact sign tests; 0 is a kink.
   */
  pattern?: readonly (readonly number[])[];
}

/**
 * One batch GA step W~ = W - Σ_r c_r y_r ∇_W N(x_r; W): row j moves by -c_r y_r v_j g_jr x_r,
 * g_jr = 1 if <w_j, x_r> > 0, 0 if < 0, and at a kink 0 (autodiff) or clarkeChoice[j][r]
 * (clarke; m×n matrix of s values in [0, 1], required when a forgotten point sits on a kink).
 * Margins (for beta steps) and gradients are taken at the original W.
 */
export function gaStepRelu2(
  W: readonly Vec[],
  X: readonly Vec[],
  y: readonly number[],
  v: readonly number[],
  forget: readonly number[],
  step: GaStep,
  gradient: 'autodiff' | 'clarke' = 'autodiff',
  clarkeChoice?: readonly (readonly number[])[],
  opts: GaRelu2Options = {},
): number[][] {
  const kinkTol = opts.kinkTol ?? 0;
  const m = W.length;
  // g[k][j] for forgotten point forget[k]
  const gates = forget.map((r) => {
    const x = X[r]!;
    return W.map((w, j) => {
      let sign: number;
      const known = opts.pattern?.[j]?.[r];
      if (known !== undefined) sign = known;
      else {
        const p = dot(w, x);
        sign = p === 0 || Math.abs(p) <= kinkTol * absDot(w, x) ? 0 : p > 0 ? 1 : -1;
      }
      if (sign !== 0) return sign > 0 ? 1 : 0;
      if (gradient === 'autodiff') return 0;
      const s = clarkeChoice?.[j]?.[r];
      if (s === undefined)
        throw new Error(
          `clarke gradient: forgotten point ${r} sits on a kink of neuron ${j}; clarkeChoice[${j}][${r}] is needed`,
        );
      return s;
    });
  });
  const c = effectiveSteps(forget, step, (r) => {
    let s = 0;
    const x = X[r]!;
    for (let j = 0; j < m; j++) {
      // the network's own value: σ(p) = max(p, 0), kinks contribute 0 either way
      const p = dot(W[j]!, x);
      if (p > 0) s += v[j]! * p;
    }
    return y[r]! * s;
  });
  return W.map((w, j) => {
    const out = Array.from(w);
    forget.forEach((r, k) => {
      const f = c[k]! * y[r]! * v[j]! * gates[k]![j]!;
      if (f === 0) return;
      const x = X[r]!;
      for (let t = 0; t < out.length; t++) out[t] = out[t]! - f * x[t]!;
    });
    return out;
  });
}
