// Integer vectors with one shared rational scale (ARCHITECTURE.md): v = scale * ints.
// A dot product is one integer dot product (in Number arithmetic while every partial
// sum provably stays below 2^53, else BigInt: the same exact integer either way) and
// one scale multiplication.
import { Rational, gcd, lcm, babs } from './rational.ts';

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

/** The exact integer <a.ints, b.ints>. */
export function intDot(a: ScaledVec, b: ScaledVec): bigint {
  const d = a.dim;
  if (b.dim !== d) throw new RangeError(`dimension mismatch ${d} vs ${b.dim}`);
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
  const ints = signGram(xs) ?? intGramBlocked(xs);
  const set = (i: number, k: number, t: bigint) => {
    const v = t === 0n ? Rational.ZERO : xs[i]!.scale.mul(xs[k]!.scale).mul(Rational.of(t));
    G[i]![k] = v;
    G[k]![i] = v;
  };
  for (let i = 0; i < n; i++)
    for (let k = i; k < n; k++) set(i, k, ints ? BigInt(ints[i * n + k]!) : intDot(xs[i]!, xs[k]!));
  return G;
}

/** The number of set bits of a 32-bit word (SWAR: JS has no popcount instruction). */
function pop32(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) | 0;
}

/**
 * The integer Gram of sign rows (entries in {-1, 0, 1}: the generators' usual data) from bit
 * masks, 32 entries a word: with Z the nonzero entries and S the negative ones,
 * <a, b> = |Za & Zb| - 2 |Za & Zb & (Sa ^ Sb)|, and d - 2 |Sa ^ Sb| when no entry is 0.
 * Same integers as intGramBlocked, about 10× fewer operations; null unless every row is a
 * sign row. Upper triangle only (k >= i), row-major n × n.
 */
function signGram(xs: readonly ScaledVec[]): Float64Array | null {
  const n = xs.length;
  if (n === 0) return null;
  const d = xs[0]!.dim;
  if (xs.some((x) => !x.nums || x.maxAbs > 1n || x.dim !== d)) return null;
  const W = (d + 31) >>> 5;
  const S = new Int32Array(n * W);
  const Z = new Int32Array(n * W);
  let zeros = false;
  xs.forEach((x, i) => (zeros = packSigns(x.nums!, Z, S, i * W) || zeros));
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let k = i; k < n; k++)
      out[i * n + k] = zeros ? signDot(Z, S, i * W, k * W, W) : d - 2 * differ(S, i * W, k * W, W);
  return out;
}

/** Row v's nonzero and negative entries as bits of Z and S from word `at` on; true when v has a 0. */
function packSigns(v: Float64Array, Z: Int32Array, S: Int32Array, at: number): boolean {
  let nonzero = 0;
  for (let w = 0; w * 32 < v.length; w++) {
    let z = 0;
    let s = 0;
    const end = Math.min(32, v.length - w * 32);
    for (let b = 0; b < end; b++) {
      const e = v[w * 32 + b]!;
      // branch-free: random signs would mispredict half the time (4× slower)
      z |= +(e !== 0) << b;
      s |= +(e < 0) << b;
    }
    Z[at + w] = z;
    S[at + w] = s;
    nonzero += pop32(z);
  }
  return nonzero < v.length;
}

/** |Sa ^ Sb| over the words [a, a + W) and [b, b + W). */
function differ(S: Int32Array, a: number, b: number, W: number): number {
  let s = 0;
  for (let t = 0; t < W; t++) s += pop32(S[a + t]! ^ S[b + t]!);
  return s;
}

/** |Za & Zb| - 2 |Za & Zb & (Sa ^ Sb)|. */
function signDot(Z: Int32Array, S: Int32Array, a: number, b: number, W: number): number {
  let both = 0;
  let neg = 0;
  for (let t = 0; t < W; t++) {
    const z = Z[a + t]! & Z[b + t]!;
    both += pop32(z);
    neg += pop32(z & (S[a + t]! ^ S[b + t]!));
  }
  return both - 2 * neg;
}

/**
 * The integer Gram <ints_i, ints_k> in doubles, 2×2 register-blocked (each pass over four
 * rows gives four dot products: half the memory traffic of pair by pair), when every partial
 * sum provably stays below 2^53 (max|ints|² · d < 2^53, the bound intDot uses); else null.
 * Upper triangle only (k >= i), row-major n × n.
 */
function intGramBlocked(xs: readonly ScaledVec[]): Float64Array | null {
  const n = xs.length;
  if (n === 0) return null;
  const d = xs[0]!.dim;
  let m = 0n;
  for (const x of xs) {
    if (!x.nums || x.dim !== d) return null;
    if (x.maxAbs > m) m = x.maxAbs;
  }
  if (m * m * BigInt(d) >= TWO53) return null;
  const out = new Float64Array(n * n);
  const rows = xs.map((x) => x.nums!);
  for (let i = 0; i < n; i += 2) {
    const a0 = rows[i]!;
    const a1 = rows[Math.min(i + 1, n - 1)]!;
    for (let k = i; k < n; k += 2) {
      const b0 = rows[k]!;
      const b1 = rows[Math.min(k + 1, n - 1)]!;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let t = 0; t < d; t++) {
        const x0 = a0[t]!;
        const x1 = a1[t]!;
        const y0 = b0[t]!;
        const y1 = b1[t]!;
        s00 += x0 * y0;
        s01 += x0 * y1;
        s10 += x1 * y0;
        s11 += x1 * y1;
      }
      // the clamped last row/column duplicates an entry already written: same value
      out[i * n + k] = s00;
      if (k + 1 < n) out[i * n + k + 1] = s01;
      if (i + 1 < n) {
        if (k >= i + 1) out[(i + 1) * n + k] = s10;
        if (k + 1 < n) out[(i + 1) * n + k + 1] = s11;
      }
    }
  }
  return out;
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
  let kept = products.get(H);
  if (!kept) products.set(H, (kept = []));
  const hit = kept.find(
    (k) => k.z.length === z.length && k.z.every((v, a) => v.num === z[a]!.num && v.den === z[a]!.den),
  );
  if (hit) return hit.Hz.slice();
  const Hz = matVecRows(
    H,
    z,
    H.map((_, a) => a),
  );
  kept.unshift({ z: z.slice(), Hz: Hz.slice() });
  if (kept.length > PRODUCTS_KEPT) kept.pop();
  return Hz;
}

const products = new WeakMap<readonly (readonly Rational[])[], { z: Rational[]; Hz: Rational[] }[]>();
const PRODUCTS_KEPT = 2;

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
  // integer rows (the Gram of integer data): one denominator, so the gcds are batched
  if (Ls.every((L) => L === 1n)) return overDen(sums, zs.den);
  return sums.map((s, k) => (s === 0n ? Rational.ZERO : Rational.of(s, Ls[k]! * zs.den)));
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
  const r = v.map((x) => ((x % Db) + Db) % Db);
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
