// The (ε, δ, τ) certificate of THEORY.md D2, exactly.
//
// Problem: over multipliers λ_a >= 0 (one per point of S') and, for relu2, the Clarke
// choices at kinks written as μ_ja = λ_a s_ja with 0 <= μ_ja <= λ_a, minimize the squared
// stationarity residual ε² = ||θ - Σ_a λ_a y_a h_a||² (a convex QP over Q).
// Solver: Lemke on the QP's KKT system (src/exact/qp.ts). The residual is unique but the
// multipliers need not be; among the minimizers we take the smallest δ (clipped at 0),
// then the least norm, so the certificate is canonical and as good as D2 allows.
// τ depends on θ alone; δ is max_a λ_a (q_a - 1) at the returned multipliers.
import { Rational } from '../exact/rational.ts';
import { commonDenominator, matVec } from '../exact/vec.ts';
import { anyMinimizer, leastNorm, optimalFace, solveQP } from '../exact/qp.ts';
import { isMinimizer, leastDeltaMinimizer, nullBasis, nullBasisSplit } from '../exact/face.ts';
import { integerRows } from '../exact/pivot.ts';
import { pivotColumnsModP } from '../exact/modular.ts';
import type { Dataset } from '../data/dataset.ts';
import { type Model, activation, marginsOf, outWeight, tauOf } from '../models/model.ts';
import type { Params } from '../models/params.ts';
import { blockGram, dotExtra } from './blockGram.ts';
import { deltaOf } from './deltaOf.ts';

export interface Context {
  readonly model: Model;
  readonly data: Dataset;
  /** Gram matrix of the data, G[i][k] = <x_i, x_k>. */
  readonly G: readonly (readonly Rational[])[];
}

/** A column of the certificate: point `point`, coefficients per block (0 where absent). */
interface Column {
  point: number;
  /** index of the point within S' (its λ) */
  slot: number;
  coef: Rational[];
  /** the blocks where coef is nonzero, in order */
  blocks: number[];
  /** block j for a kink column μ_ja, or -1 for the λ column */
  kinkBlock: number;
  /** λ columns with an extra block: y_a times the point's gradient there */
  extra?: Rational[];
}

/**
 * Coordinates of θ beyond the blocks θ_j, e.g. trained output weights
 * (docs/THEORY-extensions.md V0): θ's values there and each point's gradient there
 * (independent of the Clarke choices), indexed by point.
 */
export interface ExtraBlock {
  theta: readonly Rational[];
  gradient: readonly (readonly Rational[])[];
}

export interface Certificate {
  /** margins of the points of S', in order */
  margins: Rational[];
  tau: Rational;
  epsilon2: Rational;
  delta: Rational;
  /** λ_a for the points of S', in order */
  lambda: Rational[];
  /** Clarke choices at kinks: s_ja = μ_ja / λ_a (0 where λ_a = 0) */
  kinks: { block: number; point: number; s: Rational }[];
}

function columnsOf(ctx: Context, params: Params, points: readonly number[], extra?: ExtraBlock): Column[] {
  const m = params.blocks;
  const cols: Column[] = [];
  const kinkCols: Column[] = [];
  points.forEach((i, slot) => {
    const yi = ctx.data.y[i] === 1 ? Rational.ONE : Rational.MINUS_ONE;
    const coef = new Array<Rational>(m).fill(Rational.ZERO);
    const on: number[] = [];
    for (let j = 0; j < m; j++) {
      const a = activation(ctx.model, params.pre[j]![i]!);
      const c = outWeight(ctx.model, j).mul(yi);
      if (a === 'on') {
        coef[j] = c;
        if (!c.isZero()) on.push(j);
      } else if (a === 'kink') {
        const kc = new Array<Rational>(m).fill(Rational.ZERO);
        kc[j] = c;
        kinkCols.push({ point: i, slot, coef: kc, blocks: c.isZero() ? [] : [j], kinkBlock: j });
      }
    }
    cols.push({ point: i, slot, coef, blocks: on, kinkBlock: -1, extra: extra?.gradient[i]!.map((g) => g.mul(yi)) });
  });
  return [...cols, ...kinkCols];
}

/**
 * The signed Gram y_i y_k <x_i, x_k> on `points`: the H of every linear QP of a case (the
 * max-margin duals and the certificates on S and on R), built once per point set and shared.
 */
