// Validated enclosures of sqrt, exp, -ℓ' and the normal CDF (THEORY.md conventions).
// Every bound is computed in integer arithmetic with explicit floor/ceil (dyadic
// numbers m·2^e) plus a stated remainder bound, then snapped outward to `digits`
// significant decimals by decimal.js (ROUND_FLOOR / ROUND_CEIL) and re-checked in
// exact Rational arithmetic. No float ever decides a bound.
import { Decimal } from 'decimal.js';
import { BudgetError, InputError } from '../errors.ts';
import { Rational, getBitBudget } from './rational.ts';

/** A closed interval [lo, hi] of exact rationals guaranteed to contain a real number. */
export interface Enclosure {
  lo: Rational;
  hi: Rational;
}

export function midpoint(e: Enclosure): Rational {
  return e.lo.add(e.hi).div(Rational.of(2));
}

export function width(e: Enclosure): Rational {
  return e.hi.sub(e.lo);
}

/** true if the enclosed value is surely <= bound, false if surely > bound, undefined if undecided. */
export function decideLe(e: Enclosure, bound: Rational): boolean | undefined {
  if (e.hi.le(bound)) return true;
  if (e.lo.gt(bound)) return false;
  return undefined;
}

// ---------- dyadic numbers m·2^e with directed rounding ----------

interface Dy {
  m: bigint;
  e: number;
}
type Iv = [Dy, Dy];

const ZERO_DY: Dy = { m: 0n, e: 0 };
const ONE_DY: Dy = { m: 1n, e: 0 };

function bitlen(n: bigint): number {
  return n === 0n ? 0 : (n < 0n ? -n : n).toString(2).length;
}

/** floor(n/d) or ceil(n/d) for d > 0. */
function divDir(n: bigint, d: bigint, up: boolean): bigint {
  const q = n / d;
  const r = n - q * d;
  if (r === 0n) return q;
  if (up) return r > 0n ? q + 1n : q;
  return r < 0n ? q - 1n : q;
}

/** m·2^e rounded to at most p significant bits, down (floor) or up (ceil). */
function roundDy(m: bigint, e: number, p: number, up: boolean): Dy {
  const s = bitlen(m) - p;
  if (s <= 0) return { m, e };
  const b = BigInt(s);
  return { m: up ? -(-m >> b) : m >> b, e: e + s };
}

function fromRat(q: Rational, p: number, up: boolean): Dy {
  if (q.isZero()) return ZERO_DY;
  const k = p + 2 + bitlen(q.den) - bitlen(q.num);
  const e = -k;
  const m = k >= 0 ? divDir(q.num << BigInt(k), q.den, up) : divDir(q.num, q.den << BigInt(-k), up);
  return roundDy(m, e, p, up);
}

function toRat(a: Dy): Rational {
  return a.e >= 0 ? Rational.of(a.m << BigInt(a.e)) : Rational.of(a.m, 1n << BigInt(-a.e));
}

function mulDy(a: Dy, b: Dy, p: number, up: boolean): Dy {
  return roundDy(a.m * b.m, a.e + b.e, p, up);
}

