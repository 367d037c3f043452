// The benchmark workloads (issue "Performance: exact arithmetic at near-float speed"): the
// same inputs through three implementations. Setup (data, the given pattern) is untimed;
// each pipeline function below is what gets timed.
//   W1 linear  n = 32, d = 4096, rademacher seed 1, forget {0}, κ = 1
//   W2 relu2   n = 16, d = 1024, m = 32 (v = ±1 alternating), rademacher seed 1, forget {0}, κ = 1
import { create, all, type Fraction, type MathJsInstance } from 'mathjs';
import { rademacher } from '../src/data/generators.ts';
import type { Dataset } from '../src/data/dataset.ts';
import { Rational } from '../src/exact/rational.ts';
import { runCase, contextOf, retainedOf } from '../src/unlearn/pipeline.ts';
import { gaStep } from '../src/unlearn/ga.ts';
import { certify, type Certificate } from '../src/kkt/certificate.ts';
import { polish, trainToKKT, type Pattern } from '../src/kkt/polish.ts';
import { marginsOf, tauOf } from '../src/models/model.ts';
import { dot, gram, roundingTol } from '../src/float/linalg.ts';
import { maxMarginFloat, gaStepLinear } from '../src/float/linearFloat.ts';
import { certificateFloat } from '../src/float/certificateFloat.ts';
import { gaStepRelu2, patternByRounding, preActivations } from '../src/float/relu2Float.ts';

/** What each pipeline reports, to cross-check the implementations against each other. */
export interface Summary {
  epsilon2: number;
  delta: number;
  tau: number;
  /** ||θ~ - θ*_R||² (linear only) */
  dist2?: number;
}

const ONE = Rational.ONE;

function toFloat(data: Dataset): number[][] {
  return data.x.map((x) => {
    const s = x.scale.toNumber();
    return Array.from(x.ints, (t) => Number(t) * s);
  });
}

// ---------------------------------------------------------------- W1 linear

export interface W1Input {
  n: number;
  d: number;
  data: Dataset;
  X: number[][];
  y: number[];
  forget: number[];
}

export function w1Input(n = 32, d = 4096, seed = 1): W1Input {
  const data = rademacher({ n, d, seed });
  return { n, d, data, X: toFloat(data), y: data.y.slice(), forget: [0] };
}

/** runCase on the linear case with theta null: max-margin, certificate before, GA, certificates after, retraining. */
export function w1Exact(inp: W1Input): Summary {
  const run = runCase({
    model: { kind: 'linear' },
    data: inp.data,
    theta: null,
    forget: inp.forget,
    step: { kind: 'kappa', kappa: ONE },
    gradient: 'autodiff',
  });
  return {
    epsilon2: run.after.epsilon2.toNumber(),
    delta: run.after.delta.toNumber(),
    tau: run.after.tau.toNumber(),
    dist2: run.retrained!.closeness.distance2.toNumber(),
  };
}

/** The same pipeline in float64 (src/float), step for step. */
export function w1Float(inp: W1Input): Summary {
  const { X, y, forget } = inp;
  const n = X.length;
  const retained = retainedOf(n, forget);
  const mm = maxMarginFloat(X, y);
  const w = mm.w;
  // certificate before (as the float subject does: the optimal certificate of w)
  const before = certificateFloat({
    G: gram(X),
    y,
    v: [1],
    P: [X.map((x) => dot(w, x))],
    pattern: [X.map(() => 1)],
    theta2: dot(w, w),
  });
  const wt = gaStepLinear(w, X, y, forget, { kappa: 1, lambda: before.lambda });
  // certificate after, on R
  const XR = retained.map((i) => X[i]!);
  const yR = retained.map((i) => y[i]!);
  const GR = gram(XR);
  const P = XR.map((x) => dot(wt, x));
  const theta2 = dot(wt, wt);
  const after = certificateFloat({ G: GR, y: yR, v: [1], P: [P], pattern: [XR.map(() => 1)], theta2 });
  const q = P.map((p, a) => yR[a]! * p);
  // inherited certificate residual ||w~ - Σ_R λ_i y_i x_i||² (runCase computes it too)
  const res = wt.slice();
  retained.forEach((i) => {
    const c = before.lambda[i]! * y[i]!;
    const x = X[i]!;
    for (let t = 0; t < res.length; t++) res[t] = res[t]! - c * x[t]!;
  });
  void dot(res, res);
  // retraining and closeness
  const star = maxMarginFloat(XR, yR);
  let dist2 = 0;
  for (let t = 0; t < wt.length; t++) dist2 += (wt[t]! - star.w[t]!) ** 2;
  return {
    epsilon2: after.epsilon2,
    delta: Math.max(0, ...after.lambda.map((l, a) => l * (q[a]! - 1))),
    tau: Math.max(0, ...q.map((qa) => 1 - qa)),
    dist2,
  };
}

