// The data of the L2(d) figure: τ and δ of the L2 samples inside NO at κ = 1, scaled by
// their bound's denominator so that L2(d) is the line y = φ.
import type { Rational } from '../../exact/rational.ts';
import type { Check } from '../../claims/check.ts';
import type { ClaimResult } from '../runClaim.ts';

export interface TauDeltaPoint {
  phi: Rational;
  /** τ·(1-ρ)·R2min = τ·φ/bound: L2(d) says it is <= φ */
  tauScaled: Rational;
  /** δ·(1-ρ)²·R2min² (inherited certificate) = δ·φ/bound: L2(d) says it is <= φ */
  deltaScaled: Rational;
}

/** L2 samples inside NO at κ = 1 (those carrying the L2(d) checks), scaled so the bound is y = φ. */
export function tauDeltaPoints(results: readonly ClaimResult[]): TauDeltaPoint[] {
  const l2 = results.find((r) => r.id === 'L2');
  if (!l2) return [];
  const out: TauDeltaPoint[] = [];
  for (const s of l2.samples) {
    const tau = s.checks.find((c) => c.claim === 'L2(d)' && c.quantity === 'tau');
    const delta = s.checks.find((c) => c.claim === 'L2(d)' && c.quantity === 'delta_inherited');
    const phi = s.point.phi;
    if (!tau || !delta || !phi) continue;
    // y = measured · φ / bound = measured · (bound's denominator); at φ = 0 the bound is 0
    const scaled = (c: Check) => (c.bound.isZero() ? c.measured : c.measured.mul(phi).div(c.bound));
    out.push({ phi, tauScaled: scaled(tau), deltaScaled: scaled(delta) });
  }
  return out;
}
