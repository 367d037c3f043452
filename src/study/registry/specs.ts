// The shape of a claim in the registry: one seeded sample of data inside the claim's
// assumption (or a record that the assumption failed), the pipeline run, and its checks.
import type { Rational } from '../../exact/rational.ts';
import type { Dataset } from '../../data/dataset.ts';
import type { Check } from '../../claims/check.ts';

export interface Sample {
  /** did the drawn data satisfy the claim's assumption? (if not, checks are empty) */
  held: boolean;
  checks: Check[];
  /** a short description of the drawn data, for counterexamples */
  data: string;
  /** quantities for plots, e.g. { rho, n, phi } */
  point: Record<string, Rational>;
  /** the drawn data, so a report can print a counterexample as a matrix (optional) */
  dataset?: Dataset;
}

export interface ClaimSpec {
  id: string;
  statement: string;
  assumption: string;
  sample(seed: number): Sample;
  /**
   * The claim's quantitative assumptions for validate's Boundaries section: its claim file in
   * fixtures/boundaries/ and the axes to move (one per assumption; `range` as --range), or
   * why no claim file can state it.
   */
  boundaries?: { file: string; axes: { axis: string; range?: string }[] } | { why: string };
}

/** A sample outside the claim's assumption: nothing checked. */
export const outside = (label: string, point: Record<string, Rational>, dataset?: Dataset): Sample => ({
  held: false,
  checks: [],
  data: label,
  point,
  dataset,
});
