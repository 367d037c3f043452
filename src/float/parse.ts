// FORMAT.md rationals read as (correctly rounded) doubles, for the float path. The grammar
// is Rational.parse's (one reader of the format); the rounding to double is this file's job.

import { InputError, shown } from '../errors.ts';
import { Rational } from '../exact/rational.ts';

function bitLength(b: bigint): number {
  return b === 0n ? 0 : b.toString(2).length;
}

/** p/q (q > 0) rounded to nearest double (exact for normal results). */
export function bigRatioToDouble(p: bigint, q: bigint): number {
  if (p === 0n) return 0;
  const neg = p < 0n;
  const a = neg ? -p : p;
  // quotient with 56..57 bits so that a sticky bit sits below the rounding position
  const s = 56 - (bitLength(a) - bitLength(q));
  const num = s >= 0 ? a << BigInt(s) : a;
  const den = s >= 0 ? q : q << BigInt(-s);
  let Q = num / den;
  if (Q * den !== num) Q |= 1n;
  let x = Number(Q);
  // x * 2^-s, split so intermediate powers stay finite
  let e = -s;
  while (e > 1000) {
    x *= 2 ** 1000;
    e -= 1000;
  }
  while (e < -1000) {
    x *= 2 ** -1000;
    e += 1000;
  }
  x *= 2 ** e;
  return neg ? -x : x;
}

/** A FORMAT.md rational ("-7", "3/4", "1.25", "-2e-3", or a JSON number) as a double. */
export function parseRationalFloat(v: unknown, where: string): number {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new InputError(`${where} is ${v}, expected a finite rational`);
    return v;
  }
  const q = Rational.parse(v, where);
  const x = bigRatioToDouble(q.num, q.den);
  if (!Number.isFinite(x)) throw new InputError(`${where} is ${shown(v)}: out of float64 range`);
  return x;
}

/** The exact value of a FORMAT.md rational as [p, q] with q > 0 (reduced). */
export function rationalParts(v: unknown, where: string): [bigint, bigint] {
  const q = Rational.parse(v, where);
  return [q.num, q.den];
}

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** A row of rationals scaled to integers by the lcm of its denominators (sign-preserving). */
export function integerRow(row: readonly unknown[], where: string): bigint[] {
  const parts = row.map((e, t) => rationalParts(e, `${where}[${t}]`));
  let L = 1n;
  for (const [, q] of parts) if (L % q !== 0n) L = (L / gcd(L, q)) * q;
  return parts.map(([p, q]) => p * (L / q));
}

/** Exact sign of <a, b> for integer rows. */
export function exactDotSign(a: readonly bigint[], b: readonly bigint[]): number {
  let s = 0n;
  for (let t = 0; t < a.length; t++) if (a[t] !== 0n && b[t] !== 0n) s += a[t]! * b[t]!;
  return s > 0n ? 1 : s < 0n ? -1 : 0;
}
