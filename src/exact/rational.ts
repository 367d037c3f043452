// Exact rationals on BigInt: immutable, always reduced, denominator > 0.
// Text form (FORMAT.md): "p/q" reduced, or "p" when q = 1.
import { lehmerGcd } from './lehmer.ts';
import { BudgetError, InputError, shown } from '../errors.ts';
import { DEFAULTS } from '../defaults.ts';

// The bit budget is configuration, read on every reduction: it changes only inside
// withBitBudget, which restores it when its function returns or throws (so no caller, and
// no test file sharing a worker under vitest's isolate: false, can leak a budget).
let budgetBits: number = DEFAULTS.bitBudget;
let budgetLimit = 1n << BigInt(budgetBits);

/** Largest bit budget accepted: far beyond any practical case, well inside BigInt's own limit. */
export const MAX_BIT_BUDGET = 1 << 24;

function setBudget(bits: number): void {
  budgetBits = bits;
  budgetLimit = 1n << BigInt(bits);
}

/**
 * Runs fn with `bits` as the largest number of bits a numerator or denominator may have
 * before BudgetError (restored afterwards; an async fn keeps it until its promise settles).
 */
export function withBitBudget<T>(bits: number, fn: () => T): T {
  if (!Number.isInteger(bits) || bits < 64 || bits > MAX_BIT_BUDGET)
    throw new InputError(`bit budget must be an integer in [64, ${MAX_BIT_BUDGET}], got ${shown(bits)}`);
  const before = budgetBits;
  setBudget(bits);
  let pending = false;
  try {
    const out = fn();
    if (out instanceof Promise) {
      pending = true;
      return out.finally(() => setBudget(before)) as T;
    }
    return out;
  } finally {
    if (!pending) setBudget(before);
  }
}

export function getBitBudget(): number {
  return budgetBits;
}

const SAFE = BigInt(Number.MAX_SAFE_INTEGER);
/** Past this, gcd's Lehmer steps run on limbs in WebAssembly. */
export const LONG = 1n << 128n;
const LEHMER_BITS = 50;

export function babs(a: bigint): bigint {
  return a < 0n ? -a : a;
}

/** The exact bit length of a safe integer x >= 0 (0 for 0), by clz32. */
export function bitLengthOf(x: number): number {
  return x < 2 ** 32 ? 32 - Math.clz32(x) : 64 - Math.clz32(Math.floor(x / 2 ** 32));
}

/** The exact bit length of a >= 0 (0 for 0): by clz32 below 2^53, else from its hex digits. */
export function bitLength(a: bigint): number {
  if (a <= SAFE) return bitLengthOf(Number(a)); // exact
  const h = a.toString(16);
  return (h.length - 1) * 4 + Math.floor(Math.log2(parseInt(h[0]!, 16))) + 1;
}

/**
 * An upper bound (within 3) on the bit length of a > 0, cheap: from its double value when
 * finite; past 2^1024 from one shift when `known` (a bound held already, a Lehmer loop's last
 * one) is near, else from its hex digits (a string of the whole number: costly when repeated).
 */
function bitLengthUpper(a: bigint, known?: number): number {
  const x = Number(a);
  if (Number.isFinite(x)) return Math.ceil(Math.log2(x)) + 2;
  if (known !== undefined && known > 64) {
    // a < 2^known, so y = floor(a / 2^(known - 64)) < 2^64 and a's length is known - 64 + y's
    const y = Number(a >> BigInt(known - 64));
    if (y >= 1) return known - 64 + Math.ceil(Math.log2(y)) + 2;
  }
  return a.toString(16).length * 4;
}

/**
 * One Lehmer step (Knuth 4.5.2, Algorithm L) for a >= b > 2^53: Euclid on the leading 50 bits
 * in Number arithmetic, returning the cofactors [A, B, C, D] of the quotients it can vouch for
 * (each the true quotient of the long Euclid), or null when it vouches for none. Then
 * (a, b) -> (A a + B b, C a + D b) is that many Euclid steps at once, and so is the same map
 * on any sequence that follows Euclid's recurrence (Bézout cofactors). |A|..|D| < 2^51.
 * `held` carries a bit-length bound from step to step of one Euclid run.
 */