const signedGrams = new WeakMap<Context, Map<string, Rational[][]>>();
export function signedGram(ctx: Context, points: readonly number[]): Rational[][] {
  let byPoints = signedGrams.get(ctx);
  if (!byPoints) signedGrams.set(ctx, (byPoints = new Map()));
  const key = points.join(',');
  let H = byPoints.get(key);
  if (!H) {
    const { y } = ctx.data;
    // R's entries are S's (every point, when built already): indexing, no sign flips formed again
    const all = byPoints.get(ctx.G.map((_, i) => i).join(','));
    // -G_ik once per distinct entry object (gram shares one Rational per value of sign data)
    const negs = new Map<Rational, Rational>();
    const neg = (q: Rational) => negs.get(q) ?? (negs.set(q, q.neg()), negs.get(q)!);
    H = all
      ? points.map((i) => points.map((k) => all[i]![k]!))
      : points.map((i) => points.map((k) => (y[i] === y[k] ? ctx.G[i]![k]! : neg(ctx.G[i]![k]!))));
    if (byPoints.size >= 4) byPoints.clear(); // a case uses two point sets (S, R): bound the memory elsewhere
    byPoints.set(key, H);
  }
  return H;
}

/** H_ab = <a, b> and c_a = <θ, a> for the certificate columns. */
function gramOf(ctx: Context, params: Params, cols: readonly Column[], extra?: ExtraBlock, dense = false) {
  const m = params.blocks;
  const all = Array.from({ length: m }, (_, j) => j);
  // each column's nonzero blocks: H_ab sums over the blocks both use (same sum, the zero terms skipped)
  const blocks = cols.map((a) => a.blocks);
  // linear: one λ column per point with coefficient y_a, so H is the shared signed Gram (callers copy before changing it)
  const H =
    ctx.model.kind === 'linear' && !extra
      ? signedGram(
          ctx,
          cols.map((a) => a.point),
        )
      : blockGram(ctx.G, cols, dense ? cols.map(() => all) : blocks, m);
  const c = cols.map((a, ka) => {
    let s = Rational.ZERO;
    for (const j of blocks[ka]!) s = s.add(a.coef[j]!.mul(params.pre[j]![a.point]!));
    return s.add(dotExtra(extra?.theta, a.extra));
  });
  return { H, c };
}

/**
 * ε² = ||θ||² - 2 cᵀz + zᵀ H z. For a `minimizer` of ½ zᵀHz - cᵀz over z >= 0 alone (no
 * other constraint), complementarity zᵀ(Hz - c) = 0 makes it ||θ||² - cᵀz: no H z, one
 * reduction fewer.
 */
function residual2(
  norm2: Rational,
  H: Rational[][],
  c: Rational[],
  z: readonly Rational[],
  minimizer: boolean,
): Rational {
  // Shared denominators: z = zi/Z, c = ci/C, H z = hi/E, so both sums are BigInt dot products
  // and only two Rationals are reduced (not one gcd per term). Same value. A dense z takes
  // H z whole (matVec keeps it: the hint check and the face asked for it already).
  const zs = commonDenominator(z);
  if (zs.nz.length === 0) return norm2;
  const cs = commonDenominator(zs.nz.map((a) => c[a]!));
  let lin = 0n;
  zs.nz.forEach((a, k) => (lin += cs.ints[k]! * zs.ints[a]!));
  if (minimizer) return norm2.sub(Rational.of(lin, cs.den * zs.den));
  const dense = zs.nz.length === z.length;
  const Hz = dense ? matVec(H, z) : matVec(H, z, zs.nz); // rows nz, in that order
  const hs = commonDenominator(zs.nz.map((a, k) => Hz[dense ? a : k]!));
  let quad = 0n;
  zs.nz.forEach((a, k) => (quad += hs.ints[k]! * zs.ints[a]!));
  return norm2.sub(Rational.of(2n * lin, cs.den * zs.den)).add(Rational.of(quad, hs.den * zs.den));
}

export interface CertifyOptions {
  /** D2's (C) as a constraint: λ_a (q_a - 1) <= delta. */
  delta?: Rational;
  /** Keep these multipliers (the inherited certificate); only Clarke choices are free. */
  lambda?: readonly Rational[];
  /** θ has coordinates beyond the blocks (trained output weights): see ExtraBlock */
  extra?: ExtraBlock;
  /**
   * A candidate for the optimal certificate's variables (e.g. the inherited λ_R): when it
   * verifies as a minimizer exactly (O(n²)), the QP solve is skipped. Same answer either way.
   */
  hint?: readonly Rational[];
  /**
   * The slow path, for properties: every variable (zero λ columns included), H summed over
   * every block, Lemke's own minimizer for the δ LP, no face shortcut.
   */
  full?: boolean;
}

