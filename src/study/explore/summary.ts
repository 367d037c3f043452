// explore's output: the one-line description of a sample, the counterexample file
// (case@1 plus the claim's verdict, docs/claims.md) and the summary the CLI prints.
import type { Rational } from '../../exact/rational.ts';
import { brief } from '../../exact/decimal.ts';
import { caseToJson } from '../../formats/case.ts';
import { type Quantities, QUANTITY_NAMES } from '../../claims/quantities.ts';
import { type Compiled, failingComparison, namesOf, violation } from './dsl.ts';
import { describeSample } from './sample.ts';
import type { ExploreReport } from './search.ts';

export function quantitiesJson(q: Quantities): Record<string, string | null> {
  return Object.fromEntries(QUANTITY_NAMES.map((k) => [k, q[k] === undefined ? null : q[k]!.toString()]));
}

/** The counterexample file: a case@1 object plus the claim's verdict, seed and path (docs/claims.md). */
export function counterexampleJson(report: ExploreReport, claimFile: string): Record<string, unknown> {
  const ce = report.counterexample;
  if (!ce) throw new Error('no counterexample');
  const c = report.claim.conclude[ce.failed]!;
  const sides = failingComparison(c, ce.quantities as Record<string, Rational | undefined>);
  return {
    ...caseToJson(ce.case),
    claim: {
      file: claimFile,
      name: report.claim.name,
      failed: c.where,
      expression: c.text,
      ...(sides ? { comparison: sides.text, lhs: sides.lhs.toString(), rhs: sides.rhs.toString() } : {}),
      quantities: quantitiesJson(ce.quantities),
    },
    seed: report.seed,
    runs: report.runs,
    path: ce.path,
    found: ce.found,
    shrunk: ce.shrunkFrom,
  };
}

function fmtQ(q: Quantities, names: Iterable<string>): string {
  const parts: string[] = [];
  for (const k of names) {
    const v = q[k as keyof Quantities];
    if (v !== undefined) parts.push(`${k} = ${brief(v)}`);
  }
  return parts.join(', ');
}

/** The names the expressions read, in QUANTITY_NAMES order. */
function usedNames(list: readonly Compiled[]): string[] {
  const used = new Set<string>();
  for (const c of list) for (const k of namesOf(c)) used.add(k);
  return QUANTITY_NAMES.filter((k) => used.has(k));
}

/** The short human summary the CLI prints on stdout. */
export function summary(report: ExploreReport, claimFile: string, wrote?: string): string {
  const { claim, counts } = report;
  const skipped = Object.entries(counts.skipped).map(([k, v]) => `${v} ${k}`);
  const tally = `${counts.evaluated} sample${counts.evaluated === 1 ? '' : 's'}: ${counts.inAssume} satisfied assume, ${counts.outside} outside it${skipped.length ? `, skipped ${skipped.join(', ')}` : ''}`;
  const lines: string[] = [];
  if (report.verdict === 'survived') {
    lines.push(
      `SURVIVED ${JSON.stringify(claim.name)} (${claimFile}): no counterexample in ${report.runs} runs, seed ${report.seed}`,
    );
    lines.push(`  ${tally}`);
    if (counts.inAssume === 0)
      lines.push(
        '  warning: no sample satisfied assume, so the claim was not tested: widen the data ranges or the assumption',
      );
    if (report.closest) {
      const env = report.closest.q as Record<string, Rational | undefined>;
      const closest = claim.conclude.reduce((a, c) => (violation(c, env) > violation(a, env) ? c : a));
      lines.push(
        `  closest to failing: ${closest.where} "${closest.text}" at ${describeSample(report.closest.params)}: ${fmtQ(report.closest.q, usedNames([closest]))}`,
      );
    }
    return lines.join('\n');
  }
  const ce = report.counterexample!;
  const c = claim.conclude[ce.failed]!;
  const sides = failingComparison(c, ce.quantities as Record<string, Rational | undefined>);
  const cs = ce.case;
  lines.push(`REFUTED ${JSON.stringify(claim.name)} (${claimFile})`);
  lines.push(`  ${c.where} fails: ${c.text}${sides ? `  (${sides.lhs} ${sides.op} ${sides.rhs} is false)` : ''}`);
  lines.push(
    `  counterexample: n = ${cs.data.x.length}, d = ${cs.data.x[0]!.dim}, forget [${cs.forget.join(', ')}], ${cs.step.kind === 'kappa' ? `kappa = ${cs.step.kappa}` : `beta = ${cs.step.beta} (${cs.step.loss})`}${cs.model.kind === 'relu2' ? `, m = ${cs.model.v.length}` : ''}`,
  );
  lines.push(
    `    x = ${JSON.stringify(cs.data.x.map((r) => r.toRationals().map(String)))}, y = ${JSON.stringify(cs.data.y)}`,
  );
  lines.push(`  quantities: ${fmtQ(ce.quantities, usedNames([...claim.assume, ...claim.conclude]))}`);
  lines.push(
    `  found at seed ${report.seed}, path ${ce.path}: ${describeSample(ce.found)}; shrunk (${ce.shrunkFrom}) in ${counts.shrinkEvaluations} evaluations`,
  );
  lines.push(`  ${tally}`);
  if (wrote) lines.push(`  wrote ${wrote}`);
  return lines.join('\n');
}
