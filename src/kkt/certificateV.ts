// The D2 certificate of the two-layer network with a trained output layer, θ = (W, v)
// (docs/THEORY-extensions.md V0): relu2's certificate of W plus the v-block (models/relu2v.ts).
import type { Rational } from '../exact/rational.ts';
import type { Dataset } from '../data/dataset.ts';
import { InputError } from '../errors.ts';
import type { Model } from '../models/model.ts';
import { type Relu2V, relu } from '../models/relu2v.ts';
import { type Certificate, type CertifyOptions, type Context, type ExtraBlock, certify } from './certificate.ts';

/** The relu2 context with output weights v (the W-block of θ = (W, v)). */
export function contextV(data: Dataset, G: readonly (readonly Rational[])[], v: readonly Rational[]): Context {
  const model: Model = { kind: 'relu2', v };
  return { model, data, G };
}

/** The v-block: θ's values v and each point's gradient there, σ(<w_j, x_i>). */
function extraOf(theta: Relu2V): ExtraBlock {
  const n = theta.W.pre[0]?.length ?? 0;
  return { theta: theta.v, gradient: Array.from({ length: n }, (_, i) => theta.W.pre.map((row) => relu(row[i]!))) };
}

/** The D2 certificate of θ = (W, v) w.r.t. `points` (optimal, or inherited with opts.lambda). */
export function certifyV(
  data: Dataset,
  G: readonly (readonly Rational[])[],
  theta: Relu2V,
  points: readonly number[],
  opts: Omit<CertifyOptions, 'extra'> = {},
): Certificate {
  if (theta.v.length !== theta.W.blocks)
    throw new InputError(`relu2v: v has ${theta.v.length} entries, W has ${theta.W.blocks} rows`);
  return certify(contextV(data, G, theta.v), theta.W, points, { ...opts, extra: extraOf(theta) });
}
