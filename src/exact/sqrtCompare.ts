// Deciding inequalities between sums of square roots of rationals, which appear when a
// bound adds norms (ε <= ε0 + a + b). Up to two nonzero roots on the right, squaring
// decides exactly; beyond that, validated enclosures at growing precision decide.
import { Rational } from './rational.ts';
import { sqrtEnclosure } from './enclosure.ts';
import { DEFAULTS } from '../defaults.ts';

const TWO = Rational.of(2);
const FOUR = Rational.of(4);

/** sqrt(lhs2) <= Σ_k sqrt(terms2[k]), all arguments >= 0. */
export function sqrtSumLe(lhs2: Rational, terms2: readonly Rational[]): boolean {
  const t = terms2.filter((v) => !v.isZero());
  if (t.length === 0) return lhs2.isZero();
  if (t.length === 1) return lhs2.le(t[0]!);
  if (t.length === 2) {
    // L <= A + B + 2 sqrt(AB)  <=>  L - A - B <= 0  or  (L - A - B)^2 <= 4AB
    const s = lhs2.sub(t[0]!).sub(t[1]!);
    return s.sign() <= 0 || s.mul(s).le(FOUR.mul(t[0]!).mul(t[1]!));
  }
  for (let digits = DEFAULTS.sqrtSumDigits.start; digits <= DEFAULTS.sqrtSumDigits.end; digits *= 2) {
    const l = sqrtEnclosure(lhs2, digits);
    const r = t.map((v) => sqrtEnclosure(v, digits));
    const hi = r.reduce((s, e) => s.add(e.hi), Rational.ZERO);
    const lo = r.reduce((s, e) => s.add(e.lo), Rational.ZERO);
    if (l.hi.le(lo)) return true;
    if (l.lo.gt(hi)) return false;
  }
  throw new Error(
    `sqrtSumLe undecided at ${DEFAULTS.sqrtSumDigits.end} digits (equality of a sum of ${t.length} roots?)`,
  );
}

/** (Σ_k sqrt(terms2[k]))^2 as an upper enclosure, for reporting a bound on a squared norm. */
export function sqrtSumSquaredUpper(terms2: readonly Rational[], digits = 30): Rational {
  const t = terms2.filter((v) => !v.isZero());
  if (t.length <= 1) return t[0] ?? Rational.ZERO;
  if (t.length === 2) {
    const cross = sqrtEnclosure(t[0]!.mul(t[1]!), digits).hi;
    return t[0]!.add(t[1]!).add(TWO.mul(cross));
  }
  const s = t.reduce((acc, v) => acc.add(sqrtEnclosure(v, digits).hi), Rational.ZERO);
  return s.mul(s);
}
