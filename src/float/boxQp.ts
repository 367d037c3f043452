// The box-and-chain QP behind the float certificate: minimize θ² - 2bᵀz + zᵀHz over
// 0 <= λ_i <= cap_i, 0 <= μ_ji <= λ_i. Accelerated projected gradient (FISTA) with an
// active-set polish; among several minimizers, the least-norm one.

import { cholesky, cholSolve, maxEig, minNormSolvePSD } from './linalg.ts';

export interface Problem {
  nv: number;
  H: Float64Array; // nv×nv, f(z) = θ² - 2bᵀz + zᵀHz
  b: Float64Array;
  groups: { lam: number; mus: number[]; cap: number }[]; // per point i: index of λ_i, of its μ's, and λ_i <= cap
}

/** Euclidean projection onto {0 <= λ <= cap, 0 <= μ <= λ} group by group, in place. */
function project(z: Float64Array, prob: Problem): void {
  for (const g of prob.groups) {
    const lh = z[g.lam]!;
    if (g.mus.length === 0) {
      z[g.lam] = Math.min(Math.max(0, lh), g.cap);
      continue;
    }
    const u = g.mus
      .map((p) => z[p]!)
      .filter((x) => x > 0)
      .sort((a, b) => b - a);
    let lam = lh;
    let sum = lh;
    for (let t = 0; t <= u.length; t++) {
      lam = sum / (1 + t);
      if (t === u.length || u[t]! <= lam) break;
      sum += u[t]!;
    }
    // h(λ) is convex, so the capped minimizer is the clipped one
    lam = Math.min(Math.max(0, lam), g.cap);
    z[g.lam] = lam;
    for (const p of g.mus) z[p] = Math.min(Math.max(z[p]!, 0), lam);
  }
}

/** ½ zᵀ(H + ηI)z - bᵀz and its gradient (H + ηI)z - b. */
function objective(prob: Problem, z: Float64Array, grad?: Float64Array, eta = 0): number {
  const { nv, H, b } = prob;
  let f = 0;
  for (let p = 0; p < nv; p++) {
    let hz = eta * z[p]!;
    for (let q = 0; q < nv; q++) hz += H[p * nv + q]! * z[q]!;
    if (grad) grad[p] = hz - b[p]!;
    f += z[p]! * (0.5 * hz - b[p]!);
  }
  return f;
}

function maxAbs(z: ArrayLike<number>): number {
  let s = 0;
  for (let p = 0; p < z.length; p++) s = Math.max(s, Math.abs(z[p]!));
  return s;
}

/**
 * The face of z: reduced columns (each a set of original variables sharing one value: λ_i
 * with the μ_ji tied to it, or a free μ_ji), plus variables fixed at a cap. With `grad` given,
 * variables at a bound whose gradient vanishes (degenerate) are freed too.
 */
interface Face {
  cols: number[][];
  /** upper bound of a column: the column index of its λ (free μ), or -1 */
  upperCol: number[];
  /** upper bound of a column as a number (cap), Infinity if none */
  upperVal: number[];
  /** variables fixed at a nonzero value (λ at its cap, with its tied μ's) */
  fixed: { vars: number[]; value: number }[];
  singular: boolean;
}

function faceOf(prob: Problem, z: Float64Array, grad: Float64Array | null, gtol: number): Face {
  const tiny = 1e-9 * maxAbs(z);
  const degenerate = (p: number) => grad !== null && Math.abs(grad[p]!) <= gtol;
  const face: Face = { cols: [], upperCol: [], upperVal: [], fixed: [], singular: false };
  for (const g of prob.groups) {
    const lam = z[g.lam]!;
    const lamFree = lam > tiny || degenerate(g.lam);
    if (!lamFree) continue;
    const atCap = Number.isFinite(g.cap) && lam >= g.cap - tiny && !degenerate(g.lam);
    let lamCol = -1;
    let c: number[];
    if (atCap) {
      c = [g.lam];
      face.fixed.push({ vars: c, value: g.cap });
    } else {
      lamCol = face.cols.length;
      c = [g.lam];
      face.cols.push(c);
      face.upperCol.push(-1);
      face.upperVal.push(g.cap);
    }
    for (const p of g.mus) {
      const mu = z[p]!;
      const atZero = mu <= tiny;
      const atLam = !atZero && mu >= lam - tiny;
      if ((atZero || atLam) && !degenerate(p)) {
        if (atLam) c.push(p);
        continue;
      }
      face.cols.push([p]);
      face.upperCol.push(lamCol);
      face.upperVal.push(atCap ? g.cap : Infinity);
    }
  }
  return face;
}

