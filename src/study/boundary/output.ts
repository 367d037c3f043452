// What a boundary search writes: the `unlearn-kkt/boundary@1` JSON (schemas/boundary@1.schema.json,
// docs/claims.md) and the one-line summary. Exact rationals as strings throughout.
import type { Rational } from '../../exact/rational.ts';
import { caseToJson } from '../../formats/case.ts';
import { failingComparison } from '../explore/dsl.ts';
import { quantitiesJson } from '../explore/summary.ts';
import type { BoundaryReport } from './boundary.ts';

export const BOUNDARY_FORMAT = 'unlearn-kkt/boundary@1';

const str = (q: Rational | undefined) => (q === undefined ? null : q.toString());

export function boundaryJson(r: BoundaryReport, claimFile: string): Record<string, unknown> {
  const f = r.frontier;
  const c = f && r.claim.conclude[f.failed]!;
  const sides = f && failingComparison(c!, f.quantities as Record<string, Rational | undefined>);
  return {
    format: BOUNDARY_FORMAT,
    claim: { file: claimFile, name: r.claim.name },
    axis: r.axis.name,
    set_aside: r.setAside.map((s) => ({ where: s.where, expression: s.text })),
    threshold: r.threshold ? { op: r.threshold.op, value: r.threshold.value.toString() } : null,
    range: { lo: r.axis.lo.toString(), hi: r.axis.hi.toString() },
    runs: r.runs,
    seed: r.seed,
    counts: {
      evaluated: r.counts.evaluated,
      in_range: r.counts.counted,
      outside_assume: r.counts.outside,
      out_of_range: r.counts.outOfRange,
      skipped: r.counts.skipped,
      shrink_evaluations: r.counts.shrinkEvaluations,
    },
    bins: r.bins.map((b) => ({
      lo: b.lo.toString(),
      hi: b.hi.toString(),
      samples: b.samples,
      violations: b.violations,
    })),
    frontier: f
      ? {
          violation_min: f.value.toString(),
          case: caseToJson(f.case),
          failed: c!.where,
          expression: c!.text,
          ...(sides ? { comparison: sides.text, lhs: sides.lhs.toString(), rhs: sides.rhs.toString() } : {}),
          quantities: quantitiesJson(f.quantities),
          seed: r.seed,
          path: f.path,
          found: f.found,
          shrunk: f.shrunk,
        }
      : null,
    holds_below: { samples: r.holdsBelow.samples, max: str(r.holdsBelow.max) },
  };
}

/** e.g. `rho: 0 of 1403 samples below 1 violate; first violation at rho = 1 (n = 2, d = 2)`. */
export function boundarySummary(r: BoundaryReport): string {
  const a = r.axis.name;
  const f = r.frontier;
  if (!f) {
    const top =
      r.holdsBelow.max === undefined ? 'no sample in range satisfied assume' : `largest ${a} = ${r.holdsBelow.max}`;
    return `${a}: none of ${r.counts.counted} samples in [${r.axis.lo}, ${r.axis.hi}] violates (${top})`;
  }
  const x = f.case.data.x;
  return `${a}: 0 of ${r.holdsBelow.samples} samples below ${f.value} violate; first violation at ${a} = ${f.value} (n = ${x.length}, d = ${x[0]!.dim})`;
}
