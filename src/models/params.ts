// Model parameters θ = (θ_0..θ_{m-1}) kept with what every claim needs of them:
// the pre-activations <θ_j, x_i> and the block norms ||θ_j||^2. Updates by data points
// (GA steps, max-margin and retrained solutions) go through the Gram matrix, so no
// d-dimensional work happens until the vectors are asked for (output only).
import { Rational, lcm } from '../exact/rational.ts';
import { ScaledVec, commonDenominator, overDen } from '../exact/vec.ts';
import type { Dataset } from '../data/dataset.ts';

export class Params {
  /** pre[j][i] = <θ_j, x_i> */
  readonly pre: readonly (readonly Rational[])[];
  /** norm2[j] = ||θ_j||^2 */
  readonly norm2: readonly Rational[];
  private cache: ScaledVec[] | null;
  private readonly build: () => ScaledVec[];

  private constructor(pre: Rational[][], norm2: Rational[], build: () => ScaledVec[]) {
    this.pre = pre;
    this.norm2 = norm2;
    this.cache = null;
    this.build = build;
  }

  /** Explicit blocks (a case file's theta). */
  static fromVectors(theta: readonly ScaledVec[], data: Dataset): Params {
    const pre = theta.map((t) => data.x.map((x) => t.dot(x)));
    const p = new Params(
      pre,
      theta.map((t) => t.norm2()),
      () => theta.slice(),
    );
    p.cache = theta.slice();
    return p;
  }

  /** θ_j = Σ_i coef[j][i] x_i, all from the Gram matrix G. */
  static fromCombination(
    coef: readonly (readonly Rational[])[],
    data: Dataset,
    G: readonly (readonly Rational[])[],
  ): Params {
    const d = data.x[0]?.dim ?? 0;
    return Params.zero(coef.length, data.x.length, d).plus(coef, data, G);
  }

  /**
   * θ_j = Σ_i coef[j][i] x_i when its pre-activations and block norms are already known
   * exactly (a max-margin dual proves y_i <w, x_i> = 1 on its support): no Gram products.
   */
  static withKnown(
    coef: readonly (readonly Rational[])[],
    data: Dataset,
    pre: Rational[][],
    norm2: Rational[],
  ): Params {
    return new Params(pre, norm2, () => coef.map((c) => combination(c, data)));
  }

  static zero(m: number, n: number, d: number): Params {
    const pre = Array.from({ length: m }, () => new Array<Rational>(n).fill(Rational.ZERO));
    return new Params(pre, new Array<Rational>(m).fill(Rational.ZERO), () =>
      Array.from({ length: m }, () => ScaledVec.zeros(d)),
    );
  }

  get blocks(): number {
    return this.pre.length;
  }

  /** ||θ||^2 = Σ_j ||θ_j||^2 */
  get normSquared(): Rational {
    return this.norm2.reduce((a, b) => a.add(b), Rational.ZERO);
  }

  /** θ + Σ_{j,i} coef[j][i] x_i (block j moved along the data points). */
  plus(coef: readonly (readonly Rational[])[], data: Dataset, G: readonly (readonly Rational[])[]): Params {
    // Shared denominators (ARCHITECTURE.md): coef[j] = a / Dc and G = Gi / E with integer a,
    // Gi, so each new entry is one BigInt sum and one reduced Rational instead of n
    // Rational operations (each a gcd of long integers). Same exact values.
    const g = sharedGram(G);
    // per block: coef[j] = a / Dc and s_i = Σ_r a_r Gi_ri, so <moved, x_i> = s_i / (Dc E)
    const sums = coef.map((c) => {
      const { ints: a, den: Dc, nz } = commonDenominator(c);
      const s = g.ints.map((_, i) => {
        let t = 0n;
        for (const r of nz) t += a[r]! * g.ints[r]![i]!;
        return t;
      });
      return { a, Dc, nz, s };
    });
    const pre = this.pre.map((row, j) => {
      const { Dc, nz, s } = sums[j]!;
      if (nz.length === 0) return row.slice();
      // one point moved (a single forget) on an integer Gram: c_r G_ri, each reduced by a
      // short gcd (G_ri against the reduced c_r's denominator), not overDen's batched long ones
      const one = nz.length === 1 && g.den === 1n ? coef[j]![nz[0]!]! : null;
      const moved = one ? G[nz[0]!]!.map((v) => one.mul(v)) : overDen(s, Dc * g.den);
      return row.map((p, i) => p.add(moved[i]!));
    });
    const norm2 = this.norm2.map((v, j) => {
      // ||θ_j + Σ a_r x_r||^2 = ||θ_j||^2 + 2 Σ a_r <θ_j,x_r> + Σ a_r a_u G_ru, the last Σ_r a_r s_r
      const { a, Dc, nz, s } = sums[j]!;
      if (nz.length === 0) return v;
      const p = commonDenominator(nz.map((r) => this.pre[j]![r]!));
      let cross = 0n;
      let quad = 0n;
      nz.forEach((r, k) => {
        cross += a[r]! * p.ints[k]!;
        quad += a[r]! * s[r]!;
      });
      return v.add(Rational.of(2n * cross, Dc * p.den)).add(Rational.of(quad, Dc * Dc * g.den));
    });
    return new Params(pre, norm2, () =>
      this.vectors().map((t, j) => t.addScaled(Rational.ONE, combination(coef[j]!, data))),
    );
  }