/** Least-norm minimizer of the QP restricted to the face (bounds dropped); null if infeasible. */
function polishFace(prob: Problem, face: Face): Float64Array | null {
  const { nv, H, b } = prob;
  const { cols, upperCol, upperVal, fixed } = face;
  const r = cols.length;
  // right-hand side with the fixed variables moved over
  const bf = Float64Array.from(b);
  for (const f of fixed) {
    for (const q of f.vars) for (let p = 0; p < nv; p++) bf[p] = bf[p]! - H[p * nv + q]! * f.value;
  }
  // weights: a reduced variable stands for |cols[a]| equal entries of z
  const sw = cols.map((c) => Math.sqrt(c.length));
  const Hr = new Float64Array(r * r);
  const br = new Float64Array(r);
  for (let a = 0; a < r; a++) {
    let ba = 0;
    for (const p of cols[a]!) ba += bf[p]!;
    br[a] = ba / sw[a]!;
    for (let c = a; c < r; c++) {
      let h = 0;
      for (const p of cols[a]!) for (const q of cols[c]!) h += H[p * nv + q]!;
      h /= sw[a]! * sw[c]!;
      Hr[a * r + c] = h;
      Hr[c * r + a] = h;
    }
  }
  const L = Float64Array.from(Hr);
  let w: Float64Array;
  if (cholesky(L, r)) w = cholSolve(L, r, br);
  else {
    face.singular = true;
    w = minNormSolvePSD(Hr, r, br);
  }
  const u = w.map((x, a) => x / sw[a]!);
  const slack = 1e-12 * Math.max(maxAbs(u), ...fixed.map((f) => f.value));
  for (let a = 0; a < r; a++) {
    if (!(u[a]! >= -slack)) return null;
    const lc = upperCol[a]!;
    if (lc >= 0 && !(u[a]! <= u[lc]! + slack)) return null;
    if (!(u[a]! <= upperVal[a]! + slack)) return null;
  }
  const out = new Float64Array(nv);
  for (const f of fixed) for (const p of f.vars) out[p] = f.value;
  for (let a = 0; a < r; a++) for (const p of cols[a]!) out[p] = u[a]!;
  project(out, prob);
  return out;
}

interface Solver {
  prob: Problem;
  L: number;
  tol: number;
  grad: Float64Array;
}

function gradStep(sv: Solver, from: Float64Array, eta: number): Float64Array {
  const { prob, grad } = sv;
  objective(prob, from, grad, eta);
  const step = 1 / (sv.L + eta);
  const out = new Float64Array(prob.nv);
  for (let p = 0; p < prob.nv; p++) out[p] = from[p]! - grad[p]! * step;
  project(out, prob);
  return out;
}

/** Optimality of z for the unregularized problem: the projected gradient step barely moves it. */
function isOptimal(sv: Solver, z: Float64Array): boolean {
  const t = gradStep(sv, z, 0);
  let mv = 0;
  for (let p = 0; p < z.length; p++) mv = Math.max(mv, Math.abs(t[p]! - z[p]!));
  return mv <= sv.tol * Math.max(maxAbs(z), 1e-300);
}

function gradTol(sv: Solver): number {
  return 1e-9 * Math.max(maxAbs(sv.prob.b), 1e-300);
}

/**
 * FISTA with adaptive restart on ½zᵀ(H+ηI)z - bᵀz over the feasible set, polishing now and then
 * (polish results are kept only if they do not increase the objective). With eta = 0 it stops
 * as soon as a polished or plain iterate is optimal.
 */
