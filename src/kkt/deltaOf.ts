// δ = max_a λ_a (q_a - 1) (0 for no point), THEORY.md's D2 with q_a the margins: one long gcd,
// for the answer only. Each term stays unreduced, (λ.num (q.num - q.den)) / (λ.den q.den)
// (no gcd per point), floats propose the largest (log2 of each term from its top 53 bits,
// within 2^-40 relative), and only those within that margin of the float maximum are compared
// exactly, by cross-multiplication. Same value as maxOf over reduced products.
import { Rational, bitLength } from '../exact/rational.ts';

/** log2 |v| for v ≠ 0 from its top 53 bits (relative error ~2^-52 in |v|). */
function log2Abs(v: bigint): number {
  const m = v < 0n ? -v : v;
  const x = Number(m); // rounded to nearest: within 2^-53 relative while finite
  if (x < Infinity) return Math.log2(x);
  const shift = Math.max(0, bitLength(m) - 53);
  return Math.log2(Number(m >> BigInt(shift))) + shift;
}

/** Margin in log2 for "maybe the largest": far above the estimates' error (~1e-13 at 2^10000). */
const MARGIN = 1e-9;

export function deltaOf(lambda: readonly Rational[], q: readonly Rational[]): Rational {
  // each term's sign from its factors' (denominators are positive): products only for the pool
  const sign = lambda.map((l, a) => l.sign() * (q[a]!.num > q[a]!.den ? 1 : q[a]!.num < q[a]!.den ? -1 : 0));
  const positive = sign.some((v) => v > 0);
  if (!positive && (sign.length === 0 || sign.some((v) => v === 0))) return Rational.ZERO;
  // positives: the largest log; all negative: the smallest log (closest to 0)
  const pool = lambda
    .map((l, a) => ({ l, q: q[a]!, s: sign[a]! }))
    .filter((t) => !positive || t.s > 0)
    .map(({ l, q: qa }) => ({ num: l.num * (qa.num - qa.den), den: l.den * qa.den }));
  const logs = pool.map((t) => log2Abs(t.num) - log2Abs(t.den));
  const best = positive ? Math.max(...logs) : Math.min(...logs);
  const near = pool.filter((_, k) => Math.abs(logs[k]! - best) <= MARGIN);
  let { num, den } = near[0]!;
  for (const t of near) if (t.num * den > num * t.den) ({ num, den } = t);
  return Rational.of(num, den);
}
