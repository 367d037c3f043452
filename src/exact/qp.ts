// Convex quadratic programs over Q, solved exactly through Lemke's algorithm:
//   minimize ½ zᵀ H z + fᵀ z   subject to   A z >= b,  z >= 0      (H positive semidefinite)
// KKT as an LCP: [w1; w2] = [[H, -Aᵀ], [A, 0]] [z; u] + [f; -b].
import { Rational } from './rational.ts';
import { lemke } from './lcp.ts';
import { rank } from './pivot.ts';

export interface QP {
  H: readonly (readonly Rational[])[];
  f: readonly Rational[];
  A?: readonly (readonly Rational[])[];
  b?: readonly Rational[];
}

export type QPResult = { kind: 'solved'; z: Rational[] } | { kind: 'infeasible' };

export function solveQP({ H, f, A = [], b = [] }: QP): QPResult {
  const n = f.length;
  const p = A.length;
  const M: Rational[][] = [];
  for (let i = 0; i < n; i++) {
    M.push([...H[i]!, ...A.map((row) => row[i]!.neg())]);
  }
  for (let k = 0; k < p; k++) M.push([...A[k]!, ...new Array<Rational>(p).fill(Rational.ZERO)]);
  const res = lemke(M, [...f, ...b.map((v) => v.neg())]);
  return res.kind === 'solved' ? { kind: 'solved', z: res.z.slice(0, n) } : res;
}

/** ½ zᵀ H z + fᵀ z, exactly. */
export function qpObjective(H: readonly (readonly Rational[])[], f: readonly Rational[], z: readonly Rational[]): Rational {
  let s = Rational.ZERO;
  for (let i = 0; i < z.length; i++) {
    if (z[i]!.isZero()) continue;
    let hz = Rational.ZERO;
    for (let k = 0; k < z.length; k++) if (!z[k]!.isZero()) hz = hz.add(H[i]![k]!.mul(z[k]!));
    s = s.add(z[i]!.mul(hz.div(Rational.of(2)).add(f[i]!)));
  }
  return s;
}

/**
 * Among the minimizers of min ½ zᵀHz + fᵀz (A z >= b, z >= 0), given one of them z0, the one
 * of least norm. The minimizers of a convex QP all share H z and fᵀz, so they are
 * {z feasible : H z = H z0, fᵀz = fᵀz0}. Unique and canonical; z0 when H is nonsingular.
 */
export function leastNormMinimizer(
  H: readonly (readonly Rational[])[],
  f: readonly Rational[],
  z0: readonly Rational[],
  A: readonly (readonly Rational[])[] = [],
  b: readonly Rational[] = [],
): Rational[] {
  const N = z0.length;
  if (rank(H) === N) return z0.slice();
  const dot = (row: readonly Rational[]) => row.reduce((s, h, k) => (z0[k]!.isZero() ? s : s.add(h.mul(z0[k]!))), Rational.ZERO);
  const E = [...H, f];
  const Ez = E.map(dot);
  const I = Array.from({ length: N }, (_, a) => Array.from({ length: N }, (_, k) => (a === k ? Rational.ONE : Rational.ZERO)));
  const res = solveQP({
    H: I,
    f: new Array<Rational>(N).fill(Rational.ZERO),
    A: [...A, ...E, ...E.map((r) => r.map((v) => v.neg()))],
    b: [...b, ...Ez, ...Ez.map((v) => v.neg())],
  });
  if (res.kind !== 'solved') throw new Error('least-norm QP infeasible: impossible, z0 is feasible');
  return res.z;
}
