// A judged case and how it is shown: the one-line reason, the table verify prints, and the
// .report.json written next to a failing case (docs/FORMAT-result.md).
import { join } from 'node:path';
import { ensureDir, writeFileAtomic } from '../io/atomicWrite.ts';
import type { Rational } from '../exact/rational.ts';
import { describeCheck } from '../claims/check.ts';
import type { ResultProblemKind } from '../formats/result.ts';
import type { CaseRun } from '../unlearn/pipeline.ts';
import type { Step } from '../unlearn/ga.ts';
import type { Comparison } from './compare.ts';
import { deviationText, diagnosis, largestDeviation, withDecimal } from './diagnose.ts';
import type { FuzzParams } from './fuzz.ts';
import type { ProcessProblem } from './subjects.ts';

export type Status = 'pass' | Comparison['verdict'] | ProcessProblem | ResultProblemKind;

export interface CaseReport {
  name: string;
  /** "linear 3x4" / "relu2 4x9 m=2" */
  shape: string;
  status: Status;
  /** why it failed, one line ('' on pass) */
  message: string;
  ms: number;
  comparison?: Comparison;
  stderrTail?: string;
  caseJson: Record<string, unknown>;
  /** failing cases: the reference run and its step, for the .report.json (diagnose.ts) */
  reference?: { run: CaseRun; step: Step };
  /** fuzzed cases: the parameters, and seed/path that replay them */
  fuzz?: { params: FuzzParams; describe: string; seed: number; path: string; shrunk: boolean };
}

/** A short decimal for the table (display only). */
function short(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a < 1e-3 || a >= 1e5 ? x.toExponential(2) : x.toPrecision(3);
}
const dec = (q: Rational) => short(q.toNumber());

/** One readable line on why a comparison failed (exact values go to the .report.json). */
/** "unit 3's kink on x_0 taken active by rounding" for each forgotten kink pair read so (compare.ts, 0.). */
export function branchNote(c: Comparison): string {
  return c.branches.map((b) => `unit ${b.block}'s kink on x_${b.point} taken active by rounding`).join(', ');
}

export function explain(c: Comparison, rtol: Rational, linear: boolean): string {
  if (c.verdict === 'pass') return c.branches.length ? `agrees; ${branchNote(c)}` : '';
  if (c.verdict === 'mismatch') {
    const dev = largestDeviation(c.output, c.reference.params.vectors());
    const at = dev ? `; largest deviation at ${deviationText(dev, linear)}` : '';
    return `relative error ${short(Math.sqrt(c.relError2.toNumber()))} > rtol ${dec(rtol)}${at}`;
  }
  if (c.verdict === 'false-claim') {
    return c.claims
      .filter((k) => !k.holds)
      .map((k) => `false claim: ${k.quantity.split(' (')[0]} is ${dec(k.measured)}, claimed bound ${dec(k.bound)}`)
      .join('; ');
  }
  const parts: string[] = [];
  const a = c.attained;
  if (a.tau.gt(c.thresholds.tau)) parts.push(`tau ${dec(a.tau)} > ${dec(c.thresholds.tau)}`);
  if (!c.checks[2]!.holds)
    parts.push(
      `eps2 ${dec(c.epsilon2UnderDelta)} > ${dec(c.thresholds.epsilon2)} (under delta <= ${dec(c.thresholds.delta)})`,
    );
  const pc = c.patternChanges.length
    ? `; activation differs from the reference on ${c.patternChanges.length} retained pair(s)`
    : '';
  return `agrees within rtol but is not (eps, delta, tau)-successful at the reference's values: ${parts.join(', ')}${pc}`;
}

const num = (q: Rational | undefined) => (q === undefined ? '-' : dec(q));

export function formatTable(reports: readonly CaseReport[]): string {
  const head = ['case', 'shape', 'status', 'rel.err', 'eps2', 'delta', 'tau', 'ms'];
  const rows = reports.map((r) => {
    const c = r.comparison;
    const rel = c ? short(Math.sqrt(c.relError2.toNumber())) : '-';
    const notes = [c?.snapped && `${c.snapped.pairs} kinks snapped`, c?.branches.length && branchNote(c)].filter(
      Boolean,
    );
    const status = notes.length ? `${r.status} (${notes.join('; ')})` : r.status;
    return [
      r.name,
      r.shape,
      status,
      rel,
      num(c?.attained.epsilon2),
      num(c?.attained.delta),
      num(c?.attained.tau),
      String(r.ms),
    ];
  });
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((s, k) => s.padEnd(w[k]!))
      .join('  ')
      .trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...rows.map(line)].join('\n');
}

const exact = (q: Rational) => String(q);

/** The JSON written next to a failing case: status, message, exact numbers, replay data. */
export function reportJson(r: CaseReport, subject: string, rtol: Rational): Record<string, unknown> {
  const c = r.comparison;
  return {
    format: 'unlearn-kkt/verify-report@1',
    subject,
    case: r.name,
    status: r.status,
    message: r.message,
    ...withDecimal('rtol', rtol),
    ...(c && {
      ...withDecimal('rel_error2', c.relError2),
      attained: {
        ...withDecimal('epsilon2', c.attained.epsilon2),
        ...withDecimal('delta', c.attained.delta),
        ...withDecimal('tau', c.attained.tau),
        ...withDecimal('epsilon2_under_delta', c.epsilon2UnderDelta),
      },
      thresholds: {
        ...withDecimal('epsilon2', c.thresholds.epsilon2),
        ...withDecimal('delta', c.thresholds.delta),
        ...withDecimal('tau', c.thresholds.tau),
      },
      checks: c.checks.map(describeCheck),
      pattern_changes: c.patternChanges,
      ...(c.snapped && {
        snapped: {
          pairs: c.snapped.pairs,
          ...withDecimal('distance2', c.snapped.distance2),
          ...withDecimal('epsilon2', c.snapped.attained.epsilon2),
          ...withDecimal('delta', c.snapped.attained.delta),
          ...withDecimal('tau', c.snapped.attained.tau),
        },
      }),
    }),
    ...(r.reference && diagnosis(r.reference.run, r.reference.step, c)),
    ...(r.stderrTail ? { stderr_tail: r.stderrTail } : {}),
    ...(r.fuzz && {
      fuzz: {
        describe: r.fuzz.describe,
        params: r.fuzz.params,
        seed: r.fuzz.seed,
        path: r.fuzz.path,
        shrunk: r.fuzz.shrunk,
      },
    }),
  };
}

export function writeFailures(dir: string, failed: readonly CaseReport[], subject: string, rtol: Rational): string[] {
  if (failed.length === 0) return [];
  ensureDir(dir, '--out');
  return failed.map((r) => {
    const file = join(dir, `${r.name}.json`);
    writeFileAtomic(file, JSON.stringify(r.caseJson, null, 2) + '\n');
    writeFileAtomic(join(dir, `${r.name}.report.json`), JSON.stringify(reportJson(r, subject, rtol), null, 2) + '\n');
    return file;
  });
}
