// The canonical minimizer of a convex QP with sign constraints only,
//   minimize ½ zᵀ H z + fᵀ z  subject to  z >= 0          (H = BᵀB positive semidefinite),
// given any one minimizer z0, in the variables that can move.
//
// Every minimizer z has the same H z, hence the same gradient g = H z0 + f, and by
// complementarity z_a = 0 wherever g_a > 0. So the optimal face lives on E = {a : g_a = 0}:
//   F = {z >= 0 : z_a = 0 off E,  H_EE z_E = H_EE z0_E,  f_E·z_E = f·z0}
// (H_EE z = H_EE z0 iff B_E z = B_E z0, which gives H z = H z0 on every row). When H_EE is
// nonsingular F is the single point z0: no solve at all (and when H itself is already proven
// nonsingular, by the solve that found z0, not even H z0 is formed). Otherwise the equalities
// are taken on a row basis of H_EE found modulo a prime; the answer is checked on every row
// of H_EE, and null (the caller uses the full formulation) when an unlucky prime dropped a row.
// This turns a degenerate problem in n variables (n > d, duplicate or collinear points:
// rank H = r << n) into one in |E| variables with 2(r + 1) equality rows.
import { Rational } from './rational.ts';
import { integerRows } from './pivot.ts';
import { matVec } from './vec.ts';
import { isProvenNonsingular, isProvenSource, pivotColumnsModP, rankModP } from './modular.ts';
import { dixonSolveMany } from './dixon.ts';
import { anyMinimizer, leastNorm } from './qp.ts';

type Mat = readonly (readonly Rational[])[];

const dotOn = (row: readonly Rational[], z: readonly Rational[], idx: readonly number[]): Rational =>
  idx.reduce((s, a, k) => (z[k]!.isZero() || row[a]!.isZero() ? s : s.add(row[a]!.mul(z[k]!))), Rational.ZERO);

export interface ReducedFace {
  /** the variables that may be positive on the face */
  E: number[];
  /** over z_E: rows A z_E >= b describing the face (equalities as two inequalities) */
  A: Rational[][];
  b: Rational[];
  /** is z_E (with zeros off E) on the face? (checks every row of H_EE) */
  contains: (zE: readonly Rational[]) => boolean;
  /** z_E back to all n coordinates */
  expand: (zE: readonly Rational[]) => Rational[];
}

/**
 * The face, or null when it is the single point z0. `fixed`: variables known to be 0 at every
 * point wanted (z0 must be 0 there too).
 */
export function reducedFace(
  H: Mat,
  f: readonly Rational[],
  z0: readonly Rational[],
  fixed?: readonly boolean[],
): ReducedFace | null {
  if (isProvenSource(H) || isProvenNonsingular(integerRows(H))) return null;
  const n = z0.length;
  const Hz = matVec(H, z0);
  const E = f.map((_, a) => a).filter((a) => !fixed?.[a] && Hz[a]!.eq(f[a]!.neg())); // g_a = 0, no sum formed
  const HEE = E.map((a) => E.map((c) => H[a]![c]!));
  const z0E = E.map((a) => z0[a]!);
  const expand = (zE: readonly Rational[]) => {
    const z = new Array<Rational>(n).fill(Rational.ZERO);
    E.forEach((a, k) => (z[a] = zE[k]!));
    return z;
  };
  // A minimizer z0 is 0 off E (complementarity; `fixed` ones by assumption): then H_EE z0_E = (H z0)_E
  const inE = new Set(E);
  const Hz0 = z0.every((v, a) => v.isZero() || inE.has(a)) ? E.map((a) => Hz[a]!) : matVec(HEE, z0E);
  const contains = (zE: readonly Rational[]) => matVec(HEE, zE).every((v, i) => v.eq(Hz0[i]!));
  const HEEi = integerRows(HEE);
  if (E.length === 0 || rankModP(HEEi) === E.length) return null;
  const rows = pivotColumnsModP(HEEi); // H symmetric: independent columns = independent rows
  const eqRows = [...rows.map((i) => HEE[i]!.slice()), E.map((a) => f[a]!)];
  const eqRhs = [...rows.map((i) => Hz0[i]!), dotOn(f, z0E, E)];
  return {
    E,
    A: [...eqRows, ...eqRows.map((r) => r.map((v) => v.neg()))],
    b: [...eqRhs, ...eqRhs.map((v) => v.neg())],
    contains,
    expand,
  };
}

/** The least-norm minimizer (the max-margin λ's canonical choice), or null (use the full route). */
export function leastNormMinimizer(H: Mat, f: readonly Rational[], z0: readonly Rational[]): Rational[] | null {
  const face = reducedFace(H, f, z0);
  if (!face) return z0.slice();
  const zE = leastNorm(face.E.length, face.A, face.b);
  return face.contains(zE) ? face.expand(zE) : null;
}

/**
 * The certificate's canonical minimizer (src/kkt/certificate.ts canonical): on the face, the
 * least t = max(0, max_a z_a (q_a - 1)) (an LP; skipped when no a in E has q_a > 1, t = 0),
 * then the least-norm point with z_a (q_a - 1) <= t. null: use the full route.
 */
