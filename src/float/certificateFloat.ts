// Float certificate (THEORY.md D2): the λ >= 0 (and Clarke choices μ_ji = λ_i s_ji at kinks)
// minimizing the stationarity residual ||θ - Σ_i λ_i y_i h_i||^2 for a fixed 3-valued pattern.
// Covers both models: linear is m = 1, v = [1], every pair active.
//
// Method: accelerated projected gradient (FISTA) on the small QP in (λ, μ), with an
// active-set polish (exact solve on the guessed active set) that usually ends it early.
// Among several minimizers (dependent columns, e.g. duplicated points) it returns the one of
// least norm, like the exact certificate (src/kkt/certificate.ts): degenerate problems get an
// enlarged-face polish and a short Tikhonov continuation, and the shortest optimal candidate wins.

import { maximizeLP, symEig } from './linalg.ts';
import { type Problem, type Solved, solve } from './boxQp.ts';

export interface CertificateInput {
  /** n×n Gram matrix <x_i, x_k>, row-major. */
  G: ArrayLike<number>;
  y: readonly number[];
  /** Output weights (linear: [1]). */
  v: readonly number[];
  /** P[j][i] = <w_j, x_i>. */
  P: readonly ArrayLike<number>[];
  /** Pattern: 1 active, 0 kink, -1 inactive (m×n). */
  pattern: readonly ArrayLike<number>[];
  /** ||θ||^2. */
  theta2: number;
}

export interface FloatCertificate {
  lambda: number[];
  /** s[j][i]: 1 on active pairs, 0 on inactive, μ_ji/λ_i at kinks (0 when λ_i = 0). */
  s: number[][];
  /** ||θ - Σ λ_i y_i h_i||^2 at the minimizer (float). */
  epsilon2: number;
  iterations: number;
  converged: boolean;
}
interface Built {
  prob: Problem;
  /** variable index of λ_i, or -1 when point i is left out */
  lamIndex: number[];
  /** kink pairs (j, i) with their variable index */
  kinks: { j: number; i: number; index: number }[];
}

/** The QP for the points not in `drop` (dropped points get λ_i = 0 and no variables). */
function build(inp: CertificateInput, drop?: readonly boolean[]): Built {
  const { G, y, v, P, pattern } = inp;
  const n = y.length;
  const m = v.length;
  const lamIndex: number[] = [];
  let nl = 0;
  for (let i = 0; i < n; i++) lamIndex.push(drop?.[i] ? -1 : nl++);
  const kinks: Built['kinks'] = [];
  for (let j = 0; j < m; j++) {
    for (let i = 0; i < n; i++)
      if (pattern[j]![i] === 0 && lamIndex[i]! >= 0) kinks.push({ j, i, index: nl + kinks.length });
  }
  const nv = nl + kinks.length;
  // atoms of each variable: (j, i) pairs, column v_j y_i x_i in block j
  const atoms: [number, number][][] = [];
  for (let i = 0; i < n; i++) {
    if (lamIndex[i]! < 0) continue;
    const a: [number, number][] = [];
    for (let j = 0; j < m; j++) if (pattern[j]![i] === 1) a.push([j, i]);
    atoms.push(a);
  }
  for (const k of kinks) atoms.push([[k.j, k.i]]);
  const H = new Float64Array(nv * nv);
  const b = new Float64Array(nv);
  // per-variable lookup: for each neuron j, the point index of the atom (or -1)
  const byJ: Int32Array[] = atoms.map((a) => {
    const t = new Int32Array(m).fill(-1);
    for (const [j, i] of a) t[j] = i;
    return t;
  });
  for (let p = 0; p < nv; p++) {
    let bp = 0;
    for (const [j, i] of atoms[p]!) bp += v[j]! * y[i]! * P[j]![i]!;
    b[p] = bp;
    for (let q = p; q < nv; q++) {
      let h = 0;
      const tq = byJ[q]!;
      for (const [j, i] of atoms[p]!) {
        const k = tq[j]!;
        if (k >= 0) h += v[j]! * v[j]! * y[i]! * y[k]! * G[i * n + k]!;
      }
      H[p * nv + q] = h;
      H[q * nv + p] = h;
    }
  }
  const groups: Problem['groups'] = [];
  for (let i = 0; i < n; i++) if (lamIndex[i]! >= 0) groups.push({ lam: lamIndex[i]!, mus: [], cap: Infinity });
  const groupOf = new Map(groups.map((g) => [g.lam, g]));
  for (const k of kinks) groupOf.get(lamIndex[k.i]!)!.mus.push(k.index);
  return { prob: { nv, H, b, groups }, lamIndex, kinks };
}

/**
 * t* = min max(0, max_i λ_i (q_i - 1)) over the optimal set {z feasible : H z = H z*},
 * parametrized as z = z* + N u (N a basis of ker H): a small LP in (u, τ = t0 - t).
 */
