// Model parameters θ = (θ_0..θ_{m-1}) kept with what every claim needs of them:
// the pre-activations <θ_j, x_i> and the block norms ||θ_j||^2. Updates by data points
// (GA steps, max-margin and retrained solutions) go through the Gram matrix, so no
// d-dimensional work happens until the vectors are asked for (output only).
import { Rational } from '../exact/rational.ts';
import { ScaledVec } from '../exact/vec.ts';
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
    const p = new Params(pre, theta.map((t) => t.norm2()), () => theta.slice());
    p.cache = theta.slice();
    return p;
  }

  /** θ_j = Σ_i coef[j][i] x_i, all from the Gram matrix G. */
  static fromCombination(coef: readonly (readonly Rational[])[], data: Dataset, G: readonly (readonly Rational[])[]): Params {
    const d = data.x[0]?.dim ?? 0;
    return Params.zero(coef.length, data.x.length, d).plus(coef, data, G);
  }

  static zero(m: number, n: number, d: number): Params {
    const pre = Array.from({ length: m }, () => new Array<Rational>(n).fill(Rational.ZERO));
    return new Params(pre, new Array<Rational>(m).fill(Rational.ZERO), () => Array.from({ length: m }, () => ScaledVec.zeros(d)));
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
    const n = data.x.length;
    const pre = this.pre.map((row, j) => {
      const cj = coef[j]!;
      return row.map((p, i) => {
        let s = p;
        for (let r = 0; r < n; r++) if (!cj[r]!.isZero()) s = s.add(cj[r]!.mul(G[r]![i]!));
        return s;
      });
    });
    const norm2 = this.norm2.map((v, j) => {
      // ||θ_j + Σ a_r x_r||^2 = ||θ_j||^2 + 2 Σ a_r <θ_j,x_r> + Σ a_r a_s G_rs
      const a = coef[j]!;
      let s = v;
      for (let r = 0; r < n; r++) {
        if (a[r]!.isZero()) continue;
        s = s.add(a[r]!.mul(this.pre[j]![r]!).mul(Rational.of(2)));
        for (let t = 0; t < n; t++) if (!a[t]!.isZero()) s = s.add(a[r]!.mul(a[t]!).mul(G[r]![t]!));
      }
      return s;
    });
    return new Params(pre, norm2, () =>
      this.vectors().map((t, j) => coef[j]!.reduce((acc, c, r) => acc.addScaled(c, data.x[r]!), t)),
    );
  }

  /** The blocks θ_j as vectors (computed once, on demand). */
  vectors(): ScaledVec[] {
    if (!this.cache) this.cache = this.build();
    return this.cache;
  }
}