  /** The blocks θ_j as vectors (computed once, on demand). */
  vectors(): ScaledVec[] {
    if (!this.cache) this.cache = this.build();
    return this.cache;
  }
}

/**
 * Σ_r c_r x_r on one denominator: c_r · scale_r = a_r / D, so each entry is one BigInt sum
 * Σ_r a_r ints_r[t] (no per-step rescaling and normalization as a chain of addScaled). Same vector.
 */
function combination(c: readonly Rational[], data: Dataset): ScaledVec {
  const d = data.x[0]?.dim ?? 0;
  const terms = commonDenominator(c.map((cr, r) => (cr.isZero() ? cr : cr.mul(data.x[r]!.scale))));
  const acc = new Array<bigint>(d).fill(0n);
  const unit = terms.nz.every((r) => data.x[r]!.maxAbs <= 1n);
  if (unit) addUnitRows(acc, terms.nz, terms.ints, data);
  else
    for (const r of terms.nz) {
      const a = terms.ints[r]!;
      const x = data.x[r]!.ints;
      for (let t = 0; t < d; t++) {
        const v = x[t]!;
        if (v === 0n) continue;
        acc[t] = v === 1n ? acc[t]! + a : v === -1n ? acc[t]! - a : acc[t]! + a * v;
      }
    }
  return ScaledVec.of(acc, Rational.of(1n, terms.den));
}

/** Rows per group in addUnitRows: 3^4 = 81 partial sums per group. */
const GROUP = 4;

/**
 * acc[t] += Σ_r a_r x_r[t] for rows with entries in {-1, 0, 1} (sign data, the usual case):
 * for each group of GROUP rows the 3^GROUP sums Σ_q s_q a_(r_q) are formed once, and each
 * entry takes one of them by the digits (x_(r_q)[t] + 1), one BigInt addition per group
 * instead of one per row. The same integers.
 */
function addUnitRows(acc: bigint[], rows: readonly number[], a: readonly bigint[], data: Dataset): void {
  const d = acc.length;
  for (let g = 0; g < rows.length; g += GROUP) {
    const group = rows.slice(g, g + GROUP);
    let sums: bigint[] = [0n];
    for (const r of group) sums = sums.flatMap((s) => [s - a[r]!, s, s + a[r]!]); // digit 0, 1, 2 for -1, 0, 1
    const xs = group.map((r) => data.x[r]!.nums!);
    const zero = (sums.length - 1) / 2; // every digit 1: the sum 0
    for (let t = 0; t < d; t++) {
      let k = 0;
      for (const x of xs) k = 3 * k + x[t]! + 1;
      if (k !== zero) acc[t] = acc[t]! + sums[k]!;
    }
  }
}

/** The Gram matrix as Gi / E (integers over one denominator), computed once per matrix. */
const gramCache = new WeakMap<readonly (readonly Rational[])[], { ints: bigint[][]; den: bigint }>();
function sharedGram(G: readonly (readonly Rational[])[]): { ints: bigint[][]; den: bigint } {
  let out = gramCache.get(G);
  if (!out) {
    let den = 1n;
    for (const row of G) for (const q of row) if (q.den !== 1n && den % q.den !== 0n) den = lcm(den, q.den);
    out = { ints: G.map((row) => row.map((q) => (den === 1n ? q.num : q.num * (den / q.den)))), den };
    gramCache.set(G, out);
  }
  return out;
}
