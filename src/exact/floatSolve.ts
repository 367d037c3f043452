// Float Gaussian elimination with partial pivoting of [M | rhs] in the kernels
// (src/exact/kernels/eliminate.wat floatSolve): the guesses of the exact engine (allActive's
// all-active z, Dixon's log2 |det A|), never a verdict.
import { claim } from './wasm.ts';

/**
 * z with M z = rhs (M square, its rows given) and log2 |det M| from the eliminated diagonal,
 * or null when a pivot vanishes.
 */
export function floatSolve(
  M: readonly ArrayLike<number>[],
  rhs: ArrayLike<number>,
): { z: Float64Array; log2Det: number } | null {
  const n = M.length;
  const W = n + 1;
  const { k, at, f64 } = claim([8 * n * W, 8 * n]);
  const [T, zAt] = at;
  M.forEach((row, i) => {
    f64.set(row, T / 8 + i * W);
    f64[T / 8 + i * W + n] = rhs[i]!;
  });
  if (!k.floatSolve(T, n, zAt)) return null;
  let log2Det = 0;
  for (let i = 0; i < n; i++) log2Det += Math.log2(Math.abs(f64[T / 8 + i * W + i]!));
  return { z: f64.slice(zAt / 8, zAt / 8 + n), log2Det };
}
