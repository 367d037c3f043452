// A dataset as text for counterexamples: x with y when d is small, else the Gram matrix.
import { gram } from '../exact/vec.ts';
import type { Dataset } from '../data/dataset.ts';

/** x with y when d is small; else the Gram matrix <x_i,x_k> (what the claims depend on). */
export function matrixText(data: Dataset): string {
  const n = data.x.length;
  const d = data.x[0]?.dim ?? 0;
  const useX = d <= 8;
  const rows = useX ? data.x.map((v) => v.toRationals().map(String)) : gram(data.x).map((r) => r.map(String));
  const cells = rows.map((r, i) => [data.y[i] === 1 ? '+1' : '-1', ...r]);
  const widths = cells[0]!.map((_, j) => Math.max(...cells.map((r) => r[j]!.length)));
  const head = useX ? `y  | x (n = ${n}, d = ${d})` : `y  | Gram matrix <x_i,x_k> (n = ${n}, d = ${d})`;
  return [
    head,
    ...cells.map(
      (r) =>
        `${r[0]} | ${r
          .slice(1)
          .map((c, j) => c.padStart(widths[j + 1]!))
          .join(' ')}`,
    ),
  ].join('\n');
}
