// Test error by Monte Carlo with exact evaluation (THEORY.md section 6, relu2: no hard
// claim). Test points are sampled from the mixture as binary64 values, hence exact
// rationals; the sign of N(x) is decided in integer arithmetic. The count k of errors
// (y N(x) <= 0: a tie counts as an error) gives k/N and Hoeffding's interval
// k/N ± ε_H, ε_H = sqrt(ln(2/α)/(2N)), which holds with probability >= 1 - α over the
// test sample; ε_H is replaced by a validated upper enclosure, so the interval is never
// narrower than Hoeffding's.
import { Rational, lcm } from '../exact/rational.ts';
import type { ScaledVec } from '../exact/vec.ts';
import { intDot } from '../exact/intGram.ts';
import { expEnclosure, sqrtEnclosure } from '../exact/enclosure.ts';
import type { Dataset } from '../data/dataset.ts';
import { InputError } from '../errors.ts';

export type SignOf = (x: ScaledVec) => -1 | 0 | 1;

const sgn = (t: bigint): -1 | 0 | 1 => (t > 0n ? 1 : t < 0n ? -1 : 0);

/** sign <w, x> for a linear model. */
export function linearSign(w: ScaledVec): SignOf {
  return (x) => (sgn(intDot(w, x)) * w.scale.sign() * x.scale.sign()) as -1 | 0 | 1;
}

/**
 * sign N(x) = sign Σ_j v_j σ(<w_j, x>) for relu2. With w_j = s_j ints_j and x = s ints:
 * N(x) = (s / L) Σ_{j on} A_j t_j, t_j = <ints_j, ints>, A_j = v_j s_j L integers
 * (L = lcm of the denominators of v_j s_j), so only integer dot products are needed.
 */
export function relu2Sign(W: readonly ScaledVec[], v: readonly Rational[]): SignOf {
  if (W.length !== v.length) throw new InputError(`relu2Sign: ${W.length} rows but ${v.length} output weights`);
  const a = W.map((w, j) => v[j]!.mul(w.scale));
  const L = a.reduce((acc, q) => lcm(acc, q.den), 1n);
  const A = a.map((q) => q.num * (L / q.den));
  const ws = W.map((w) => w.scale.sign());
  return (x) => {
    const xs = x.scale.sign();
    let acc = 0n;
    W.forEach((w, j) => {
      const t = intDot(w, x);
      if (sgn(t) * ws[j]! * xs > 0) acc += A[j]! * t;
    });
    return (sgn(acc) * xs) as -1 | 0 | 1;
  };
}

/** Number of test points with y N(x) <= 0. */
export function countErrors(signOf: SignOf, test: Dataset): number {
  let k = 0;
  test.x.forEach((x, i) => {
    if (signOf(x) * test.y[i]! <= 0) k++;
  });
  return k;
}

/** A rational L >= ln q (q > 0), checked through exp's validated enclosure: e^L >= q. */
function lnUpper(q: Rational): Rational {
  if (q.sign() <= 0) throw new InputError(`ln of non-positive ${q}`);
  let L = Rational.fromDouble(Math.log(q.toNumber()));
  const step = Rational.of(1n, 1n << 40n);
  while (expEnclosure(L, 30).lo.lt(q)) L = L.add(step);
  return L;
}

/** An upper enclosure of Hoeffding's radius sqrt(ln(2/α) / (2N)). */
export function hoeffdingRadius(N: number, alpha: Rational): Rational {
  if (!Number.isInteger(N) || N < 1) throw new InputError(`Monte Carlo needs N >= 1 test points, got ${N}`);
  if (alpha.sign() <= 0 || alpha.ge(Rational.ONE)) throw new InputError(`alpha = ${alpha} must lie in (0, 1)`);
  return sqrtEnclosure(lnUpper(Rational.of(2).div(alpha)).div(Rational.of(2 * N)), 30).hi;
}

export interface ErrorInterval {
  errors: number;
  N: number;
  /** k/N */
  estimate: Rational;
  radius: Rational;
  /** [max(0, k/N - ε_H), min(1, k/N + ε_H)]: covers the test error with probability >= 1 - α */
  lo: Rational;
  hi: Rational;
}

export function errorInterval(errors: number, N: number, alpha: Rational): ErrorInterval {
  const estimate = Rational.of(errors, N);
  const radius = hoeffdingRadius(N, alpha);
  const lo = estimate.sub(radius);
  const hi = estimate.add(radius);
  return {
    errors,
    N,
    estimate,
    radius,
    lo: lo.sign() < 0 ? Rational.ZERO : lo,
    hi: hi.gt(Rational.ONE) ? Rational.ONE : hi,
  };
}

/** Monte Carlo test error of a model on a test sample, with Hoeffding's interval. */
export function monteCarloError(signOf: SignOf, test: Dataset, alpha: Rational): ErrorInterval {
  return errorInterval(countErrors(signOf, test), test.x.length, alpha);
}
