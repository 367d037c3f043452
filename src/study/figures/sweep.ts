// The step-size sweep (THEORY.md section 4, "the paper's figure"): ε² of the unlearned
// model w.r.t. R against κ = 0, 1/8, ..., 2, with the optimal and with the inherited
// certificate, on a fixed seeded nearly orthogonal dataset (forgotten point r = 0).
// Exact values; a plot converts them with toNumber() only for drawing.
import { Rational } from '../../exact/rational.ts';
import { NoKKTPointError } from '../../errors.ts';
import type { Dataset } from '../../data/dataset.ts';
import { hadamardFlips } from '../../data/generators.ts';
import { type Model, alternatingSigns } from '../../models/model.ts';
import { Params } from '../../models/params.ts';
import { certify } from '../../kkt/certificate.ts';
import { maxMargin } from '../../kkt/maxMargin.ts';
import { trainToKKT } from '../../kkt/polish.ts';
import { type Gradient, gaStep } from '../../unlearn/ga.ts';
import { contextOf, retainedOf } from '../../unlearn/pipeline.ts';
import { DEFAULTS } from '../../defaults.ts';

export interface SweepPoint {
  kappa: Rational;
  epsilon2_optimal: Rational;
  epsilon2_inherited: Rational;
}

/** κ = 0, 1/8, ..., 2 */
export const SWEEP_KAPPAS: readonly Rational[] = Array.from({ length: 17 }, (_, k) => Rational.of(k, 8));

export interface SweepOptions {
  /** entries negated per Hadamard row (default 1; 0: exactly orthogonal data) */
  flips?: number;
  /** relu2 GA gradient (default 'clarke', as T2(c) assumes) */
  gradient?: Gradient;
}

/** n = 6 Hadamard rows in d = 64, `flips` negated entries each: ρ <= 20 flips/64 (NO for flips <= 1). */
export function sweepData(seed: number, flips = 1): Dataset {
  return hadamardFlips({ n: 6, d: 64, flips, seed });
}

function sweep(model: Model, data: Dataset, theta: Params, gradient: Gradient): SweepPoint[] {
  const ctx = contextOf(model, data);
  const all = data.x.map((_, i) => i);
  const forget = [0];
  const retained = retainedOf(all.length, forget);
  const before = certify(ctx, theta, all);
  const lambdaR = retained.map((i) => before.lambda[i]!);
  return SWEEP_KAPPAS.map((kappa) => {
    const ga = gaStep(ctx, theta, forget, { kind: 'kappa', kappa }, before, gradient);
    return {
      kappa,
      epsilon2_optimal: certify(ctx, ga.params, retained).epsilon2,
      epsilon2_inherited: certify(ctx, ga.params, retained, { lambda: lambdaR }).epsilon2,
    };
  });
}

/** Linear model from its exact max-margin solution. */
export function sweepLinear(seed: number, opts: SweepOptions = {}): SweepPoint[] {
  const data = sweepData(seed, opts.flips);
  const model: Model = { kind: 'linear' };
  const all = data.x.map((_, i) => i);
  return sweep(model, data, maxMargin(contextOf(model, data), all).params, 'autodiff');
}

/**
 * Two-layer network, m = 8 units with v = ±1, from the exact KKT point T1's practical
 * route finds (the dataset seed is advanced until one polishes; deterministic). The GA
 * step is Clarke-consistent by default, as T2(c) assumes. On nearly orthogonal data the
 * exact KKT point has kinks on R (opposite-class pairs) that any step touching them
 * flips, so ε(κ = 1) > 0 and the minimum may sit off κ = 1; flips = 0 gives the clean V.
 */
export function sweepRelu2(seed: number, opts: SweepOptions = {}): SweepPoint[] {
  const gradient = opts.gradient ?? 'clarke';
  const v = alternatingSigns(8);
  const model: Model = { kind: 'relu2', v };
  for (let k = 0; k < 20; k++) {
    const data = sweepData(seed + DEFAULTS.sweepSeedStride * k, opts.flips);
    const kkt = trainToKKT(data, v, { seed: seed + k, restarts: 3 });
    if (kkt) return sweep(model, data, kkt.params, gradient);
  }
  throw new NoKKTPointError(`sweepRelu2: no exact KKT point found from seed ${seed} (20 datasets tried)`);
}