/** The optimal (or, with `lambda`, inherited) certificate of θ w.r.t. the points S'. */
export function certify(
  ctx: Context,
  params: Params,
  points: readonly number[],
  opts: CertifyOptions = {},
): Certificate {
  const all = marginsOf(ctx.model, params.pre, ctx.data.y);
  const q = points.map((i) => all[i]!);
  const cols = columnsOf(ctx, params, points, opts.extra);
  const { H, c } = gramOf(ctx, params, cols, opts.extra, opts.full);
  const N = cols.length;
  const nl = points.length;

  // Constraints A z >= b: μ_ja <= λ_a, and the δ cap λ_a <= δ/(q_a - 1) where q_a > 1.
  const A: Rational[][] = [];
  const b: Rational[] = [];
  const row = () => new Array<Rational>(N).fill(Rational.ZERO);
  cols.forEach((col, k) => {
    if (col.kinkBlock < 0) return;
    const r = row();
    r[col.slot] = Rational.ONE;
    r[k] = Rational.ONE.neg();
    A.push(r);
    b.push(Rational.ZERO);
  });
  if (opts.delta) {
    q.forEach((qa, a) => {
      const slack = qa.sub(Rational.ONE);
      if (slack.sign() <= 0) return;
      const r = row();
      r[a] = Rational.ONE.neg();
      A.push(r);
      b.push(opts.delta!.div(slack).neg());
    });
  }

  let z: Rational[];
  if (opts.lambda) {
    z = fixedLambda(H, c, cols, opts.lambda, nl);
  } else {
    const f = c.map((v) => v.neg());
    z = opts.full ? solveZ(H, f, A, b, q, nl, opts.hint, true) : optimalZ(H, f, A, b, q, nl, cols, opts.hint);
  }

  const lambda = z.slice(0, nl);
  // optimalZ's z minimizes over z >= 0 alone when no constraint row was added (the slow path checks the full form)
  const minimizer = !opts.lambda && !opts.full && A.length === 0;
  const norm2 = params.normSquared.add(dotExtra(opts.extra?.theta, opts.extra?.theta));
  const epsilon2 = residual2(norm2, H, c, z, minimizer);
  const delta = deltaOf(lambda, q);
  const kinks = cols
    .map((col, k) => ({ col, k }))
    .filter(({ col }) => col.kinkBlock >= 0)
    .map(({ col, k }) => ({
      block: col.kinkBlock,
      point: col.point,
      s: lambda[col.slot]!.isZero() ? Rational.ZERO : z[k]!.div(lambda[col.slot]!),
    }));
  return { margins: q, tau: tauOf(q), epsilon2, delta, lambda, kinks };
}

/**
 * The canonical optimal certificate variables. A λ column that is zero (a point no unit is
 * active on, with no kink column) has a zero row in H and f: λ_a changes neither ε² nor any
 * constraint but its own δ cap, so the canonical point (least δ, then least norm) has
 * λ_a = 0. Such variables are fixed at 0 and the rest solved as before (a zero column makes
 * H singular and would send the QP down the full optimal-face route). Same point either way.
 */
function optimalZ(
  H: Rational[][],
  f: Rational[],
  A: Rational[][],
  b: Rational[],
  q: Rational[],
  nl: number,
  cols: readonly Column[],
  hint?: readonly Rational[],
): Rational[] {
  const N = f.length;
  const withKinks = new Set(cols.filter((col) => col.kinkBlock >= 0).map((col) => col.slot));
  const keep = cols.map((_, k) => k).filter((k) => k >= nl || withKinks.has(k) || !H[k]![k]!.isZero());
  if (keep.length === N) return solveZ(H, f, A, b, q, nl, hint);
  const nk = keep.filter((k) => k < nl).length;
  const rows = A.map((r, i) => ({ r: keep.map((k) => r[k]!), b: b[i]! })).filter(({ r }) => r.some((v) => !v.isZero()));
  const zk = solveZ(
    keep.map((i) => keep.map((k) => H[i]![k]!)),
    keep.map((k) => f[k]!),
    rows.map((x) => x.r),
    rows.map((x) => x.b),
    keep.filter((k) => k < nl).map((k) => q[k]!),
    nk,
    hint && hint.length === N ? keep.map((k) => hint[k]!) : undefined,
  );
  const z = new Array<Rational>(N).fill(Rational.ZERO);
  keep.forEach((k, t) => (z[k] = zk[t]!));
  return z;
}

