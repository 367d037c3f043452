// Data geometry (THEORY.md section 3), exact:
//   R2min = min_i ||x_i||^2,  R2max = max_i ||x_i||^2,
//   phi   = max_{i != k} |<x_i,x_k>|          (0 when n = 1),
//   phi_r = max_{i != r} |<x_i,x_r>|          (0 when r is undefined or n = 1),
//   rho   = (n - 1) phi / R2min.
// Assumption NO (nearly orthogonal): rho < 1/2.
import { Rational } from '../exact/rational.ts';
import { gram } from '../exact/vec.ts';
import { InputError } from '../errors.ts';
import { dims, type Dataset } from './dataset.ts';

export interface Geometry {
  readonly n: number;
  readonly d: number;
  readonly R2min: Rational;
  readonly R2max: Rational;
  readonly phi: Rational;
  readonly phi_r: Rational;
  readonly rho: Rational;
}

const HALF = Rational.of(1n, 2n);

/**
 * The exact geometry of s. `r` (optional) is the forgotten index for phi_r.
 * `G` (optional) is the precomputed Gram matrix <x_i,x_k> of s.x (n x n), reused
 * instead of recomputed. Throws InputError on an empty dataset, a zero row
 * ("x[i] is the zero vector"), an r out of range or a G of the wrong shape.
 */
export function geometry(s: Dataset, r?: number, G?: readonly (readonly Rational[])[]): Geometry {
  const { n, d } = dims(s);
  if (n === 0) throw new InputError('the dataset is empty');
  if (r !== undefined && (!Number.isInteger(r) || r < 0 || r >= n)) {
    throw new InputError(`forgotten index r = ${r} is out of range [0, ${n - 1}]`);
  }
  if (G !== undefined) {
    if (G.length !== n || G.some((row) => row.length !== n)) {
      throw new InputError(`the Gram matrix is not ${n} x ${n}`);
    }
  }
  const K = G ?? gram(s.x);

  for (let i = 0; i < n; i++) {
    if (K[i]![i]!.isZero()) throw new InputError(`x[${i}] is the zero vector`);
  }
  let R2min = K[0]![0]!;
  let R2max = R2min;
  let phi = Rational.ZERO;
  for (let i = 0; i < n; i++) {
    const ni = K[i]![i]!;
    if (ni.lt(R2min)) R2min = ni;
    if (ni.gt(R2max)) R2max = ni;
    for (let k = i + 1; k < n; k++) {
      const a = K[i]![k]!.abs();
      if (a.gt(phi)) phi = a;
    }
  }
  let phi_r = Rational.ZERO;
  if (r !== undefined) {
    for (let i = 0; i < n; i++) {
      if (i === r) continue;
      const a = K[i]![r]!.abs();
      if (a.gt(phi_r)) phi_r = a;
    }
  }
  const rho = Rational.of(BigInt(n - 1))
    .mul(phi)
    .div(R2min);
  return { n, d, R2min, R2max, phi, phi_r, rho };
}

/** Assumption NO: rho < 1/2. */
export function nearlyOrthogonal(geom: Pick<Geometry, 'rho'>): boolean {
  return geom.rho.lt(HALF);
}
