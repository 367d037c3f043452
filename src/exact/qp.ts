// Convex quadratic programs over Q, solved exactly through Lemke's algorithm:
//   minimize ½ zᵀ H z + fᵀ z   subject to   A z >= b,  z >= 0      (H positive semidefinite)
// KKT as an LCP: [w1; w2] = [[H, -Aᵀ], [A, 0]] [z; u] + [f; -b].
import { Rational } from './rational.ts';
import { lemke } from './lcp.ts';
import { fullRank } from './pivot.ts';
import { lcpByGuess } from './activeSet.ts';

export interface QP {
  H: readonly (readonly Rational[])[];
  f: readonly Rational[];
  A?: readonly (readonly Rational[])[];
  b?: readonly Rational[];
}

export type QPResult = { kind: 'solved'; z: Rational[] } | { kind: 'infeasible' };

/** The LCP's q = [f; -b]. */
const qOf = ({ f, b = [] }: QP): Rational[] => [...f, ...b.map((v) => v.neg())];

/** The LCP's M = [[H, -Aᵀ], [A, 0]]; only built when q has a negative entry (else z = 0 solves it). */
function matrixOf({ H, f, A = [] }: QP): Rational[][] {
  const n = f.length;
  const p = A.length;
  const M: Rational[][] = [];
  for (let i = 0; i < n; i++) {
    M.push([...H[i]!, ...A.map((row) => row[i]!.neg())]);
  }
  for (let k = 0; k < p; k++) M.push([...A[k]!, ...new Array<Rational>(p).fill(Rational.ZERO)]);
  return M;
}

/** q >= 0: z = 0 is the solution Lemke returns at once, so M is not built. */
const atZero = (qp: QP, q: readonly Rational[]): QPResult | null =>
  q.every((v) => v.sign() >= 0) ? { kind: 'solved', z: qp.f.map(() => Rational.ZERO) } : null;

export function solveQP(qp: QP): QPResult {
  const { H } = qp;
  const n = qp.f.length;
  const q = qOf(qp);
  const zero = atZero(qp, q);
  if (zero) return zero;
  const M = matrixOf(qp);
  // Fast path: with H nonsingular (PSD, hence PD) the minimizer z is unique, so a
  // float-guessed basis that verifies exactly gives Lemke's z (src/exact/activeSet.ts).
  if (n > 0 && fullRank(H)) {
    const z = lcpByGuess(M, q);
    if (z) return { kind: 'solved', z: z.slice(0, n) };
  }
  const res = lemke(M, q);
  return res.kind === 'solved' ? { kind: 'solved', z: res.z.slice(0, n) } : res;
}

/**
 * Some minimizer, verified exactly, not necessarily the one Lemke's rule picks: the float
 * guess is tried whatever the rank of H. For callers that canonicalize over the optimal
 * face afterwards or need only the optimal value (an LP's t), where every minimizer gives
 * the same answer.
 */
export function anyMinimizer(qp: QP): QPResult {
  const n = qp.f.length;
  const q = qOf(qp);
  const zero = atZero(qp, q);
  if (zero) return zero;
  const M = matrixOf(qp);
  if (n > 0) {
    const z = lcpByGuess(M, q);
    if (z) return { kind: 'solved', z: z.slice(0, n) };
  }
  const res = lemke(M, q);
  return res.kind === 'solved' ? { kind: 'solved', z: res.z.slice(0, n) } : res;
}

/**
 * The minimizers of a convex QP (given one, z0) form the face {feasible z : H z = H z0,
 * fᵀz = fᵀz0}: all minimizers share H z and fᵀz. Returned as extra rows of A z >= b;
 * empty when H is nonsingular (the minimizer is unique).
 */
export function optimalFace(
  H: readonly (readonly Rational[])[],
  f: readonly Rational[],
  z0: readonly Rational[],
): { A: Rational[][]; b: Rational[] } {
  // full rank mod p implies full rank over Q; else the face rows are taken (valid at any rank)
  if (fullRank(H)) return { A: [], b: [] };
  const dot = (row: readonly Rational[]) =>
    row.reduce((s, h, k) => (z0[k]!.isZero() ? s : s.add(h.mul(z0[k]!))), Rational.ZERO);
  const E = [...H.map((r) => r.slice()), f.slice()];
  const Ez = E.map(dot);
  return { A: [...E, ...E.map((r) => r.map((v) => v.neg()))], b: [...Ez, ...Ez.map((v) => v.neg())] };
}

/** The least-norm point of {z >= 0 : A z >= b} (feasible by assumption). */
export function leastNorm(N: number, A: readonly (readonly Rational[])[], b: readonly Rational[]): Rational[] {
  const I = Array.from({ length: N }, (_, a) =>
    Array.from({ length: N }, (_, k) => (a === k ? Rational.ONE : Rational.ZERO)),
  );
  const res = solveQP({ H: I, f: new Array<Rational>(N).fill(Rational.ZERO), A, b });
  if (res.kind !== 'solved') throw new Error('least-norm QP infeasible: the face given is empty');
  return res.z;
}
