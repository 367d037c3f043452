// A small seeded PRNG whose streams are identical on every platform.
//
// Generator: xoshiro128** (Blackman & Vigna) on four uint32 words, stepped with
// Math.imul and 32-bit shifts only. Seeding: the seed is read as a uint64 key
// (BigInt.asUintN(64, seed): negative seeds are distinct from positive ones) and
// expanded into the state with splitmix64, as the xoshiro authors recommend.
//
// fork(k) derives an independent substream from the parent's KEY and k alone: it
// neither reads nor advances the parent's position, so `rng.fork(3)` is the same
// stream whenever it is called. Generators use one fork per row, so a dataset with
// n rows is a prefix of the one with n + 1 rows (shrinking keeps the early rows).
//
// Floats: nextDouble() uses 53 random bits. nextGaussian() is Marsaglia's polar
// method; its log and sqrt are computed here with IEEE +, -, *, / only (which
// ECMAScript specifies as correctly rounded and never fused), because Math.log and
// Math.sqrt are "implementation-approximated" in ECMA-262. So every double this
// module returns is the same bit pattern on every engine and platform.
import { InputError } from '../errors.ts';

const M64 = (1n << 64n) - 1n;
const GOLDEN = 0x9e3779b97f4a7c15n;

/** splitmix64's finalizer: a bijection on uint64 with good avalanche. */
function mix64(z: bigint): bigint {
  z = BigInt.asUintN(64, z);
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

export class Rng {
  /** The uint64 key this stream was seeded from (forks are derived from it). */
  readonly key: bigint;
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  /** seed: a safe integer or a bigint (read modulo 2^64). */
  constructor(seed: number | bigint) {
    if (typeof seed === 'number' && !Number.isSafeInteger(seed)) {
      throw new InputError(`seed must be a safe integer, got ${seed}`);
    }
    this.key = BigInt.asUintN(64, BigInt(seed));
    const a = mix64(this.key + GOLDEN);
    const b = mix64(this.key + 2n * GOLDEN);
    this.s0 = Number(a & 0xffffffffn);
    this.s1 = Number(a >> 32n);
    this.s2 = Number(b & 0xffffffffn);
    this.s3 = Number(b >> 32n);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1; // the one forbidden state
  }

  /** An independent substream named by k (a safe integer); pure in (key, k). */
  fork(k: number): Rng {
    if (!Number.isSafeInteger(k)) throw new InputError(`fork index must be a safe integer, got ${k}`);
    return new Rng(mix64((this.key * 0xd1342543de82ef95n + mix64(BigInt.asUintN(64, BigInt(k)) ^ GOLDEN)) & M64));
  }

  /** Next uint32 of xoshiro128**. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 = (this.s2 ^ this.s0) >>> 0;
    this.s3 = (this.s3 ^ this.s1) >>> 0;
    this.s1 = (this.s1 ^ this.s2) >>> 0;
    this.s0 = (this.s0 ^ this.s3) >>> 0;
    this.s2 = (this.s2 ^ t) >>> 0;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform integer in [lo, hi] (both inclusive), unbiased (rejection); hi - lo < 2^32. */
  nextInt(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) {
      throw new InputError(`nextInt needs integers lo <= hi, got [${lo}, ${hi}]`);
    }
    const span = hi - lo + 1;
    if (span > 2 ** 32) throw new InputError(`nextInt range [${lo}, ${hi}] is wider than 2^32`);
    const limit = 2 ** 32 - (2 ** 32 % span); // accept x < limit: a multiple of span
    for (;;) {
      const x = this.nextUint32();
      if (x < limit) return lo + (x % span);
    }
  }

  /** +1 or -1 with probability 1/2 each (the top bit). */
  nextSign(): 1 | -1 {
    return this.nextUint32() >>> 31 ? -1 : 1;
  }

  /** Uniform double in [0, 1) with 53 random bits (a multiple of 2^-53). */
  nextDouble(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal double (Marsaglia polar method, deterministic log/sqrt). */
  nextGaussian(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    for (;;) {
      const u = 2 * this.nextDouble() - 1;
      const v = 2 * this.nextDouble() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = detSqrt((-2 * detLog(s)) / s);
      this.spare = v * f;
      return u * f;
    }
  }
}

// ---- deterministic elementary functions (IEEE + - * / only) ----

const view = new DataView(new ArrayBuffer(8));

/** 2^k as a double for integer k in [-1022, 1023] (exact). */
export function pow2(k: number): number {
  if (!Number.isInteger(k) || k < -1022 || k > 1023) throw new RangeError(`pow2(${k}) out of normal range`);
  view.setUint32(0, (k + 1023) << 20);
  view.setUint32(4, 0);
  return view.getFloat64(0);
}

/** x = m * 2^e with m in [1, 2) for a finite positive x (subnormals handled). */
function frexp(x: number): { m: number; e: number } {
  let extra = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984; // 2^54, exact
    extra = -54;
  }
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const e = ((hi >>> 20) & 0x7ff) - 1023;
  view.setUint32(0, (hi & 0x800fffff) | (1023 << 20));
  return { m: view.getFloat64(0), e: e + extra };
}

const LN2_HI = 6.9314718036912381649e-1; // fdlibm: low 32 bits zero, so e * LN2_HI is exact
const LN2_LO = 1.90821492927058770002e-10;
const SQRT2 = 1.4142135623730951;

/** Natural log of a finite x > 0, relative error ~1e-16, bit-reproducible. */
export function detLog(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`detLog(${x})`);
  let { m, e } = frexp(x);
  if (m > SQRT2) {
    m /= 2;
    e += 1;
  }
  // log m = 2 atanh(t), t = (m-1)/(m+1), |t| <= 0.1716, t^2 <= 0.0295: 13 terms reach 1e-22.
  const t = (m - 1) / (m + 1);
  const t2 = t * t;
  let p = 1 / 25;
  for (let k = 11; k >= 0; k--) p = 1 / (2 * k + 1) + t2 * p;
  return e * LN2_HI + (e * LN2_LO + 2 * t * p);
}

/** Square root of a finite x >= 0 by Newton's method from a fixed start: bit-reproducible. */
export function detSqrt(x: number): number {
  if (!(x >= 0) || !Number.isFinite(x)) throw new RangeError(`detSqrt(${x})`);
  if (x === 0) return 0;
  let { m, e } = frexp(x);
  if (e % 2 !== 0) {
    m *= 2;
    e -= 1;
  } // m in [1, 4), e even
  let y = (2 + m) / 3; // within 6% of sqrt(m) on [1, 4]; Newton squares the error
  for (let i = 0; i < 6; i++) y = 0.5 * (y + m / y);
  return y * pow2(e / 2);
}