function fista(
  sv: Solver,
  z0: Float64Array,
  eta: number,
  maxIter: number,
): { z: Float64Array; iterations: number; converged: boolean } {
  const { prob } = sv;
  const nv = prob.nv;
  let z: Float64Array = Float64Array.from(z0);
  let yk: Float64Array = Float64Array.from(z);
  let tk = 1;
  let iterations = 0;
  if (eta === 0 && isOptimal(sv, z)) return { z, iterations, converged: true };
  while (iterations < maxIter) {
    iterations++;
    let zn = gradStep(sv, yk, eta);
    let tn = (1 + Math.sqrt(1 + 4 * tk * tk)) / 2;
    if (objective(prob, zn, undefined, eta) > objective(prob, z, undefined, eta)) {
      zn = gradStep(sv, z, eta);
      tk = 1;
      tn = 1;
    }
    const zPrev = z;
    z = zn;
    for (let p = 0; p < nv; p++) yk[p] = z[p]! + ((tk - 1) / tn) * (z[p]! - zPrev[p]!);
    tk = tn;
    if (iterations <= 2 || iterations % 25 === 0) {
      if (eta === 0) {
        const zp = polishFace(prob, faceOf(prob, z, null, 0));
        const fz = objective(prob, z);
        if (zp && objective(prob, zp) <= fz + 1e-14 * Math.abs(fz)) {
          z = zp;
          yk = Float64Array.from(z);
          tk = 1;
        }
        if (isOptimal(sv, z)) return { z, iterations, converged: true };
      } else if (iterations % 25 === 0) {
        // regularized: stop when the iterate is a fixed point of the projected gradient map
        const t = gradStep(sv, z, eta);
        let mv = 0;
        for (let p = 0; p < nv; p++) mv = Math.max(mv, Math.abs(t[p]! - z[p]!));
        if (mv <= 1e-15 * Math.max(maxAbs(z), 1e-300)) return { z, iterations, converged: true };
      }
    }
  }
  return { z, iterations, converged: eta === 0 ? isOptimal(sv, z) : false };
}

function norm2(z: Float64Array): number {
  let s = 0;
  for (let p = 0; p < z.length; p++) s += z[p]! * z[p]!;
  return s;
}

export interface Solved {
  z: Float64Array;
  f: number;
  iterations: number;
  converged: boolean;
  /** several minimizers (z is then the least-norm one found) */
  degenerate: boolean;
}

/** Minimizer of one QP; among several, the least-norm one (enlarged-face polish, Tikhonov continuation). */
export function solve(prob: Problem, tol: number, maxIterOpt?: number): Solved {
  const { nv } = prob;
  // default budget: about 5e8 multiply-adds (the polish normally ends it within a few dozen steps)
  const maxIter = maxIterOpt ?? Math.min(200_000, Math.max(1000, Math.floor(5e8 / (3 * nv * nv + 1))));
  const sv: Solver = { prob, L: maxEig(prob.H, nv) * 1.05 + 1e-300, tol, grad: new Float64Array(nv) };
  // start: every variable free (least-norm solution), projected
  let z0: Float64Array = new Float64Array(nv).fill(1);
  z0 = polishFace(prob, faceOf(prob, z0, null, 0)) ?? new Float64Array(nv);
  project(z0, prob);
  const run = fista(sv, z0, 0, maxIter);
  let z = run.z;
  let iterations = run.iterations;
  let degenerate = false;
  if (run.converged && nv > 0) {
    // several minimizers? Only if H is singular on the face enlarged by the degenerate
    // bounds (those whose gradient vanishes): otherwise no direction keeps the objective.
    const grad = new Float64Array(nv);
    objective(prob, z, grad);
    const gtol = gradTol(sv);
    const bigFace = faceOf(prob, z, grad, gtol);
    const enlarged = polishFace(prob, bigFace);
    degenerate = bigFace.singular;
    if (degenerate) {
      const candidates: Float64Array[] = [z];
      if (enlarged && isOptimal(sv, enlarged)) candidates.push(enlarged);
      let warm = z;
      for (const rel of [1e-2, 1e-4]) {
        const reg = fista(sv, warm, rel * sv.L, Math.min(maxIter, 20_000));
        iterations += reg.iterations;
        warm = reg.z;
        const gr = new Float64Array(nv);
        objective(prob, reg.z, gr);
        for (const f of [faceOf(prob, reg.z, null, 0), faceOf(prob, reg.z, gr, gtol)]) {
          const zp = polishFace(prob, f);
          if (zp && isOptimal(sv, zp)) candidates.push(zp);
        }
      }
      const fz = objective(prob, z);
      const ok = candidates.filter((c) => objective(prob, c) <= fz + 1e-12 * Math.abs(fz));
      z = ok.reduce((best, c) => (norm2(c) < norm2(best) * (1 - 1e-12) ? c : best), z);
    }
  }
  return { z, f: objective(prob, z), iterations, converged: run.converged, degenerate };
}
