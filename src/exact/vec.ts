// Integer vectors with one shared rational scale (ARCHITECTURE.md): v = scale * ints.
// A dot product is one integer dot product (in Number arithmetic while every partial
// sum provably stays below 2^53, else BigInt: the same exact integer either way) and
// one scale multiplication.
import { Rational, gcd, lcm, babs } from './rational.ts';
import { intDot, intGram } from './intGram.ts';

const TWO53 = 1n << 53n;

export class ScaledVec {
  readonly scale: Rational;
  /** max |ints[k]|, for the 2^53 bound. */
  readonly maxAbs: bigint;
  /** The ints as doubles when each is a safe integer, else null. */
  readonly nums: Float64Array | null;
  private big: bigint[] | null;

  private constructor(ints: bigint[] | null, scale: Rational, nums?: Float64Array, maxAbs?: number) {
    this.big = ints;
    this.scale = scale;
    if (nums) {
      this.nums = nums;
      this.maxAbs = BigInt(maxAbs!);
      return;
    }
    let m = 0n;
    for (const v of ints!) {
      const a = babs(v);
      if (a > m) m = a;
    }
    this.maxAbs = m;
    this.nums = m < TWO53 ? Float64Array.from(ints!, Number) : null;
  }

  /** The integer entries (made from nums on first use: large data rows need never hold a BigInt each). */
  get ints(): readonly bigint[] {
    return (this.big ??= Array.from(this.nums!, BigInt));
  }

  /**
   * Safe integers (|v| < 2^53) as a vector of scale 1, normalized like `of`, without a BigInt
   * per entry (the case reader's rows of plain integers). `nums` is kept, not copied.
   */
  static ofSafeInts(nums: Float64Array): ScaledVec {
    let g = 0;
    let m = 0;
    for (let k = 0; k < nums.length; k++) {
      const a = Math.abs(nums[k]!);
      if (a > m) m = a;
      if (g !== 1 && a !== 0) {
        let u = g;
        let v = a;
        while (v) [u, v] = [v, u % v];
        g = u;
      }
    }
    if (g === 0) return ScaledVec.of(Array.from(nums, () => 0n));
    if (g === 1) return new ScaledVec(null, Rational.ONE, nums, m);
    return new ScaledVec(
      null,
      Rational.of(g),
      nums.map((v) => v / g),
      m / g,
    );
  }

  /** scale * ints, normalized so the ints have gcd 1 (zero vector: scale 1). */
  static of(ints: bigint[], scale: Rational = Rational.ONE): ScaledVec {
    let g = 0n;
    for (const v of ints) {
      g = gcd(g, v);
      if (g === 1n) break;
    }
    if (g === 0n || scale.isZero())
      return new ScaledVec(
        ints.map(() => 0n),
        Rational.ONE,
      );
    if (g !== 1n)
      return new ScaledVec(
        ints.map((v) => v / g),
        scale.mul(Rational.of(g)),
      );
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
    return (this.nums ?? this.big!).length;
  }

  get(k: number): Rational {
    return this.scale.mul(Rational.of(this.ints[k]!));
  }

  toRationals(): Rational[] {
    return scaledOver(this.ints, this.scale.num, this.scale.den);
  }

