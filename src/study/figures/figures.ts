// The data behind every figure of the report, computed from the seed and the claims' results:
// the step-size sweeps, L2(d)'s τ and δ and the generalization section (the boundary
// searches are boundaries.ts).
import { NoKKTPointError } from '../../errors.ts';
import type { ClaimResult } from '../runClaim.ts';
import { type SweepPoint, sweepLinear, sweepRelu2 as relu2Sweep } from './sweep.ts';
import { type TauDeltaPoint, tauDeltaPoints } from './tauDelta.ts';
import { type GeneralizationSection, generalizationSection } from './generalizationFigure.ts';

/** The paper's figure (sweep.ts), linear and relu2, with a description of the data. */
export function sweeps(seed: number): Pick<Figures, 'sweepLinear' | 'sweepRelu2'> {
  const data = `hadamardFlips(n = 6, d = 64, flips = 1) from sweepData(${seed}), forget r = 0`;
  let sweepRelu2: Figures['sweepRelu2'];
  try {
    sweepRelu2 = {
      points: relu2Sweep(seed),
      about: [
        `${data} (seed advanced until T1 polishes),`,
        'm = 8 units with v = ±1 at an exact KKT point (T1), Clarke-consistent GA step.',
      ],
    };
  } catch (e) {
    if (!(e instanceof NoKKTPointError)) throw e;
    sweepRelu2 = { points: [], about: [e.message] }; // reported, not fatal
  }
  return {
    sweepLinear: { points: sweepLinear(seed), about: [`${data}, θ = the exact max-margin solution.`] },
    sweepRelu2,
  };
}

export interface Figures {
  sweepLinear: { points: SweepPoint[]; about: string[] };
  /** no points: no exact KKT point was found (`about` says why) */
  sweepRelu2: { points: SweepPoint[]; about: string[] };
  tauDelta: TauDeltaPoint[];
  generalization: GeneralizationSection;
}

/** Quick runs (--runs below 100) use a smaller generalization grid: it costs ~20 s in full. */
const QUICK_GRID = { ns: [8], ds: [32], mus: [1, 4], testPoints: 200 };

export function figuresOf(results: readonly ClaimResult[], seed: number, runs: number): Figures {
  return {
    ...sweeps(seed),
    tauDelta: tauDeltaPoints(results),
    generalization: generalizationSection(seed, runs >= 100 ? {} : QUICK_GRID),
  };
}