function addDy(a: Dy, b: Dy, p: number, up: boolean): Dy {
  if (a.m === 0n) return roundDy(b.m, b.e, p, up);
  if (b.m === 0n) return roundDy(a.m, a.e, p, up);
  const e = Math.min(a.e, b.e);
  return roundDy((a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e, p, up);
}

function negDy(a: Dy): Dy {
  return { m: -a.m, e: a.e };
}

function divDy(a: Dy, b: Dy, p: number, up: boolean): Dy {
  if (b.m === 0n) throw new RangeError('division by zero');
  let am = a.m;
  let bm = b.m;
  if (bm < 0n) {
    am = -am;
    bm = -bm;
  }
  const k = Math.max(0, p + 2 + bitlen(bm) - bitlen(am));
  return roundDy(divDir(am << BigInt(k), bm, up), a.e - b.e - k, p, up);
}

function cmpDy(a: Dy, b: Dy): number {
  const e = Math.min(a.e, b.e);
  const x = a.m << BigInt(a.e - e);
  const y = b.m << BigInt(b.e - e);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitlen(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** sqrt of a >= 0 rounded down or up to about p bits. */
function sqrtDy(a: Dy, p: number, up: boolean): Dy {
  if (a.m === 0n) return ZERO_DY;
  let s = Math.max(0, 2 * p + 2 - bitlen(a.m));
  if ((a.e - s) % 2 !== 0) s += 1;
  const n = a.m << BigInt(s);
  let r = isqrt(n);
  if (up && r * r !== n) r += 1n;
  return roundDy(r, (a.e - s) / 2, p, up);
}

// Interval helpers for positive intervals (lo > 0).
function mulPos(a: Iv, b: Iv, p: number): Iv {
  return [mulDy(a[0], b[0], p, false), mulDy(a[1], b[1], p, true)];
}
function divPos(a: Iv, b: Iv, p: number): Iv {
  return [divDy(a[0], b[1], p, false), divDy(a[1], b[0], p, true)];
}

// ---------- decimal snapping (decimal.js proposes, exact arithmetic checks) ----------

const clones = new Map<string, Decimal.Constructor>();
function decimalCtor(digits: number, up: boolean): Decimal.Constructor {
  const key = `${digits}${up ? '+' : '-'}`;
  let D = clones.get(key);
  if (!D) {
    D = Decimal.clone({ precision: digits, rounding: up ? Decimal.ROUND_CEIL : Decimal.ROUND_FLOOR });
    clones.set(key, D);
  }
  return D;
}

const DEC = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]?\d+))?$/;
function decimalToRational(d: Decimal): Rational {
  const m = DEC.exec(d.toString());
  if (!m) throw new Error(`unexpected decimal form ${d.toString()}`);
  const frac = m[3] ?? '';
  const exp = Number(m[4] ?? '0') - frac.length;
  const digits = BigInt(m[2]! + frac) * (m[1] === '-' ? -1n : 1n);
  return exp >= 0 ? Rational.of(digits * 10n ** BigInt(exp)) : Rational.of(digits, 10n ** BigInt(-exp));
}

/** A `digits`-significant decimal <= x (up = false) or >= x (up = true), verified exactly. */
function snap(x: Rational, digits: number, up: boolean): Rational {
  if (x.isZero()) return x;
  const D = decimalCtor(digits, up);
  let r = decimalToRational(new D(x.num.toString()).div(x.den.toString()));
  // decimal.js rounds correctly, so this loop should never run; it makes the bound
  // independent of that claim.
  const step = x.abs().mul(Rational.of(1n, 10n ** BigInt(digits)));
  while (up ? r.lt(x) : r.gt(x)) r = up ? r.add(step) : r.sub(step);
  return r;
}

function snapIv(iv: Iv, digits: number): Enclosure {
  return { lo: snap(toRat(iv[0]), digits, false), hi: snap(toRat(iv[1]), digits, true) };
}

function checkDigits(digits: number): void {
  if (!Number.isInteger(digits) || digits < 1 || digits > 10_000) {
    throw new InputError(`digits must be an integer in [1, 10000], got ${digits}`);
  }
}

/** Working bits for `digits` decimals: ceil(digits·log2 10) plus guard bits. */
function bitsFor(digits: number): number {
  return Math.ceil((digits * 3322) / 1000) + 12;
}

// ---------- sqrt ----------

