// Generalization in the Gaussian mixture (THEORY.md section 6): y uniform ±1,
// x = yμ + ξ, ξ ~ N(0, σ² I). For a linear w the test error is err(w) = Φ(-s(w)/σ) with
// s(w) = <w,μ>/||w||, evaluated as a validated enclosure (decimal.js, directed rounding).
// G1: err(w~) <= Φ(-(s(w*_R) - 2||μ|| ||w~ - w*_R|| / ||w*_R||)/σ); since Φ is increasing
// this is s(w~) >= s(w*_R) - 2||μ|| ||w~ - w*_R|| / ||w*_R||, decided on enclosures.
import { Rational } from '../exact/rational.ts';
import type { ScaledVec } from '../exact/vec.ts';
import { type Enclosure, normalCdfEnclosure, sqrtEnclosure } from '../exact/enclosure.ts';
import type { Params } from '../models/params.ts';
import type { CaseRun } from '../unlearn/pipeline.ts';
import type { Check } from './check.ts';
import { DEFAULTS } from '../defaults.ts';

/** Divide an enclosure by a positive one (interval arithmetic, outward). */
function divPos(a: Enclosure, b: Enclosure): Enclosure {
  const c = [a.lo.div(b.lo), a.lo.div(b.hi), a.hi.div(b.lo), a.hi.div(b.hi)];
  return { lo: c.reduce((x, y) => x.min(y)), hi: c.reduce((x, y) => x.max(y)) };
}

/** s(w) = <w, μ> / ||w|| */
function scoreEnclosure(w: Params, mu: ScaledVec, digits = 40): Enclosure {
  const inner = w.vectors()[0]!.dot(mu);
  return divPos({ lo: inner, hi: inner }, sqrtEnclosure(w.normSquared, digits));
}

/** err(w) = Φ(-s(w)/σ), σ > 0 */
export function testErrorEnclosure(w: Params, mu: ScaledVec, sigma: Rational, digits = 40): Enclosure {
  const s = scoreEnclosure(w, mu, digits);
  // Φ is increasing, so -s/σ's interval maps endpoint to endpoint
  return {
    lo: normalCdfEnclosure(s.hi.neg().div(sigma), digits).lo,
    hi: normalCdfEnclosure(s.lo.neg().div(sigma), digits).hi,
  };
}

/** The mixture a sample was drawn from: its exact mean and noise level σ > 0. */
export interface Mixture {
  mu: ScaledVec;
  sigma: Rational;
}

/**
 * G1's verdict on a linear run with retraining: the decided check, null when w~ = 0 (GA
 * removed the whole model: its test error is undefined), undefined when the enclosures
 * up to DEFAULTS.g1Digits.end cannot decide. Shared by claimG1 and the quantity g1_holds.
 */
export function g1Verdict(run: CaseRun, { mu, sigma }: Mixture): Check | null | undefined {
  if (!run.retrained) throw new Error('G1 needs the retrained model (linear)');
  const { params: star, closeness } = run.retrained;
  if (run.ga.params.normSquared.isZero()) return null;
  if (closeness.distance2.isZero()) {
    // w~ = w*_R exactly: equal errors, the bound holds with Δ = 0 (enclosures cannot see a tie)
    const e = testErrorEnclosure(star, mu, sigma);
    return {
      claim: 'G1',
      quantity: 'err(w~) (upper enclosure)',
      measured: e.hi,
      bound: e.hi,
      relation: '<=',
      holds: true,
    };
  }
  for (let digits = DEFAULTS.g1Digits.start; digits <= DEFAULTS.g1Digits.end; digits *= 2) {
    const sTilde = scoreEnclosure(run.ga.params, mu, digits);
    const sStar = scoreEnclosure(star, mu, digits);
    // Δ = 2 ||μ|| ||w~ - w*_R|| / ||w*_R|| = 2 sqrt(||μ||² dist² / ||w*_R||²)
    const delta = sqrtEnclosure(mu.norm2().mul(closeness.distance2).div(star.normSquared), digits);
    const rhs = { lo: sStar.lo.sub(delta.hi.mul(Rational.of(2))), hi: sStar.hi.sub(delta.lo.mul(Rational.of(2))) };
    const holds = sTilde.lo.ge(rhs.hi) ? true : sTilde.hi.lt(rhs.lo) ? false : undefined;
    if (holds === undefined) continue;
    const measured = testErrorEnclosure(run.ga.params, mu, sigma, digits).hi;
    const bound = normalCdfEnclosure(rhs.hi.neg().div(sigma), digits).lo;
    return { claim: 'G1', quantity: 'err(w~) (upper enclosure)', measured, bound, relation: '<=', holds };
  }
  return undefined;
}

/** G1 on a linear run with retraining, data from gaussianMixture(μ, σ); no checks when w~ = 0. */
export function claimG1(run: CaseRun, mu: ScaledVec, sigma: Rational): Check[] {
  const v = g1Verdict(run, { mu, sigma });
  if (v === undefined) throw new Error(`G1 undecided at ${DEFAULTS.g1Digits.end} digits (an exact tie?)`);
  return v ? [v] : [];
}