function solveZ(
  H: Rational[][],
  f: Rational[],
  A: Rational[][],
  b: Rational[],
  q: Rational[],
  nl: number,
  hint?: readonly Rational[],
  full = false,
): Rational[] {
  // Any exact minimizer: canonical() / leastDeltaMinimizer pick the same point from it.
  let z0: Rational[];
  if (A.length === 0 && hint && isMinimizer(H, f, hint)) z0 = hint.slice();
  else {
    const res = anyMinimizer({ H, f, A, b });
    if (res.kind !== 'solved') throw new Error('certificate QP infeasible: impossible, z = 0 is feasible');
    z0 = res.z;
  }
  return (A.length === 0 && !full ? leastDeltaMinimizer(H, f, z0, q) : null) ?? canonical(H, f, z0, A, b, q, nl, full);
}

/** With λ fixed, choose the μ in [0, λ_a] that minimize the residual. */
function fixedLambda(
  H: Rational[][],
  c: Rational[],
  cols: readonly Column[],
  lambda: readonly Rational[],
  nl: number,
): Rational[] {
  const z = [...lambda, ...new Array<Rational>(cols.length - nl).fill(Rational.ZERO)];
  const mu = cols.map((_, k) => k).filter((k) => k >= nl);
  if (mu.length === 0) return z;
  // minimize ½ μᵀ H_μμ μ - (c_μ - H_μλ λ)ᵀ μ  s.t. μ_ja <= λ_a
  const Hm = mu.map((a) => mu.map((b) => H[a]![b]!));
  const f = mu.map((a) => {
    let s = c[a]!.neg();
    for (let l = 0; l < nl; l++) s = s.add(H[a]![l]!.mul(lambda[l]!));
    return s;
  });
  const A = mu.map((a, k) => mu.map((_, t) => (t === k ? Rational.ONE.neg() : Rational.ZERO)));
  const b = mu.map((a) => lambda[cols[a]!.slot]!.neg());
  const res = solveQP({ H: Hm, f, A, b });
  if (res.kind !== 'solved') throw new Error('inherited certificate QP infeasible: impossible');
  mu.forEach((a, k) => (z[a] = res.z[k]!));
  return z;
}

/**
 * Among the ε²-minimizers (the optimal face), first minimize t = max(0, max_a λ_a (q_a - 1))
 * (an LP), then take the least-norm point with λ_a (q_a - 1) <= t.
 */
function canonical(
  H: Rational[][],
  f: Rational[],
  z0: Rational[],
  A: Rational[][],
  b: Rational[],
  q: Rational[],
  nl: number,
  full = false,
): Rational[] {
  const onSupport = full ? null : canonicalOnSupport(H, f, z0, A, b, q, nl);
  if (onSupport) return onSupport;
  const face = optimalFace(H, f, z0);
  if (face.A.length === 0) return z0;
  const N = z0.length;
  const rows = [...A, ...face.A];
  const rhs = [...b, ...face.b];
  // LP over (z, t): min t  s.t. rows z >= rhs,  t - (q_a - 1) λ_a >= 0,  z, t >= 0
  const zeroH = Array.from({ length: N + 1 }, () => new Array<Rational>(N + 1).fill(Rational.ZERO));
  const cap = q.map((qa, a) => {
    const r = new Array<Rational>(N + 1).fill(Rational.ZERO);
    r[a] = qa.sub(Rational.ONE).neg();
    r[N] = Rational.ONE;
    return r;
  });
  // t is the LP's value, the same at every LP minimizer: any verified one will do (Lemke's own with `full`)
  const lp = (full ? solveQP : anyMinimizer)({
    H: zeroH,
    f: [...new Array<Rational>(N).fill(Rational.ZERO), Rational.ONE],
    A: [...rows.map((r) => [...r, Rational.ZERO]), ...cap],
    b: [...rhs, ...q.map(() => Rational.ZERO)],
  });
  if (lp.kind !== 'solved') throw new Error('δ LP infeasible: impossible, z0 is feasible');
  const t = lp.z[N]!;
  const capRows = q.slice(0, nl).map((qa, a) => {
    const r = new Array<Rational>(N).fill(Rational.ZERO);
    r[a] = qa.sub(Rational.ONE).neg();
    return r;
  });
  return leastNorm(N, [...rows, ...capRows], [...rhs, ...q.map(() => t.neg())]);
}

/** Beyond this many λ the Schur complement of nullBasisSplit (Gauss-Jordan over Q) is left to nullBasis. */
const SPLIT_MAX_LAMBDA = 64;

/**
 * canonical() on the coordinates that move: the optimal face is z0 + null(H) within the
 * constraints, so a coordinate outside the support S of an exact null basis is z0's on the
 * whole face. The same LP and least-norm QP over z_S alone (rows touching S, their right
 * sides moved by the fixed part; t >= the fixed λ's δ) have the same t and the same unique
 * point. The face rows are a row basis of H_{:,S} mod p (a superset of the face); the point
 * is kept only when it satisfies H z = H z0 on every row, which makes it the full answer.
 * null: use the full route.
 */