/** Enclosure of sqrt(q), q >= 0; exact (lo = hi) when q is the square of a rational. */
export function sqrtEnclosure(q: Rational, digits = 40): Enclosure {
  checkDigits(digits);
  if (q.sign() < 0) throw new InputError(`sqrt of negative ${q}`);
  const a = isqrt(q.num);
  const b = isqrt(q.den);
  // q is reduced, so it is a rational square iff num and den are integer squares.
  if (a * a === q.num && b * b === q.den) {
    const r = Rational.of(a, b);
    return { lo: r, hi: r };
  }
  const lo0 = decimalToRational(new (decimalCtor(digits, false))(q.num.toString()).div(q.den.toString()).sqrt());
  const hi0 = decimalToRational(new (decimalCtor(digits, true))(q.num.toString()).div(q.den.toString()).sqrt());
  // Exact check lo^2 <= q <= hi^2; widen by one relative ulp until it holds.
  const nudge = Rational.of(1n, 10n ** BigInt(digits));
  let lo = lo0;
  let hi = hi0;
  while (lo.mul(lo).gt(q)) lo = lo.sub(lo.mul(nudge));
  while (hi.mul(hi).lt(q)) hi = hi.add(hi.mul(nudge));
  return { lo, hi };
}

// ---------- exp ----------

/** Largest |q| for which e^q fits the bit budget with p working bits (log2 e < 3/2). */
function expLimit(p: number): Rational {
  return Rational.of(BigInt(Math.max(0, getBitBudget() - p - 64)) * 2n, 3n);
}

/**
 * e^q to about p bits. Argument reduction r = |q|/2^m in [0, 1/2); Taylor series of
 * e^r summed with floor (lower) and ceil (upper) terms at 2^-W; the tail after a term
 * t_k <= 2^-W is <= t_k·Σ(1/4)^i < 2^-W, added to the upper sum. Then invert for q < 0
 * and square m times with outward rounding. Error grows by 2^m; W and p include m.
 */
function expIv(q: Rational, bits: number): Iv {
  if (q.isZero()) return [ONE_DY, ONE_DY];
  const an = q.num < 0n ? -q.num : q.num;
  const m = Math.max(0, bitlen(an) - bitlen(q.den) + 2);
  const p = bits + m + 8;
  const W = p + 8;
  const rn = an;
  const rd = q.den << BigInt(m);
  const one = 1n << BigInt(W);
  let tlo = one;
  let thi = one;
  let slo = one;
  let shi = one;
  for (let k = 1n; thi > 1n; k++) {
    tlo = (tlo * rn) / (rd * k);
    thi = divDir(thi * rn, rd * k, true);
    slo += tlo;
    shi += thi;
  }
  shi += 1n;
  let iv: Iv = [roundDy(slo, -W, p, false), roundDy(shi, -W, p, true)];
  if (q.num < 0n) iv = [divDy(ONE_DY, iv[1], p, false), divDy(ONE_DY, iv[0], p, true)];
  for (let i = 0; i < m; i++) iv = mulPos(iv, iv, p);
  return iv;
}

function expGuard(q: Rational, p: number): void {
  if (q.abs().gt(expLimit(p))) {
    throw new BudgetError(
      `e^${q} outgrows the bit budget of ${getBitBudget()} bits (raise it with --bits or UNLEARN_KKT_BITS)`,
    );
  }
}

/** Enclosure of e^q; exact only for q = 0. */
export function expEnclosure(q: Rational, digits = 40): Enclosure {
  checkDigits(digits);
  if (q.isZero()) return { lo: Rational.ONE, hi: Rational.ONE };
  const p = bitsFor(digits);
  expGuard(q, p);
  return snapIv(expIv(q, p), digits);
}

/**
 * Enclosure of -ℓ'(z) > 0: e^{-z} (exponential) or 1/(1+e^z) (logistic, decreasing in
 * e^z, so the upper end of e^z gives the lower end of the result).
 */
export function lossDerivativeEnclosure(loss: 'logistic' | 'exponential', z: Rational, digits = 40): Enclosure {
  checkDigits(digits);
  const p = bitsFor(digits);
  if (loss === 'exponential') return expEnclosure(z.neg(), digits);
  if (loss !== 'logistic') throw new InputError(`unknown loss "${String(loss)}"`);
  if (z.isZero()) return { lo: Rational.of(1n, 2n), hi: Rational.of(1n, 2n) };
  const limit = expLimit(p);
  let elo: Dy;
  let ehi: Dy;
  if (z.neg().gt(limit)) {
    // e^z too small for the budget: 0 < e^z <= e^{-L} with L = floor(limit) < -z.
    elo = ZERO_DY;
    ehi = expIv(Rational.of(-(limit.num / limit.den)), p)[1];
  } else {
    expGuard(z, p);
    [elo, ehi] = expIv(z, p);
  }
  const lo = divDy(ONE_DY, addDy(ONE_DY, ehi, p, true), p, false);
  const hi = divDy(ONE_DY, addDy(ONE_DY, elo, p, false), p, true);
  return snapIv([lo, hi], digits);
}

