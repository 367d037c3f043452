// Losses on the margin z = y N(x): numerically stable float64 evaluations.

export type Loss = 'logistic' | 'exponential';

/** softplus(z) = ln(1 + e^z), stable for all z. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** ℓ(z): logistic ln(1+e^{-z}) or exponential e^{-z}. */
export function lossValue(loss: Loss, z: number): number {
  return loss === 'exponential' ? Math.exp(-z) : softplus(-z);
}

/** ℓ'(z) (negative): logistic -1/(1+e^z), exponential -e^{-z}. */
export function lossDeriv(loss: Loss, z: number): number {
  if (loss === 'exponential') return -Math.exp(-z);
  // -1/(1+e^z) = -sigmoid(-z), stable on both sides
  if (z >= 0) {
    const e = Math.exp(-z);
    return -e / (1 + e);
  }
  return -1 / (1 + Math.exp(z));
}

/** ln ℓ(z), finite even where ℓ(z) underflows. */
function logLoss(loss: Loss, z: number): number {
  if (loss === 'exponential') return -z;
  if (z > 30) return -z + Math.log1p(-0.5 * Math.exp(-z));
  return Math.log(softplus(-z));
}

/** ln |ℓ'(z)|. */
function logAbsDeriv(loss: Loss, z: number): number {
  return loss === 'exponential' ? -z : -softplus(z);
}

/**
 * Per-point gradient weights r_i = |ℓ'(q_i)| (plain) or |ℓ'(q_i)| / Σ_k ℓ(q_k)
 * (normalized, computed in the log domain so it never overflows or underflows to 0/0).
 * Writes into `out` (length n).
 */
export function gradientWeights(loss: Loss, q: ArrayLike<number>, normalized: boolean, out: Float64Array): void {
  const n = q.length;
  if (!normalized) {
    for (let i = 0; i < n; i++) out[i] = -lossDeriv(loss, q[i]!);
    return;
  }
  // log Σ ℓ(q_k) by log-sum-exp
  let mx = -Infinity;
  for (let i = 0; i < n; i++) {
    const l = logLoss(loss, q[i]!);
    out[i] = l;
    if (l > mx) mx = l;
  }
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(out[i]! - mx);
  const logL = mx + Math.log(s);
  for (let i = 0; i < n; i++) out[i] = Math.exp(logAbsDeriv(loss, q[i]!) - logL);
}
