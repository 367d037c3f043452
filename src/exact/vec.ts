// Integer vectors with one shared rational scale (ARCHITECTURE.md): v = scale * ints.
// A dot product is one integer dot product (in Number arithmetic while every partial
// sum provably stays below 2^53, else BigInt: the same exact integer either way) and
// one scale multiplication.
import { Rational, gcd, lcm, babs } from './rational.ts';

const TWO53 = 1n << 53n;

export class ScaledVec {
  readonly ints: readonly bigint[];
  readonly scale: Rational;
  /** max |ints[k]|, for the 2^53 bound. */
  readonly maxAbs: bigint;
  /** The ints as doubles when each is a safe integer, else null. */
  readonly nums: Float64Array | null;

  private constructor(ints: bigint[], scale: Rational) {
    this.ints = ints;
    this.scale = scale;
    let m = 0n;
    for (const v of ints) {
      const a = babs(v);
      if (a > m) m = a;
    }
    this.maxAbs = m;
    this.nums = m < TWO53 ? Float64Array.from(ints, Number) : null;
  }

  /** scale * ints, normalized so the ints have gcd 1 (zero vector: scale 1). */
  static of(ints: bigint[], scale: Rational = Rational.ONE): ScaledVec {
    let g = 0n;
    for (const v of ints) {
      g = gcd(g, v);
      if (g === 1n) break;
    }
    if (g === 0n || scale.isZero()) return new ScaledVec(ints.map(() => 0n), Rational.ONE);
    if (g !== 1n) return new ScaledVec(ints.map((v) => v / g), scale.mul(Rational.of(g)));
    return new ScaledVec(ints.slice(), scale);
  }

  static fromRationals(qs: readonly Rational[]): ScaledVec {
    let den = 1n;
    for (const q of qs) den = lcm(den, q.den);
    return ScaledVec.of(
      qs.map((q) => q.num * (den / q.den)),
      Rational.of(1n, den),
    );
  }

  static zeros(d: number): ScaledVec {
    return ScaledVec.of(new Array<bigint>(d).fill(0n));
  }

  get dim(): number {
    return this.ints.length;
  }

  get(k: number): Rational {
    return this.scale.mul(Rational.of(this.ints[k]!));
  }

  toRationals(): Rational[] {
    return this.ints.map((v) => this.scale.mul(Rational.of(v)));
  }

  isZero(): boolean {
    return this.maxAbs === 0n;
  }

  dot(o: ScaledVec): Rational {
    const t = intDot(this, o);
    return t === 0n ? Rational.ZERO : this.scale.mul(o.scale).mul(Rational.of(t));
  }

  norm2(): Rational {
    return this.dot(this);
  }

  /** this + c * o */
  addScaled(c: Rational, o: ScaledVec): ScaledVec {
    if (c.isZero() || o.isZero()) return this;
    // Common scale: this.scale = a/b, c*o.scale = p/q  ->  (a*q*ints + p*b*o.ints) / (b*q)
    const s = c.mul(o.scale);
    const den = lcm(this.scale.den, s.den);
    const fa = this.scale.num * (den / this.scale.den);
    const fb = s.num * (den / s.den);
    const out = this.ints.map((v, k) => fa * v + fb * o.ints[k]!);
    return ScaledVec.of(out, Rational.of(1n, den));
  }

  times(c: Rational): ScaledVec {
    return ScaledVec.of(this.ints.slice(), this.scale.mul(c));
  }

  equals(o: ScaledVec): boolean {
    if (this.isZero() || o.isZero()) return this.isZero() && o.isZero();
    return this.scale.eq(o.scale) && this.ints.every((v, k) => v === o.ints[k]);
  }
}

/** The exact integer <a.ints, b.ints>. */
export function intDot(a: ScaledVec, b: ScaledVec): bigint {
  const d = a.ints.length;
  if (b.ints.length !== d) throw new RangeError(`dimension mismatch ${d} vs ${b.ints.length}`);
  if (a.nums && b.nums && a.maxAbs * b.maxAbs * BigInt(d) < TWO53) {
    const x = a.nums;
    const y = b.nums;
    let s = 0;
    for (let k = 0; k < d; k++) s += x[k]! * y[k]!;
    return BigInt(s);
  }
  let s = 0n;
  for (let k = 0; k < d; k++) s += a.ints[k]! * b.ints[k]!;
  return s;
}

/** Gram matrix <x_i, x_k> of a list of vectors (symmetric, computed once per pair). */
export function gram(xs: readonly ScaledVec[]): Rational[][] {
  const n = xs.length;
  const G: Rational[][] = Array.from({ length: n }, () => new Array<Rational>(n));
  for (let i = 0; i < n; i++) {
    for (let k = i; k < n; k++) {
      const v = xs[i]!.dot(xs[k]!);
      G[i]![k] = v;
      G[k]![i] = v;
    }
  }
  return G;
}

/**
 * v_k = ints[k] / den with den > 0 the lcm of the denominators, and nz the positions of the
 * nonzero entries: sums over v become BigInt dot products with one reduction at the end.
 */
export function commonDenominator(v: readonly Rational[]): { ints: bigint[]; den: bigint; nz: number[] } {
  let den = 1n;
  const nz: number[] = [];
  v.forEach((q, k) => {
    if (q.isZero()) return;
    nz.push(k);
    if (den % q.den !== 0n) den = lcm(den, q.den);
  });
  return { ints: v.map((q) => (q.isZero() ? 0n : q.num * (den / q.den))), den, nz };
}

/**
 * (H z)_a for the rows `rows` of H (all rows by default): z on one denominator, each row on
 * its own, so every entry is one BigInt dot product and one reduced Rational instead of
 * one gcd per term. Same exact values as the term-by-term sum.
 */
export function matVec(H: readonly (readonly Rational[])[], z: readonly Rational[], rows?: readonly number[]): Rational[] {
  const zs = commonDenominator(z);
  const idx = rows ?? H.map((_, a) => a);
  if (zs.nz.length === 0) return idx.map(() => Rational.ZERO);
  const zi = zs.nz.map((b) => zs.ints[b]!);
  return idx.map((a) => {
    const row = H[a]!;
    let L = 1n;
    for (const b of zs.nz) {
      const den = row[b]!.den;
      if (den !== 1n && L % den !== 0n) L = lcm(L, den);
    }
    let s = 0n;
    zs.nz.forEach((b, k) => {
      const h = row[b]!;
      if (h.num !== 0n) s += (L === 1n ? h.num : h.num * (L / h.den)) * zi[k]!;
    });
    return s === 0n ? Rational.ZERO : Rational.of(s, L * zs.den);
  });
}
