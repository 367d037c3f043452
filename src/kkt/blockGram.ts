// The Gram of the certificate's columns (src/kkt/certificate.ts): each column is a data
// point's gradient restricted to some blocks θ_j (a λ column: the units active on the point;
// a kink column μ_ja: unit j alone), plus its part in θ's extra coordinates.
import { Rational } from '../exact/rational.ts';

/** What the Gram reads of a certificate column. */
export interface BlockColumn {
  point: number;
  /** coefficient per block (0 where absent) */
  coef: readonly Rational[];
  /** λ columns with an extra block: y_a times the point's gradient there */
  extra?: readonly Rational[];
}

/** <a, b> over the extra coordinates (0 when either is absent). */
export const dotExtra = (a?: readonly Rational[], b?: readonly Rational[]): Rational =>
  a && b
    ? a.reduce((s, t, k) => (t.isZero() || b[k]!.isZero() ? s : s.add(t.mul(b[k]!))), Rational.ZERO)
    : Rational.ZERO;

/**
 * H_ab = (Σ_j coef_a[j] coef_b[j]) <x_a, x_b> + <extra_a, extra_b>. Two columns meet only on
 * the blocks both use, so the sums run block by block over each block's users: a kink column
 * uses one block, and kink columns of different units are 0 without a visit. `uses[k]`: the
 * blocks column k sums over (every block on the slow path: the same sums, zero terms added).
 */
export function blockGram(
  G: readonly (readonly Rational[])[],
  cols: readonly BlockColumn[],
  uses: readonly (readonly number[])[],
  m: number,
): Rational[][] {
  const N = cols.length;
  const H = Array.from({ length: N }, () => new Array<Rational>(N).fill(Rational.ZERO));
  const users = Array.from({ length: m }, () => [] as number[]);
  uses.forEach((js, k) => js.forEach((j) => users[j]!.push(k)));
  const met = new Uint8Array(N * N); // pairs (a <= b) that share a block, listed once in `pairs`
  const pairs: number[] = [];
  users.forEach((us, j) => {
    for (let x = 0; x < us.length; x++) {
      const ka = us[x]!;
      const row = H[ka]!;
      const a = cols[ka]!.coef[j]!;
      for (let y = x; y < us.length; y++) {
        const kb = us[y]!;
        row[kb] = row[kb]!.add(a.mul(cols[kb]!.coef[j]!));
        if (!met[ka * N + kb]) {
          met[ka * N + kb] = 1;
          pairs.push(ka, kb);
        }
      }
    }
  });
  for (let t = 0; t < pairs.length; t += 2) {
    const [ka, kb] = [pairs[t]!, pairs[t + 1]!];
    const s = H[ka]![kb]!;
    H[ka]![kb] = H[kb]![ka] = s.isZero() ? s : s.mul(G[cols[ka]!.point]![cols[kb]!.point]!);
  }
  // the extra block: λ columns only (a kink column has none)
  const withExtra = cols.map((_, k) => k).filter((k) => cols[k]!.extra);
  for (const ka of withExtra)
    for (const kb of withExtra)
      if (ka <= kb) H[ka]![kb] = H[kb]![ka] = H[ka]![kb]!.add(dotExtra(cols[ka]!.extra, cols[kb]!.extra));
  return H;
}
