// The tunables of unlearn-kkt in one place, each with its range and meaning (decimal.js's
// DEFAULTS block is the model). None of them decides a verdict: they set how precise an
// enclosure starts, how far a search or a shrink goes, and how seeds are spread. Changing one
// changes which samples are drawn or how long a check takes, never what "holds" means.
export const DEFAULTS = Object.freeze({
  /**
   * Largest number of bits a numerator or denominator may have before BudgetError
   * (ARCHITECTURE.md: never run away). Integer >= 64. `--bits B` or UNLEARN_KKT_BITS.
   */
  bitBudget: 1 << 16,

  /** Decimal digits of the loss-derivative enclosure in a β+loss GA step (unlearn/ga.ts). Integer in [1, 10000]. */
  stepDigits: 50,

  /**
   * Digit ladders of the validated comparisons: start, doubled until decided, give up above the
   * end (an exact tie is then the only explanation). G1's test-error comparison (claims/generalization.ts):
   */
  g1Digits: { start: 40, end: 320 },
  /** ... and sums of square roots (exact/sqrtCompare.ts). Integers, 1 <= start <= end <= 10000. */
  sqrtSumDigits: { start: 30, end: 480 },

  /** explore: parameter ranges are sampled on the grid lo + (hi - lo) k / exploreGrid, k = 0..exploreGrid. Integer >= 1. */
  exploreGrid: 16,
  /** explore: evaluations the shrinker may spend after a counterexample is found. Integer >= 0. */
  shrinkBudget: 1500,

  /**
   * Seed strides: sample k of a run with seed s uses seed s·seedStride + k (validate's claims
   * and the boundary map), a prime so runs of neighbouring seeds do not overlap for k < stride.
   */
  seedStride: 1_000_003,
  /** sweepRelu2 tries datasets seed + sweepSeedStride·k until T1 polishes one (a prime). */
  sweepSeedStride: 7919,

  /** validate: counterexamples kept per claim in REPORT.md and claims.json. Integer >= 0. */
  maxCounterexamples: 5,
});