function leastSlackness(built: Built, zs: Float64Array, q: readonly number[]): { t: number; t0: number } | null {
  const { prob, lamIndex } = built;
  const { nv, H } = prob;
  const { values, V } = symEig(H, nv);
  let mx = 0;
  for (let e = 0; e < nv; e++) mx = Math.max(mx, Math.abs(values[e]!));
  const nullCols: number[] = [];
  for (let e = 0; e < nv; e++) if (Math.abs(values[e]!) <= 1e-10 * mx) nullCols.push(e);
  const k = nullCols.length;
  const Nrow = (p: number) => nullCols.map((e) => V[p * nv + e]!);
  const slackOf = new Map<number, number>(); // λ variable -> q - 1 for slack points
  lamIndex.forEach((p, i) => {
    if (p >= 0 && q[i]! > 1 + 1e-9) slackOf.set(p, q[i]! - 1);
  });
  let t0 = 0;
  for (const [p, wi] of slackOf) t0 = Math.max(t0, wi * zs[p]!);
  if (k === 0 || t0 === 0) return { t: t0, t0 };
  const A: number[][] = [];
  const b: number[] = [];
  const push = (coef: number[], tau: number, rhs: number) => {
    A.push([...coef, ...coef.map((x) => -x), tau]);
    b.push(Math.max(0, rhs));
  };
  for (let p = 0; p < nv; p++)
    push(
      Nrow(p).map((x) => -x),
      0,
      zs[p]!,
    );
  for (const g of prob.groups) {
    const nl = Nrow(g.lam);
    for (const p of g.mus) {
      const np = Nrow(p);
      push(
        np.map((x, c) => x - nl[c]!),
        0,
        zs[g.lam]! - zs[p]!,
      );
    }
  }
  for (const [p, wi] of slackOf)
    push(
      Nrow(p).map((x) => wi * x),
      1,
      t0 - wi * zs[p]!,
    );
  push(new Array<number>(k).fill(0), 1, t0);
  const c = new Array<number>(2 * k + 1).fill(0);
  c[2 * k] = 1;
  const x = maximizeLP(A, b, c);
  if (!x) return null;
  return { t: Math.max(0, t0 - x[2 * k]!), t0 };
}

/**
 * The optimal certificate of θ for the given pattern. When several multiplier vectors attain
 * the least residual, the choice follows the exact reference (src/kkt/certificate.ts): first the
 * least complementary slackness t = max(0, max_i λ_i (q_i - 1)), then the least norm. In float
 * this is done for the common case t = 0 (multipliers only on points with margin <= 1 + 1e-9);
 * when t = 0 is not attainable, the least-norm minimizer is returned.
 */
export function certificateFloat(
  inp: CertificateInput,
  opts: { maxIter?: number; tol?: number } = {},
): FloatCertificate {
  const tol = opts.tol ?? 1e-13;
  const n = inp.y.length;
  const m = inp.v.length;
  let built = build(inp);
  let sol = solve(built.prob, tol, opts.maxIter);
  if (sol.degenerate) {
    // margins q_i = y_i N(x_i) from the pre-activations, active pairs only (linear: all)
    const q = inp.y.map((yi, i) => {
      let s = 0;
      for (let j = 0; j < m; j++) if (inp.pattern[j]![i] === 1) s += inp.v[j]! * inp.P[j]![i]!;
      return yi * s;
    });
    const drop = q.map((qi) => qi > 1 + 1e-9);
    const scale = Math.max(inp.theta2, Math.abs(sol.f), 1e-300);
    const attains = (c: Solved) => c.converged && c.f <= sol.f + 1e-11 * scale;
    let done = false;
    if (drop.some(Boolean)) {
      // t = 0: multipliers only on points with margin <= 1
      const b2 = build(inp, drop);
      const s2 = solve(b2.prob, tol, opts.maxIter);
      if (attains(s2)) {
        built = b2;
        sol = { ...s2, iterations: sol.iterations + s2.iterations };
        done = true;
      }
      if (!done) {
        // t > 0: the least t over the optimal set (an LP), then the least norm under the caps
        const tStar = leastSlackness(built, sol.z, q);
        if (tStar !== null) {
          const prob2: Problem = {
            ...built.prob,
            groups: built.prob.groups.map((g, gi) => {
              const i = built.lamIndex.indexOf(gi);
              const wi = q[i]! - 1;
              return drop[i] ? { ...g, cap: tStar.t / wi } : g;
            }),
          };
          const s3 = solve(prob2, tol, Math.min(opts.maxIter ?? 20_000, 20_000));
          if (attains(s3)) {
            built = { ...built, prob: prob2 };
            sol = { ...s3, iterations: sol.iterations + s3.iterations };
          }
        }
      }
    }
  }
  const { z } = sol;
  const lambda = built.lamIndex.map((k) => (k >= 0 ? z[k]! : 0));
  const s: number[][] = [];
  for (let j = 0; j < m; j++) {
    const row: number[] = [];
    for (let i = 0; i < n; i++) row.push(inp.pattern[j]![i] === 1 ? 1 : 0);
    s.push(row);
  }
  for (const k of built.kinks) {
    const lam = lambda[k.i]!;
    s[k.j]![k.i] = lam > 0 ? Math.min(1, Math.max(0, z[k.index]! / lam)) : 0;
  }
  const epsilon2 = Math.max(0, inp.theta2 + 2 * sol.f);
  return { lambda, s, epsilon2, iterations: sol.iterations, converged: sol.converged };
}
