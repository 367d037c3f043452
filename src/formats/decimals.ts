// Exact values shown as decimals, for reading only (plots, tables, claims.json's worstRatio):
// 6 significant digits, a plain float that never decides a verdict.
import type { Rational } from '../exact/rational.ts';

/** A Rational for display: 6 significant digits, a plain float (never a verdict). */
export function shown(q: Rational): number {
  return round6(q.toNumber());
}

/** √q for display (ε from the exact ε²). */
export function shownSqrt(q: Rational): number {
  return round6(Math.sqrt(q.toNumber()));
}

export function round6(x: number): number {
  return x === 0 ? 0 : Number(x.toPrecision(6));
}