// The naive exact pipeline: mathjs Fraction matrices, d-dimensional fraction vectors,
// Gram by fraction dot products, every solve by mathjs lusolve. Assumes every point is a
// support vector (true for the W1 inputs; checked).
export interface NaiveInput {
  math: MathJsInstance;
  X: Fraction[][];
  y: number[];
  forget: number[];
}

export function naiveInput(inp: W1Input): NaiveInput {
  const math = create(all);
  return {
    math,
    X: inp.data.x.map((x) => x.toRationals().map((q) => math.fraction(`${q.num}/${q.den}`) as Fraction)),
    y: inp.y,
    forget: inp.forget,
  };
}

export function w1Naive(inp: NaiveInput): Summary {
  const { math, X, y, forget } = inp;
  const F = (v: number | string) => math.fraction(v) as Fraction;
  const add = (a: Fraction, b: Fraction) => math.add(a, b) as Fraction;
  const mul = (a: Fraction, b: Fraction) => math.multiply(a, b) as Fraction;
  const sub = (a: Fraction, b: Fraction) => math.subtract(a, b) as Fraction;
  const fdot = (a: Fraction[], b: Fraction[]) => a.reduce((s, v, t) => add(s, mul(v, b[t]!)), F(0));
  const n = X.length;
  const d = X[0]!.length;
  const Y = y.map((v) => F(v));
  const G: Fraction[][] = Array.from({ length: n }, () => new Array<Fraction>(n));
  for (let i = 0; i < n; i++)
    for (let k = i; k < n; k++) G[i]![k] = G[k]![i] = mul(mul(Y[i]!, Y[k]!), fdot(X[i]!, X[k]!));
  const solveOn = (pts: number[], rhs: Fraction[]) =>
    (
      math.lusolve(
        pts.map((i) => pts.map((k) => G[i]![k]!)),
        rhs,
      ) as unknown as Fraction[][]
    ).map((r) => r[0]!);
  const combo = (pts: number[], lam: Fraction[]) => {
    let w = new Array<Fraction>(d).fill(F(0));
    pts.forEach((i, a) => {
      const c = mul(lam[a]!, Y[i]!);
      w = w.map((v, t) => add(v, mul(c, X[i]![t]!)));
    });
    return w;
  };
  const all = Array.from({ length: n }, (_, i) => i);
  const lambda = solveOn(
    all,
    all.map(() => F(1)),
  );
  if (lambda.some((l) => Number(l) <= 0)) throw new Error('naive pipeline: a support vector dropped out (not covered)');
  const w = combo(all, lambda);
  // GA, κ = 1
  let wt = w;
  for (const r of forget) {
    const c = mul(lambda[r]!, Y[r]!);
    wt = wt.map((v, t) => sub(v, mul(c, X[r]![t]!)));
  }
  // certificate after on R (all multipliers positive: one solve), residual in d dimensions
  const R = retainedOf(n, forget);
  const q = R.map((i) => mul(Y[i]!, fdot(wt, X[i]!)));
  const lamR = solveOn(R, q);
  const res = combo(R, lamR).map((v, t) => sub(wt[t]!, v));
  const epsilon2 = fdot(res, res);
  const delta = lamR.reduce((m, l, a) => math.max(m, mul(l, sub(q[a]!, F(1)))) as Fraction, F(0));
  const tau = q.reduce((m, qa) => math.max(m, sub(F(1), qa)) as Fraction, F(0));
  // retraining on R
  const lamStar = solveOn(
    R,
    R.map(() => F(1)),
  );
  const diff = combo(R, lamStar).map((v, t) => sub(wt[t]!, v));
  const dist2 = fdot(diff, diff);
  return { epsilon2: Number(epsilon2), delta: Number(delta), tau: Number(tau), dist2: Number(dist2) };
}

// ---------------------------------------------------------------- W2 relu2

export interface W2Input {
  n: number;
  d: number;
  m: number;
  data: Dataset;
  v: Rational[];
  pattern: Pattern;
  X: number[][];
  y: number[];
  vf: number[];
  patternF: number[][];
  forget: number[];
}

/** The given pattern comes from T1's practical route (float training, untimed setup). */
export function w2Input(n = 16, d = 1024, m = 32, seed = 1): W2Input {
  const data = rademacher({ n, d, seed });
  const v = Array.from({ length: m }, (_, j) => Rational.of(j % 2 ? -1 : 1));
  const kkt = trainToKKT(data, v, { seed, steps: 20000 });
  if (!kkt) throw new Error('W2 setup: float training gave no pattern that polishes to a KKT point');
  const pattern = kkt.pattern;
  const code = { on: 1, kink: 0, off: -1 } as const;
  return {
    n,
    d,
    m,
    data,
    v,
    pattern,
    X: toFloat(data),
    y: data.y.slice(),
    vf: v.map((q) => q.toNumber()),
    patternF: pattern.map((r) => r.map((a) => code[a])),
    forget: [0],
  };
}