export function lehmerStep(a: bigint, b: bigint, held?: { bits?: number }): [number, number, number, number] | null {
  // held.bits: the bound of the last step, still a bound (a only shrinks along Euclid)
  const bits = bitLengthUpper(a, held?.bits);
  if (held) held.bits = bits;
  const shift = BigInt(Math.max(0, bits - LEHMER_BITS));
  let x = Number(a >> shift);
  let y = Number(b >> shift);
  let A = 1;
  let B = 0;
  let C = 0;
  let D = 1;
  while (y + C !== 0 && y + D !== 0) {
    const q = Math.floor((x + A) / (y + C));
    if (q !== Math.floor((x + B) / (y + D))) break;
    const t = A - q * C;
    A = C;
    C = t;
    const u = B - q * D;
    B = D;
    D = u;
    const v = x - q * y;
    x = y;
    y = v;
  }
  return B === 0 ? null : [A, B, C, D];
}

/** gcd of |a| and |b|, with a Number fast path for small operands. */
export function gcd(a: bigint, b: bigint): bigint {
  a = babs(a);
  b = babs(b);
  if (a < b) [a, b] = [b, a];
  // a long b: Lehmer steps on limbs in WebAssembly (src/exact/lehmer.ts)
  if (b > LONG) {
    const g = lehmerGcd(a, b);
    if (g !== null) return g;
  }
  // while b is long, Lehmer steps: a few BigInt operations per ~25 bits instead of one BigInt
  // division per ~2 bits. Same gcd, faster.
  const held = {};
  while (b > SAFE) {
    const m = lehmerStep(a, b, held);
    if (!m) [a, b] = [b, a % b];
    else [a, b] = [BigInt(m[0]) * a + BigInt(m[1]) * b, BigInt(m[2]) * a + BigInt(m[3]) * b];
  }
  if (b === 0n) return a;
  if (a > SAFE) a %= b;
  let x = Number(a);
  let y = Number(b);
  while (y !== 0) [x, y] = [y, x % y];
  return BigInt(x);
}

export function lcm(a: bigint, b: bigint): bigint {
  if (a === 0n || b === 0n) return 0n;
  if (a % b === 0n) return babs(a); // common in shared denominators: no gcd needed
  return babs((a / gcd(a, b)) * b);
}

function checkBudget(n: bigint, d: bigint): void {
  if (d >= budgetLimit || n >= budgetLimit || -n >= budgetLimit) {
    throw new BudgetError(
      `a rational outgrew the bit budget of ${budgetBits} bits (raise it with --bits or UNLEARN_KKT_BITS)`,
    );
  }
}

/** A finite double as mant * 2^exp with mant an odd integer (or 0, exp 0): its exact value. */
export function splitDouble(v: number): { mant: bigint; exp: number } {
  if (!Number.isFinite(v)) throw new InputError(`${v} is not a finite number`);
  if (v === 0) return { mant: 0n, exp: 0 };
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, v);
  const hi = dv.getUint32(0);
  const lo = dv.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mant = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exp: number;
  if (biased === 0) exp = -1074;
  else {
    mant |= 1n << 52n;
    exp = biased - 1075;
  }
  while ((mant & 1n) === 0n) {
    mant >>= 1n;
    exp += 1;
  }
  return { mant: hi >>> 31 ? -mant : mant, exp };
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const FRACTION = /^(-?\d+)\/(\d+)$/;
const MAX_EXPONENT = 4096;

export class Rational {
  readonly num: bigint;
  readonly den: bigint;

  private constructor(num: bigint, den: bigint) {
    this.num = num;
    this.den = den;
  }

