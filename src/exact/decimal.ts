// Decimals for reading (certify's summary, messages): display only, never compared. Exact
// integer arithmetic, so values of any size print (a double would overflow to Infinity).
import type { Rational } from './rational.ts';

/** q rounded to `sig` significant digits: fixed for 1e-4 <= |q| < 1e6, else scientific. */
export function decimal(q: Rational, sig = 6): string {
  if (q.num === 0n) return '0';
  const neg = q.num < 0n;
  const n = neg ? -q.num : q.num;
  const d = q.den;
  let e = n.toString().length - d.toString().length; // 10^e <= n/d < 10^(e+2)
  if (e >= 0 ? n < d * 10n ** BigInt(e) : n * 10n ** BigInt(-e) < d) e--;
  const shift = sig - 1 - e;
  const [a, b] = shift >= 0 ? [n * 10n ** BigInt(shift), d] : [n, d * 10n ** BigInt(-shift)];
  let m = (2n * a + b) / (2n * b); // half up
  if (m.toString().length > sig) {
    m /= 10n;
    e++;
  }
  const digits = m.toString();
  const trim = (s: string) => s.replace(/0+$/, '');
  let out: string;
  if (e >= 0 && e < 6) {
    const int = e + 1 <= digits.length ? digits.slice(0, e + 1) : digits + '0'.repeat(e + 1 - digits.length);
    const frac = trim(digits.slice(e + 1));
    out = frac ? `${int}.${frac}` : int;
  } else if (e < 0 && e >= -4) out = `0.${'0'.repeat(-e - 1)}${trim(digits)}`;
  else {
    const frac = trim(digits.slice(1));
    out = `${digits[0]}${frac ? `.${frac}` : ''}e${e >= 0 ? '+' : ''}${e}`;
  }
  return neg ? `-${out}` : out;
}

/** The exact text when short, else `≈decimal (N digits)`: what a one-line message shows. */
export function brief(q: Rational, max = 40): string {
  const s = q.toString();
  return s.length <= max ? s : `≈${decimal(q)} (exact: ${s.length} characters)`;
}