export function leastDeltaMinimizer(
  H: Mat,
  f: readonly Rational[],
  z0: readonly Rational[],
  q: readonly Rational[],
): Rational[] | null {
  // t = 0 when z0 already has it (t >= 0): then every capped variable is 0 on the points
  // wanted, and they leave the face (often making it a single point: no solve).
  const capped0 = f.map((_, a) => a < q.length && q[a]!.gt(Rational.ONE));
  if (z0.every((v, a) => !capped0[a] || v.isZero())) {
    const face = reducedFace(H, f, z0, capped0);
    if (!face) return z0.slice();
    const zE = leastNorm(face.E.length, face.A, face.b);
    return face.contains(zE) ? face.expand(zE) : null;
  }
  const face = reducedFace(H, f, z0);
  if (!face) return z0.slice();
  const N = face.E.length;
  const slack = face.E.map((a) => q[a]!.sub(Rational.ONE));
  const capped = slack.map((s, k) => k).filter((k) => slack[k]!.sign() > 0);
  let t = Rational.ZERO;
  if (capped.length > 0) {
    // LP over (z_E, t): min t  s.t. face rows, t - (q_a - 1) z_a >= 0
    const zeroH = Array.from({ length: N + 1 }, () => new Array<Rational>(N + 1).fill(Rational.ZERO));
    const capRows = capped.map((k) => {
      const r = new Array<Rational>(N + 1).fill(Rational.ZERO);
      r[k] = slack[k]!.neg();
      r[N] = Rational.ONE;
      return r;
    });
    const lp = anyMinimizer({
      H: zeroH,
      f: [...new Array<Rational>(N).fill(Rational.ZERO), Rational.ONE],
      A: [...face.A.map((r) => [...r, Rational.ZERO]), ...capRows],
      b: [...face.b, ...capped.map(() => Rational.ZERO)],
    });
    if (lp.kind !== 'solved') return null;
    t = lp.z[N]!;
  }
  const caps = capped.map((k) => {
    const r = new Array<Rational>(N).fill(Rational.ZERO);
    r[k] = slack[k]!.neg();
    return r;
  });
  const zE = leastNorm(N, [...face.A, ...caps], [...face.b, ...capped.map(() => t.neg())]);
  return face.contains(zE) ? face.expand(zE) : null;
}

/** Is z a minimizer (the KKT conditions z >= 0, g = Hz + f >= 0, z·g = 0, exactly)? O(n²). */
export function isMinimizer(H: Mat, f: readonly Rational[], z: readonly Rational[]): boolean {
  if (z.length !== f.length || z.some((v) => v.sign() < 0)) return false;
  const Hz = matVec(H, z);
  // the sign of g_a = f_a + (H z)_a by comparing (H z)_a with -f_a: no sum, no long gcd
  return f.every((fa, a) => {
    const g = Hz[a]!.cmp(fa.neg());
    return g > 0 ? z[a]!.isZero() : g === 0;
  });
}

/**
 * A basis of the null space of a symmetric H, exactly, or null (an unlucky prime: the caller
 * uses a route without it). Columns P independent mod p make H_PP nonsingular (H symmetric),
 * so each other column q gives the null vector e_q - x with H_PP x = H_Pq (one factorization,
 * Dixon); each is checked on every row, and since rank over Q >= rank mod p = |P| these
 * N - |P| independent vectors span the null space.
 */
export function nullBasis(H: Mat): Rational[][] | null {
  const N = H.length;
  const Hi = integerRows(H); // rows scaled to integers: the same null space
  const P = pivotColumnsModP(Hi);
  if (P.length === N) return [];
  const inP = new Set(P);
  const Q = H.map((_, k) => k).filter((k) => !inP.has(k));
  const sols = dixonSolveMany(
    P.map((i) => P.map((k) => Hi[i]![k]!)),
    Q.map((q) => P.map((i) => Hi[i]![q]!)),
  );
  if (!sols || sols.some((x) => !x)) return null;
  const basis: Rational[][] = [];
  for (let t = 0; t < Q.length; t++) {
    const { den, num } = sols[t]!;
    const q = Q[t]!;
    // H (e_q den - num on P) = 0: rows P hold by the solve's exact check, rows Q checked here
    for (const i of Q) {
      let s = Hi[i]![q]! * den;
      P.forEach((k, a) => (num[a] !== 0n ? (s -= Hi[i]![k]! * num[a]!) : 0));
      if (s !== 0n) return null;
    }
    const v = new Array<Rational>(N).fill(Rational.ZERO);
    v[q] = Rational.ONE;
    P.forEach((k, a) => (v[k] = Rational.of(-num[a]!, den)));
    basis.push(v);
  }
  return basis;
}

