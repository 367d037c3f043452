// FORMAT.md rationals read as (correctly rounded) doubles, for the float path.

import { InputError } from '../errors.ts';

const DECIMAL = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const FRACTION = /^(-?\d+)\/(\d+)$/;

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
  if (typeof v !== 'string') {
    throw new InputError(`${where} is ${JSON.stringify(v) ?? typeof v}, expected a rational such as "3/4"`);
  }
  const s = v.trim();
  const f = FRACTION.exec(s);
  if (f) {
    const q = BigInt(f[2]!);
    if (q === 0n) throw new InputError(`${where} is "${v}": zero denominator`);
    const x = bigRatioToDouble(BigInt(f[1]!), q);
    if (!Number.isFinite(x)) throw new InputError(`${where} is "${v}": out of float64 range`);
    return x;
  }
  if (DECIMAL.test(s)) {
    const x = Number(s);
    if (!Number.isFinite(x)) throw new InputError(`${where} is "${v}": out of float64 range`);
    return x;
  }
  throw new InputError(`${where} is "${v}", expected a rational such as "-7", "3/4" or "1.25"`);
}

/** The exact value of a FORMAT.md rational as [p, q] with q > 0 (not necessarily reduced). */
export function rationalParts(v: unknown, where: string): [bigint, bigint] {
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new InputError(`${where} is ${v}, expected a finite rational`);
    if (Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER) return [BigInt(v), 1n];
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, v);
    const hi = view.getUint32(0);
    const lo = view.getUint32(4);
    const sign = hi >>> 31 ? -1n : 1n;
    const exp = (hi >>> 20) & 0x7ff;
    let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    let e: number;
    if (exp === 0) e = -1074;
    else {
      mant |= 1n << 52n;
      e = exp - 1075;
    }
    return e >= 0 ? [sign * (mant << BigInt(e)), 1n] : [sign * mant, 1n << BigInt(-e)];
  }
  if (typeof v !== 'string') throw new InputError(`${where} is not a rational`);
  const s = v.trim();
  const f = FRACTION.exec(s);
  if (f) {
    const q = BigInt(f[2]!);
    if (q === 0n) throw new InputError(`${where} is "${v}": zero denominator`);
    return [BigInt(f[1]!), q];
  }
  const m = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(s);
  if (!m) throw new InputError(`${where} is "${v}", expected a rational such as "-7", "3/4" or "1.25"`);
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? '0') - frac.length;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > 4096) throw new InputError(`${where} is "${v}": exponent out of range`);
  const digits = BigInt(m[2]! + frac) * (m[1] === '-' ? -1n : 1n);
  return exp >= 0 ? [digits * 10n ** BigInt(exp), 1n] : [digits, 10n ** BigInt(-exp)];
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