  /** n/d reduced; d must be nonzero. */
  static of(n: bigint | number, d: bigint | number = 1n): Rational {
    let nb = typeof n === 'bigint' ? n : BigInt(n);
    let db = typeof d === 'bigint' ? d : BigInt(d);
    if (db === 0n) throw new RangeError('Rational with zero denominator');
    if (db < 0n) {
      nb = -nb;
      db = -db;
    }
    if (db !== 1n) {
      const g = gcd(nb, db);
      if (g !== 1n) {
        nb /= g;
        db /= g;
      }
    }
    checkBudget(nb, db);
    return new Rational(nb, db);
  }

  static readonly ZERO = new Rational(0n, 1n);
  static readonly ONE = new Rational(1n, 1n);
  static readonly MINUS_ONE = new Rational(-1n, 1n);

  /** The exact value of a finite binary64 number. */
  static fromDouble(x: number): Rational {
    if (Number.isInteger(x) && Math.abs(x) <= Number.MAX_SAFE_INTEGER) return Rational.of(BigInt(x));
    const { mant, exp } = splitDouble(x);
    return exp >= 0 ? Rational.of(mant << BigInt(exp)) : Rational.of(mant, 1n << BigInt(-exp));
  }

  /**
   * A FORMAT.md rational: "-7", "3/4", "1.25", "-2e-3" (exact), or a JSON number
   * (its exact binary64 value). `where` names the place in the input for errors.
   */
  static parse(v: unknown, where = 'value'): Rational {
    if (typeof v === 'number') {
      if (!Number.isFinite(v)) throw new InputError(`${where} is ${v}, expected a finite rational`);
      return Rational.fromDouble(v);
    }
    if (typeof v !== 'string') throw new InputError(`${where} is ${shown(v)}, expected a rational such as "3/4"`);
    // The grammar exactly (FORMAT.md): no surrounding whitespace, no "+", no ".5". The regular
    // expressions run in linear time; digits beyond the bit budget are refused before BigInt
    // reads them (its cost is quadratic), so a long string that is no rational gets the grammar error.
    const f = FRACTION.exec(v);
    const m = f ? null : DECIMAL.exec(v);
    if (!f && !m) throw new InputError(`${where} is ${shown(v)}, expected a rational such as "-7", "3/4" or "1.25"`);
    if (v.length > budgetBits / 3 + 16) {
      throw new BudgetError(
        `${where} is ${shown(v)}: beyond the bit budget of ${budgetBits} bits (raise it with --bits or UNLEARN_KKT_BITS)`,
      );
    }
    if (f) {
      const d = BigInt(f[2]!);
      if (d === 0n) throw new InputError(`${where} is ${shown(v)}: zero denominator`);
      return Rational.of(BigInt(f[1]!), d);
    }
    const frac = m![3] ?? '';
    const exp = Number(m![4] ?? '0') - frac.length;
    if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_EXPONENT) {
      throw new InputError(`${where} is ${shown(v)}: exponent out of range (|e| <= ${MAX_EXPONENT})`);
    }
    const digits = BigInt(m![2]! + frac) * (m![1] === '-' ? -1n : 1n);
    return exp >= 0 ? Rational.of(digits * 10n ** BigInt(exp)) : Rational.of(digits, 10n ** BigInt(-exp));
  }

  // Fast paths without a gcd of long numbers, each an identity on reduced fractions a/b:
  // a/b ± k = (a ± kb)/b is reduced (gcd(a ± kb, b) = gcd(a, b) = 1), and
  // (a/b)·k = a(k/g) / (b/g) with g = gcd(k, b) is reduced (only the short gcd is taken).
  add(o: Rational): Rational {
    if (o.num === 0n) return this;
    if (this.num === 0n) return o;
    if (this.den === o.den) return Rational.of(this.num + o.num, this.den);
    if (o.den === 1n) return Rational.reduced(this.num + o.num * this.den, this.den);
    if (this.den === 1n) return Rational.reduced(o.num + this.num * o.den, o.den);
    return Rational.of(this.num * o.den + o.num * this.den, this.den * o.den);
  }
  sub(o: Rational): Rational {
    if (o.num === 0n) return this;
    if (this.den === o.den) return Rational.of(this.num - o.num, this.den);
    if (o.den === 1n) return Rational.reduced(this.num - o.num * this.den, this.den);
    if (this.den === 1n) return Rational.reduced(this.num * o.den - o.num, o.den);
    return Rational.of(this.num * o.den - o.num * this.den, this.den * o.den);
  }
  mul(o: Rational): Rational {
    if (this.num === 0n || o.num === 0n) return Rational.ZERO;
    if (o.den === 1n && this.den !== 1n) return this.timesInt(o.num);
    if (this.den === 1n && o.den !== 1n) return o.timesInt(this.num);
    return Rational.of(this.num * o.num, this.den * o.den);
  }
  private timesInt(k: bigint): Rational {
    if (k === 1n) return this;
    if (k === -1n) return this.neg();
    const g = gcd(k, this.den);
    return g === 1n ? Rational.reduced(this.num * k, this.den) : Rational.reduced(this.num * (k / g), this.den / g);
  }
  /** num/den for a caller that has proved gcd(num, den) = 1 and den > 0 (vec.ts toRationals). */
  static ofCoprime(num: bigint, den: bigint): Rational {
    return Rational.reduced(num, den);
  }
  /** num/den already in lowest terms with den > 0 (the budget still applies). */
  private static reduced(num: bigint, den: bigint): Rational {
    checkBudget(num, den);
    return new Rational(num, den);
  }
  div(o: Rational): Rational {
    if (o.num === 0n) throw new RangeError('division by zero');
    return Rational.of(this.num * o.den, this.den * o.num);
  }
  neg(): Rational {
    return this.num === 0n ? this : new Rational(-this.num, this.den);
  }
  abs(): Rational {
    return this.num < 0n ? this.neg() : this;
  }
  inv(): Rational {
    return Rational.ONE.div(this);
  }
  /** Integer power (negative allowed for nonzero values). */
  pow(k: number): Rational {
    if (!Number.isInteger(k)) throw new RangeError('integer powers only');
    if (k < 0) return this.inv().pow(-k);
    return Rational.of(this.num ** BigInt(k), this.den ** BigInt(k));
  }
  sign(): -1 | 0 | 1 {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }
  isZero(): boolean {
    return this.num === 0n;
  }
  cmp(o: Rational): -1 | 0 | 1 {
    const l = this.num * o.den;
    const r = o.num * this.den;
    return l < r ? -1 : l > r ? 1 : 0;
  }
  eq(o: Rational): boolean {
    return this.num === o.num && this.den === o.den;
  }
  lt(o: Rational): boolean {
    return this.cmp(o) < 0;
  }
  le(o: Rational): boolean {
    return this.cmp(o) <= 0;
  }
  gt(o: Rational): boolean {
    return this.cmp(o) > 0;
  }
  ge(o: Rational): boolean {
    return this.cmp(o) >= 0;
  }
  min(o: Rational): Rational {
    return this.le(o) ? this : o;
  }
  max(o: Rational): Rational {
    return this.ge(o) ? this : o;
  }
  /** Nearest-ish double, for display and float seeding only: never for a verdict. */
  toNumber(): number {
    const n = Number(this.num);
    const d = Number(this.den);
    if (Number.isFinite(n) && Number.isFinite(d)) return n / d;
    const shift = BigInt(Math.max(0, this.den.toString(2).length - 1000));
    return Number(this.num >> shift) / Number(this.den >> shift);
  }
  toString(): string {
    return this.den === 1n ? this.num.toString() : `${this.num}/${this.den}`;
  }
  toJSON(): string {
    return this.toString();
  }
}

export const Q = (n: bigint | number, d: bigint | number = 1n): Rational => Rational.of(n, d);

export function maxOf(xs: Iterable<Rational>, empty: Rational = Rational.ZERO): Rational {
  let m: Rational | undefined;
  for (const x of xs) m = m === undefined || x.gt(m) ? x : m;
  return m ?? empty;
}