function canonicalOnSupport(
  H: Rational[][],
  f: Rational[],
  z0: Rational[],
  A: Rational[][],
  b: Rational[],
  q: Rational[],
  nl: number,
): Rational[] | null {
  // kink columns of different units are orthogonal: the split basis avoids a dense elimination
  const basis = H.length > nl && nl <= SPLIT_MAX_LAMBDA ? nullBasisSplit(H, nl) : nullBasis(H);
  if (!basis) return null;
  if (basis.length === 0) return z0; // H nonsingular: the minimizer is unique
  const S = z0.map((_, k) => k).filter((k) => basis.some((v) => !v[k]!.isZero()));
  const inS = new Set(S);
  const fixedDot = (r: readonly Rational[]) =>
    r.reduce((s, v, k) => (inS.has(k) || v.isZero() || z0[k]!.isZero() ? s : s.add(v.mul(z0[k]!))), Rational.ZERO);
  const onS = (r: readonly Rational[]) => S.map((k) => r[k]!);
  const dotS = (r: readonly Rational[], z: readonly Rational[]) =>
    S.reduce((s, k, t) => (r[t]!.isZero() || z[k]!.isZero() ? s : s.add(r[t]!.mul(z[k]!))), Rational.ZERO);
  // the face: H_{:,S} z_S = H_{:,S} z0_S on independent rows, and f_S z_S = f_S z0_S
  const HS = H.map(onS);
  const live = HS.map((_, i) => i).filter((i) => HS[i]!.some((v) => !v.isZero()));
  const pick = pivotColumnsModP(integerRows(S.map((_, t) => live.map((i) => HS[i]![t]!))));
  const eq = [...pick.map((c) => HS[live[c]!]!), onS(f)];
  const eqRhs = eq.map((r) => dotS(r, z0));
  const rows: Rational[][] = [...eq, ...eq.map((r) => r.map((v) => v.neg()))];
  const rhs: Rational[] = [...eqRhs, ...eqRhs.map((v) => v.neg())];
  A.forEach((r, i) => {
    const rS = onS(r);
    if (rS.every((v) => v.isZero())) return; // z0 satisfies it and it does not move
    rows.push(rS);
    rhs.push(b[i]!.sub(fixedDot(r)));
  });
  const M = S.length;
  const capped = S.map((k, t) => ({ k, t })).filter(({ k }) => k < nl);
  let tFixed = Rational.ZERO;
  for (let a = 0; a < nl; a++) {
    const v = q[a]!.sub(Rational.ONE).mul(z0[a]!);
    if (!inS.has(a) && v.gt(tFixed)) tFixed = v;
  }
  // LP over (z_S, t): min t  s.t. rows, t - (q_a - 1) z_a >= 0 (a in S), t >= the fixed ones' δ
  const widen = (r: readonly Rational[], last: Rational) => [...r, last];
  const capRow = (t: number, last: Rational) => {
    const r = new Array<Rational>(M).fill(Rational.ZERO);
    r[t] = q[S[t]!]!.sub(Rational.ONE).neg();
    return widen(r, last);
  };
  const lp = anyMinimizer({
    H: Array.from({ length: M + 1 }, () => new Array<Rational>(M + 1).fill(Rational.ZERO)),
    f: [...new Array<Rational>(M).fill(Rational.ZERO), Rational.ONE],
    A: [
      ...rows.map((r) => widen(r, Rational.ZERO)),
      ...capped.map(({ t }) => capRow(t, Rational.ONE)),
      widen(new Array<Rational>(M).fill(Rational.ZERO), Rational.ONE),
    ],
    b: [...rhs, ...capped.map(() => Rational.ZERO), tFixed],
  });
  if (lp.kind !== 'solved') return null;
  const t = lp.z[M]!;
  const zS = leastNorm(
    M,
    [...rows, ...capped.map(({ t: c }) => capRow(c, Rational.ZERO).slice(0, M))],
    [...rhs, ...capped.map(() => t.neg())],
  );
  const z = z0.slice();
  S.forEach((k, c) => (z[k] = zS[c]!));
  // on the face exactly: H_{:,S} (z_S - z0_S) = 0 on every row
  const diff = S.map((k) => z[k]!.sub(z0[k]!));
  const onFace = HS.every((r) =>
    r.reduce((s, v, c) => (v.isZero() || diff[c]!.isZero() ? s : s.add(v.mul(diff[c]!))), Rational.ZERO).isZero(),
  );
  return onFace ? z : null;
}