/** T1 polish from the pattern, GA (κ = 1, autodiff) with the T1 certificate, optimal certificate after on R. */
export function w2Exact(inp: W2Input): Summary {
  const ctx = contextOf({ kind: 'relu2', v: inp.v }, inp.data);
  const res = polish(inp.data, inp.v, inp.pattern, { G: ctx.G });
  if (!res.ok) throw new Error(`W2: polish failed: ${res.reason}`);
  const k = res.kkt;
  const margins = marginsOf(ctx.model, k.params.pre, inp.data.y);
  const before: Certificate = {
    margins,
    tau: tauOf(margins),
    epsilon2: Rational.ZERO,
    delta: Rational.ZERO,
    lambda: k.lambda,
    kinks: k.kinks,
  };
  const ga = gaStep(ctx, k.params, inp.forget, { kind: 'kappa', kappa: ONE }, before, 'autodiff');
  const after = certify(ctx, ga.params, retainedOf(inp.n, inp.forget));
  return { epsilon2: after.epsilon2.toNumber(), delta: after.delta.toNumber(), tau: after.tau.toNumber() };
}

/** Gaussian elimination with partial pivoting (float64), for the float T1 system. */
function luSolve(A: number[][], b: number[]): number[] {
  const n = b.length;
  const M = A.map((r, i) => [...r, b[i]!]);
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(M[i]![k]!) > Math.abs(M[p]![k]!)) p = i;
    [M[k], M[p]] = [M[p]!, M[k]!];
    const pk = M[k]!;
    for (let i = k + 1; i < n; i++) {
      const f = M[i]![k]! / pk[k]!;
      if (f === 0) continue;
      const row = M[i]!;
      for (let j = k; j <= n; j++) row[j] = row[j]! - f * pk[j]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let s = M[i]![n]!;
    for (let j = i + 1; j < n; j++) s -= M[i]![j]! * x[j]!;
    x[i] = s / M[i]![i]!;
  }
  return x;
}

/** The same pipeline in float64: the T1 system solved by LU, W materialized, float GA, float certificate after. */
export function w2Float(inp: W2Input): Summary {
  const { X, y, vf: v, patternF: pat, forget, n, m } = inp;
  const G = gram(X);
  // T1 square system: unknowns λ_i then μ_ji at kinks (all points in the support)
  const mu: [number, number][] = [];
  for (let j = 0; j < m; j++) for (let i = 0; i < n; i++) if (pat[j]![i] === 0) mu.push([j, i]);
  const muIdx = new Map(mu.map(([j, i], k) => [j * n + i, n + k]));
  const U = n + mu.length;
  const unk = (j: number, i: number) => (pat[j]![i] === 1 ? i : pat[j]![i] === 0 ? muIdx.get(j * n + i)! : -1);
  const A: number[][] = [];
  const b: number[] = [];
  for (let k = 0; k < n; k++) {
    const r = new Array<number>(U).fill(0);
    for (let j = 0; j < m; j++) {
      if (pat[j]![k] !== 1) continue;
      for (let i = 0; i < n; i++) {
        const u = unk(j, i);
        if (u >= 0) r[u] = r[u]! + v[j]! * v[j]! * y[k]! * y[i]! * G[i * n + k]!;
      }
    }
    A.push(r);
    b.push(1);
  }
  for (const [j, k] of mu) {
    const r = new Array<number>(U).fill(0);
    for (let i = 0; i < n; i++) {
      const u = unk(j, i);
      if (u >= 0) r[u] = r[u]! + y[i]! * G[i * n + k]!;
    }
    A.push(r);
    b.push(0);
  }
  const z = luSolve(A, b);
  const lambda = z.slice(0, n);
  const d = X[0]!.length;
  const W = Array.from({ length: m }, (_, j) => {
    const w = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      const u = unk(j, i);
      if (u < 0) continue;
      const c = v[j]! * y[i]! * z[u]!;
      const x = X[i]!;
      for (let t = 0; t < d; t++) w[t] = w[t]! + c * x[t]!;
    }
    return w;
  });
  const Wt = gaStepRelu2(W, X, y, v, forget, { kappa: 1, lambda }, 'autodiff', undefined, { pattern: pat });
  const R = retainedOf(n, forget);
  const XR = R.map((i) => X[i]!);
  const yR = R.map((i) => y[i]!);
  const P = preActivations(Wt, XR);
  const patR = patternByRounding(Wt, XR, roundingTol(d));
  let theta2 = 0;
  for (const w of Wt) theta2 += dot(w, w);
  const after = certificateFloat({ G: gram(XR), y: yR, v, P, pattern: patR, theta2 });
  const q = yR.map((ya, a) => {
    let s = 0;
    for (let j = 0; j < m; j++) if (P[j]![a]! > 0) s += v[j]! * P[j]![a]!;
    return ya * s;
  });
  return {
    epsilon2: after.epsilon2,
    delta: Math.max(0, ...after.lambda.map((l, a) => l * (q[a]! - 1))),
    tau: Math.max(0, ...q.map((qa) => 1 - qa)),
  };
}