/** Pivot columns and a null-space basis of a small rational matrix (Gauss-Jordan over Q). */
function smallNullSpace(M: Mat, cols: number): { pivots: number[]; basis: Rational[][] } {
  const T = M.map((r) => r.slice());
  const pivots: number[] = [];
  for (let c = 0, rk = 0; c < cols && rk < T.length; c++) {
    const r = T.findIndex((row, i) => i >= rk && !row[c]!.isZero());
    if (r < 0) continue;
    [T[r], T[rk]] = [T[rk]!, T[r]!];
    const inv = T[rk]![c]!.inv();
    T[rk] = T[rk]!.map((v) => v.mul(inv));
    for (let i = 0; i < T.length; i++) {
      const f = T[i]![c]!;
      if (i === rk || f.isZero()) continue;
      T[i] = T[i]!.map((v, k) => (T[rk]![k]!.isZero() ? v : v.sub(f.mul(T[rk]![k]!))));
    }
    pivots.push(c);
    rk++;
  }
  const isPivot = new Set(pivots);
  const basis: Rational[][] = [];
  for (let q = 0; q < cols; q++) {
    if (isPivot.has(q)) continue;
    const v = new Array<Rational>(cols).fill(Rational.ZERO);
    v[q] = Rational.ONE;
    pivots.forEach((p, r) => (v[p] = T[r]![q]!.neg()));
    basis.push(v);
  }
  return { pivots, basis };
}

/**
 * nullBasis for a PSD H whose variables from `first` on split into mutually orthogonal groups
 * (H_gh = 0 for g != h: the kink columns of different units touch different blocks of θ).
 * Exact and without a dense elimination: within a group g, a column dependent on the group's
 * pivot columns I_g gives a null vector of H (H_gg w = 0 means B_g w = 0 for H = BᵀB); the
 * rest is H on (the first variables R, all I_g), whose H_II is block diagonal and
 * nonsingular, so its null vectors are (s, -H_II⁻¹ H_IR s) for s in the null space of the
 * Schur complement H_RR - H_RI H_II⁻¹ H_IR (|R| × |R|, by nullBasis). Together they span
 * null(H). null: nullBasis met an unlucky prime on the Schur complement.
 */
export function nullBasisSplit(H: Mat, first: number): Rational[][] | null {
  const N = H.length;
  const R = Array.from({ length: first }, (_, k) => k);
  // the groups: connected components of the nonzero pattern of H among the later variables
  const group = new Array<number>(N).fill(-1);
  const groups: number[][] = [];
  for (let s = first; s < N; s++) {
    if (group[s]! >= 0) continue;
    const g = [s];
    group[s] = groups.length;
    for (let t = 0; t < g.length; t++)
      for (let k = first; k < N; k++)
        if (group[k]! < 0 && !H[g[t]!]![k]!.isZero()) {
          group[k] = groups.length;
          g.push(k);
        }
    groups.push(g.sort((a, b) => a - b));
  }
  const basis: Rational[][] = [];
  const S = R.map((i) => R.map((k) => H[i]![k]!));
  const Y: { I: number[]; y: Rational[][] }[] = []; // y = H_II⁻¹ H_IR per group, columns over R
  for (const g of groups) {
    const Hgg = g.map((i) => g.map((k) => H[i]![k]!));
    const { pivots, basis: local } = smallNullSpace(Hgg, g.length);
    for (const w of local) {
      const v = new Array<Rational>(N).fill(Rational.ZERO);
      g.forEach((k, t) => (v[k] = w[t]!));
      basis.push(v);
    }
    const I = pivots.map((t) => g[t]!);
    if (I.length === 0 || R.length === 0) continue;
    // [H_II | H_IR] reduced: y = H_II⁻¹ H_IR
    const aug = I.map((i) => [...I.map((k) => H[i]![k]!), ...R.map((k) => H[i]![k]!)]);
    const { basis: sol } = smallNullSpace(aug, I.length + R.length);
    // the null vectors of [H_II | H_IR] are (-y_r, e_r) for each r in R (H_II nonsingular)
    const y = R.map((_, r) => sol[r]!.slice(0, I.length).map((v) => v.neg()));
    Y.push({ I, y });
    R.forEach((i, a) =>
      R.forEach((k, b) => {
        let t = Rational.ZERO;
        I.forEach((u, c) => (H[i]![u]!.isZero() || y[b]![c]!.isZero() ? 0 : (t = t.add(H[i]![u]!.mul(y[b]![c]!)))));
        S[a]![b] = S[a]![b]!.sub(t);
      }),
    );
  }
  // the Schur complement is dense over Q (its Gauss-Jordan grows the numbers): mod p and Dixon
  const schurNull = nullBasis(S);
  if (!schurNull) return null;
  for (const s of schurNull) {
    const v = new Array<Rational>(N).fill(Rational.ZERO);
    R.forEach((k, a) => (v[k] = s[a]!));
    for (const { I, y } of Y)
      I.forEach((u, c) => {
        let t = Rational.ZERO;
        R.forEach((_, a) => (s[a]!.isZero() || y[a]![c]!.isZero() ? 0 : (t = t.add(y[a]![c]!.mul(s[a]!)))));
        v[u] = t.neg();
      });
    basis.push(v);
  }
  return basis;
}