// ---------- normal CDF ----------

/** π at 2^-W by Machin's formula; alternating series, so consecutive partial sums bracket it. */
const piCache = new Map<number, Iv>();
function piIv(W: number): Iv {
  const cached = piCache.get(W);
  if (cached) return cached;
  const atanInv = (x: bigint): [bigint, bigint] => {
    // arctan(1/x) = Σ (-1)^k / ((2k+1) x^{2k+1}); terms decrease, so S_N and S_{N+1} bracket it.
    const one = 1n << BigInt(W + 4);
    let plo = one / x; // floor(2^W'/x^{2k+1})
    let phi = divDir(one, x, true);
    let lo = 0n;
    let hi = 0n;
    const x2 = x * x;
    let prevLo = 0n;
    let prevHi = 0n;
    for (let k = 0n; ; k++) {
      prevLo = lo;
      prevHi = hi;
      const tlo = plo / (2n * k + 1n);
      const thi = divDir(phi, 2n * k + 1n, true);
      if (k % 2n === 0n) {
        lo += tlo;
        hi += thi;
      } else {
        lo -= thi;
        hi -= tlo;
      }
      if (thi <= 1n && k % 2n === 1n) break;
      plo = plo / x2;
      phi = divDir(phi, x2, true);
    }
    return [prevLo < lo ? prevLo : lo, prevHi > hi ? prevHi : hi];
  };
  const [a0, a1] = atanInv(5n);
  const [b0, b1] = atanInv(239n);
  const iv: Iv = [roundDy(16n * a0 - 4n * b1, -(W + 4), W, false), roundDy(16n * a1 - 4n * b0, -(W + 4), W, true)];
  piCache.set(W, iv);
  return iv;
}

/** φ(x) = e^{-x²/2} / sqrt(2π) at about p bits. */
function densityIv(x: Rational, p: number): Iv {
  const e = expIv(x.mul(x).div(Rational.of(-2)), p);
  const pi = piIv(p + 4);
  const two: Dy = { m: 1n, e: 1 };
  const s: Iv = [sqrtDy(mulDy(two, pi[0], p, false), p, false), sqrtDy(mulDy(two, pi[1], p, true), p, true)];
  return divPos(e, s, p);
}

/**
 * Upper tail Q(x) = 1 - Φ(x) for 0 < x <= 6: Q = 1/2 - φ(x) Σ_k x^{2k+1}/(2k+1)!!.
 * Terms are positive, so the truncated sum is a lower bound; once t_k <= 2^-W and
 * x²/(2k+3) <= 1/2 the tail is <= 2 t_{k+1} <= t_k <= 2^-W, added to the upper sum.
 * Cancellation costs about x²/2·log2(e) bits, paid for with guard bits.
 */
function tailSeries(x: Rational, bits: number): Iv {
  const x2 = x.mul(x);
  const guard = Number(divDir(x2.num * 3n, x2.den * 4n, true)) + 8;
  const p = bits + guard;
  const W = p + 8;
  const n2 = x2.num;
  const d2 = x2.den;
  let tlo = divDir(x.num << BigInt(W), x.den, false);
  let thi = divDir(x.num << BigInt(W), x.den, true);
  let slo = tlo;
  let shi = thi;
  for (let k = 0n; ; k++) {
    if (thi <= 1n && 2n * n2 <= d2 * (2n * k + 3n)) break;
    tlo = (tlo * n2) / (d2 * (2n * k + 3n));
    thi = divDir(thi * n2, d2 * (2n * k + 3n), true);
    slo += tlo;
    shi += thi;
  }
  shi += 1n;
  const phi = densityIv(x, p);
  const half: Dy = { m: 1n, e: -1 };
  const lo = addDy(half, negDy(mulDy(phi[1], { m: shi, e: -W }, p, true)), p, false);
  const hi = addDy(half, negDy(mulDy(phi[0], { m: slo, e: -W }, p, false)), p, true);
  return [lo.m < 0n ? ZERO_DY : lo, hi];
}