  /**
   * The entries as reduced "num/den" strings: toRationals().map(String) without a Rational per
   * entry, and each distinct denominator printed once (BigInt printing dominates large outputs).
   */
  toStrings(): string[] {
    const { num: N, den: D } = this.scale;
    if (D === 1n) return this.ints.map((v) => String(v * N));
    const g = gcdsWith(this.ints, D);
    const dens = new Map<bigint, string>();
    return this.ints.map((v, t) => {
      if (v === 0n) return '0';
      const gt = g[t]!;
      const den = D / gt;
      if (den === 1n) return String(N * (v / gt));
      let ds = dens.get(gt);
      if (ds === undefined) dens.set(gt, (ds = String(den)));
      return `${N * (v / gt)}/${ds}`;
    });
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

/** N·v_t / D reduced (N, D coprime, D > 0), by gcdsWith's batched gcds instead of one long gcd per entry. */
function scaledOver(v: readonly bigint[], N: bigint, D: bigint): Rational[] {
  if (D === 1n) return v.map((x) => Rational.of(x * N));
  const g = gcdsWith(v, D);
  return v.map((x, t) => (x === 0n ? Rational.ZERO : Rational.ofCoprime(N * (x / g[t]!), D / g[t]!)));
}

/** ints[t] / den (den > 0), each reduced: the same values as Rational.of(ints[t], den) one by one. */
export function overDen(ints: readonly bigint[], den: bigint): Rational[] {
  return scaledOver(ints, 1n, den);
}

/** Gram matrix <x_i, x_k> of a list of vectors (symmetric, computed once per pair). */
export function gram(xs: readonly ScaledVec[]): Rational[][] {
  const n = xs.length;
  const G: Rational[][] = Array.from({ length: n }, () => new Array<Rational>(n));
  const ints = intGram(xs);
  const unit = xs.every((x) => x.scale.num === 1n && x.scale.den === 1n); // integer data: G = the integers
  // the small routes' doubles repeat (sign data: a few hundred values): one Rational each
  const seen = new Map<number, Rational>();
  const ofInt = (t: number | bigint) => {
    if (typeof t === 'bigint') return Rational.of(t);
    let q = seen.get(t);
    if (!q) seen.set(t, (q = Rational.of(t)));
    return q;
  };
  for (let i = 0; i < n; i++)
    for (let k = i; k < n; k++) {
      const t = ints[i * n + k]!;
      G[i]![k] = G[k]![i] =
        t === 0 || t === 0n ? Rational.ZERO : unit ? ofInt(t) : xs[i]!.scale.mul(xs[k]!.scale).mul(ofInt(t));
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
export function matVec(
  H: readonly (readonly Rational[])[],
  z: readonly Rational[],
  rows?: readonly number[],
): Rational[] {
  if (rows) return matVecRows(H, z, rows);
  // a case asks for H z on the same signed Gram and λ several times (the faces of the
  // max-margin λ and of the certificate, the hint check, ε²): the last answers per H are kept
  const kept = products.get(H) ?? [];
  const hit = kept.find(
    (k) => k.z.length === z.length && k.z.every((v, a) => v.num === z[a]!.num && v.den === z[a]!.den),
  );
  if (hit) return hit.Hz.slice();
  const Hz = matVecRows(
    H,
    z,
    H.map((_, a) => a),
  );
  noteProduct(H, z, Hz);
  return Hz;
}

const products = new WeakMap<readonly (readonly Rational[])[], { z: Rational[]; Hz: Rational[] }[]>();
const PRODUCTS_KEPT = 3;

/**
 * Keep H z for matVec. Also for a caller that knows the product exactly without forming it
 * (a solve proved H λ = 1): it must be H z, entry for entry.
 */
export function noteProduct(
  H: readonly (readonly Rational[])[],
  z: readonly Rational[],
  Hz: readonly Rational[],
): void {
  let kept = products.get(H);
  if (!kept) products.set(H, (kept = []));
  kept.unshift({ z: z.slice(), Hz: Hz.slice() });
  if (kept.length > PRODUCTS_KEPT) kept.pop();
}

function matVecRows(H: readonly (readonly Rational[])[], z: readonly Rational[], idx: readonly number[]): Rational[] {
  const zs = commonDenominator(z);
  if (zs.nz.length === 0) return idx.map(() => Rational.ZERO);
  const zi = zs.nz.map((b) => zs.ints[b]!);
  const Ls: bigint[] = [];
  const sums = idx.map((a) => {
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
    Ls.push(L);
    return s;
  });
  // all rows on one denominator (the lcm of the rows' own: powers of two for binary64 data),
  // so the gcds are batched instead of one long gcd per row
  let Lc = 1n;
  for (const L of Ls) if (Lc % L !== 0n) Lc = lcm(Lc, L);
  return overDen(Lc === 1n ? sums : sums.map((s, k) => s * (Lc / Ls[k]!)), Lc * zs.den);
}

const SMALL_PRIMES = (() => {
  const out: bigint[] = [];
  for (let q = 2; q < 1024; q++) if (out.every((p) => q % Number(p) !== 0)) out.push(BigInt(q));
  return out;
})();

/**
 * gcd(v_t, D) for every t, without one long gcd per entry: D = Ds·Db with Ds the part of D
 * over primes below 1024 (short gcds) and Db the rest; a prime of Db divides v_t only if it
 * divides the product of the v_t mod Db over any range holding t, so one gcd of that product
 * with Db clears a whole range (the usual case: none shares a large prime), and only ranges
 * that do not clear are split, down to per-entry gcds. Same values as gcd(v_t, D) one by one.
 */
export function gcdsWith(v: readonly bigint[], D: bigint): bigint[] {
  if (v.length === 1) return [gcd(v[0]!, D)]; // nothing to batch: one gcd, no trial division
  let Db = D;
  let Ds = 1n;
  for (const p of SMALL_PRIMES) {
    if (p * p > Db) break;
    while (Db % p === 0n) {
      Db /= p;
      Ds *= p;
    }
  }
  if (Db < 1024n * 1024n) [Ds, Db] = [Ds * Db, 1n]; // what is left is small (or prime): short gcds
  const g = v.map((x) => (Ds === 1n ? 1n : gcd(x % Ds, Ds)));
  if (Db === 1n) return g;
  const r = v.map((x) => x % Db); // a residue's sign changes no gcd with Db
  // a multiple of Db (H z = 1 on a minimizer's support, say) has gcd Db at once; the rest are
  // cleared by products over ranges (a zero residue would fail every range that holds it)
  r.forEach((x, t) => {
    if (x === 0n) [g[t], r[t]] = [g[t]! * Db, 1n];
  });
  const split = (lo: number, hi: number): void => {
    if (hi - lo <= 8) {
      for (let t = lo; t < hi; t++) g[t] = g[t]! * gcd(r[t]!, Db);
      return;
    }
    let P = 1n;
    for (let t = lo; t < hi; t++) P = (P * r[t]!) % Db;
    if (gcd(P, Db) === 1n) return;
    const mid = (lo + hi) >> 1;
    split(lo, mid);
    split(mid, hi);
  };
  split(0, v.length);
  return g;
}