/**
 * Q(x) for x > 6 via Laplace's continued fraction for the Mills ratio
 * Q/φ = 1/(x+1/(x+2/(x+3/(x+...)))). It has positive elements and converges for x > 0,
 * so consecutive approximants f_n, f_{n+1} bracket its value; each approximant is
 * evaluated in outward-rounded interval arithmetic. Depth doubles until narrow enough.
 */
function tailContinuedFraction(x: Rational, bits: number): Iv {
  const p = bits + 16;
  const xi: Iv = [fromRat(x, p, false), fromRat(x, p, true)];
  const approximant = (n: number): Iv => {
    let t: Iv = xi;
    for (let k = n; k >= 1; k--) {
      const kd: Dy = { m: BigInt(k), e: 0 };
      t = [addDy(xi[0], divDy(kd, t[1], p, false), p, false), addDy(xi[1], divDy(kd, t[0], p, true), p, true)];
    }
    return [divDy(ONE_DY, t[1], p, false), divDy(ONE_DY, t[0], p, true)];
  };
  for (let n = 8; n <= 1 << 16; n *= 2) {
    const a = approximant(n);
    const b = approximant(n + 1);
    const r: Iv = [cmpDy(a[0], b[0]) <= 0 ? a[0] : b[0], cmpDy(a[1], b[1]) >= 0 ? a[1] : b[1]];
    // narrow enough: hi - lo <= lo·2^-(bits+2)
    const w = addDy(r[1], negDy(r[0]), p, true);
    if (cmpDy({ m: w.m, e: w.e + bits + 2 }, r[0]) <= 0) return mulPos(densityIv(x, p), r, p);
  }
  throw new Error(`continued fraction for Q(${x}) did not converge`);
}

const CF_FROM = Rational.of(6);

/**
 * Enclosure of Φ(z), the standard normal CDF, to `digits` significant decimals.
 * Φ(z) = Q(-z) for z < 0 and 1 - Q(z) for z > 0, with Q from tailSeries (|z| <= 6) or
 * tailContinuedFraction (|z| > 6). When e^{-z²/2} would outgrow the bit budget,
 * Q(|z|) <= φ(|z|)/|z| <= e^{-L} for any L <= z²/2 (|z| >= 1) gives [0, e^{-L}].
 * Result clamped into [0, 1].
 */
export function normalCdfEnclosure(z: Rational, digits = 30): Enclosure {
  checkDigits(digits);
  if (z.isZero()) return { lo: Rational.of(1n, 2n), hi: Rational.of(1n, 2n) };
  const bits = bitsFor(digits);
  const x = z.abs();
  const half = x.mul(x).div(Rational.of(2));
  let q: Iv;
  const limit = expLimit(bits + 64);
  if (half.gt(limit)) {
    const L = Rational.of(limit.num / limit.den);
    q = [ZERO_DY, expIv(L.neg(), bits)[1]];
  } else {
    q = x.le(CF_FROM) ? tailSeries(x, bits) : tailContinuedFraction(x, bits);
  }
  let iv: Iv = z.sign() < 0 ? q : [addDy(ONE_DY, negDy(q[1]), bits, false), addDy(ONE_DY, negDy(q[0]), bits, true)];
  iv = [iv[0].m < 0n ? ZERO_DY : iv[0], cmpDy(iv[1], ONE_DY) > 0 ? ONE_DY : iv[1]];
  return snapIv(iv, digits);
}
