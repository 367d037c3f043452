// verify: run a subject (subjects.ts) on case files and fuzzed cases, compare each result
// with the exact reference (compare.ts), shrink a failing fuzzed case with fast-check.
// The table and the failure files are report.ts's; the command line is cliVerify.ts's.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { readInputText } from '../io/readInput.ts';
import { parseInputJson } from '../formats/jsonFile.ts';
import { BudgetError, InputError, NotSeparableError } from '../errors.ts';
import type { Rational } from '../exact/rational.ts';
import { blocksOf } from '../models/model.ts';
import { type CaseRun, runCase } from '../unlearn/pipeline.ts';
import { type Case, parseCase } from '../formats/case.ts';
import { type Comparison, DEFAULT_RTOL, compareResult } from './compare.ts';
import { type FuzzOptions, type FuzzParams, arbFuzzParams, describeFuzz, fuzzCase } from './fuzz.ts';
import { parseResultText, parseResultValue, type Shape } from '../formats/result.ts';
import type { Subject } from './subjects.ts';
import { type CaseReport, explain } from './report.ts';

// ---------- one case ----------

function shapeOf(c: Case): string {
  const n = c.data.x.length;
  const d = c.data.x[0]!.dim;
  return c.model.kind === 'linear' ? `linear ${n}x${d}` : `relu2 ${n}x${d} m=${blocksOf(c.model)}`;
}

/** Run the subject on one case whose reference is already computed, and judge it. */
export async function judge(
  subject: Subject,
  name: string,
  c: Case,
  run: CaseRun,
  caseJson: Record<string, unknown>,
  caseText: string,
  rtol: Rational,
): Promise<CaseReport> {
  const base = { name, shape: shapeOf(c), caseJson };
  // what a failing case's .report.json needs of the reference (diagnose.ts)
  const failing = { ...base, reference: { run, step: c.step } };
  const out = await subject.run(caseText);
  if (!out.ok) return { ...failing, status: out.status, message: out.message, ms: out.ms, stderrTail: out.stderrTail };
  const shape: Shape = { model: c.model, d: c.data.x[0]!.dim };
  const parsed = 'text' in out ? parseResultText(out.text, shape) : parseResultValue(out.value, shape);
  if (!parsed.ok) return { ...failing, status: parsed.kind, message: parsed.message, ms: out.ms };
  let comparison: Comparison;
  try {
    comparison = compareResult(run, parsed.result, rtol);
  } catch (e) {
    if (!(e instanceof BudgetError)) throw e;
    return {
      ...failing,
      status: 'bad-number',
      message: `its values are too extreme to certify exactly (${e.message})`,
      ms: out.ms,
    };
  }
  const message = explain(comparison, rtol, c.model.kind === 'linear');
  const pass = comparison.verdict === 'pass';
  return { ...(pass ? base : failing), status: comparison.verdict, message, ms: out.ms, comparison };
}

// ---------- case files ----------

export interface CaseFile {
  name: string;
  caseJson: Record<string, unknown>;
  text: string;
}

/** Every *.json in dir (sorted; *.report.json skipped): case@1, or golden@1 (its `case`). */
export function readCaseDir(dir: string): CaseFile[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new InputError(`--cases ${dir} is not a directory`);
    names = readdirSync(dir);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`cannot read --cases ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return names
    .filter((f) => f.endsWith('.json') && !f.endsWith('.report.json'))
    .sort()
    .map((f) => {
      const text = readInputText(join(dir, f));
      const o = parseInputJson(text, f) as Record<string, unknown>;
      if (o && typeof o === 'object' && o.format === 'unlearn-kkt/golden@1') {
        return {
          name: f.replace(/\.json$/, ''),
          caseJson: o.case as Record<string, unknown>,
          text: JSON.stringify(o.case),
        };
      }
      return { name: f.replace(/\.json$/, ''), caseJson: o, text };
    });
}

function reference(file: CaseFile): { c: Case; run: CaseRun } {
  try {
    const c = parseCase(file.caseJson);
    return { c, run: runCase(c) };
  } catch (e) {
    if (e instanceof InputError || e instanceof BudgetError || e instanceof NotSeparableError)
      throw new InputError(`${file.name}.json: ${e.message}`);
    throw e;
  }
}

// ---------- the whole run ----------

export interface VerifyOptions {
  subject: Subject;
  cases?: CaseFile[];
  fuzz?: number;
  seed?: number;
  rtol?: Rational;
  fuzzOptions?: FuzzOptions;
  /** wall-clock budget for shrinking one failing fuzzed case (default 30 s) */
  shrinkMs?: number;
  /** called after each case (progress display) */
  onCase?: (r: CaseReport, k: number) => void;
  /** called after each shrinking attempt on a failing fuzzed case (progress: shrinking runs up to shrinkMs) */
  onShrink?: (original: CaseReport, attempts: number) => void;
}

export interface VerifyReport {
  seed: number;
  reports: CaseReport[];
  /** fuzzed cases skipped (degenerate data, or a reference out of budget) */
  skipped: number;
  failed: CaseReport[];
}

/** Verify a subject: case files first, then fuzzed cases (stopping at the first failure, then shrinking it). */
export async function verify(o: VerifyOptions): Promise<VerifyReport> {
  const rtol = o.rtol ?? DEFAULT_RTOL;
  const seed = o.seed ?? Date.now() % 2 ** 31;
  const reports: CaseReport[] = [];
  const push = (r: CaseReport) => {
    reports.push(r);
    o.onCase?.(r, reports.length);
  };
  for (const f of o.cases ?? []) {
    const { c, run } = reference(f);
    push(await judge(o.subject, f.name, c, run, f.caseJson, f.text, rtol));
  }

  let skipped = 0;
  const fuzzN = o.fuzz ?? 0;
  if (fuzzN > 0) {
    // Reports cached by parameters: replaying a path re-evaluates the same values.
    const cache = new Map<string, CaseReport | null>();
    let k = 0;
    const evaluate = async (p: FuzzParams, label: () => string): Promise<CaseReport | null> => {
      const key = JSON.stringify(p);
      if (cache.has(key)) return cache.get(key)!;
      let rep: CaseReport | null = null;
      const caseJson = fuzzCase(p);
      if (caseJson) {
        try {
          const c = parseCase(caseJson);
          const run = runCase(c);
          rep = await judge(o.subject, label(), c, run, caseJson, JSON.stringify(caseJson), rtol);
          rep.fuzz = { params: p, describe: describeFuzz(p), seed, path: '', shrunk: false };
        } catch (e) {
          if (!(e instanceof InputError || e instanceof BudgetError || e instanceof NotSeparableError)) throw e;
        }
      }
      cache.set(key, rep);
      return rep;
    };
    const arb = arbFuzzParams(o.fuzzOptions);
    const first = await fc.check(
      fc.asyncProperty(arb, async (p) => {
        const rep = await evaluate(p, () => `fuzz-${++k}`);
        if (!rep) {
          skipped++;
          fc.pre(false);
        }
        push(rep!);
        return rep!.status === 'pass';
      }),
      { numRuns: fuzzN, seed, endOnFailure: true },
    );
    if (first.failed && first.counterexample) {
      const original = cache.get(JSON.stringify(first.counterexample[0]));
      // No report: the reference itself threw (a bug of the engine, not of the subject).
      if (!original)
        throw first.errorInstance ?? new Error(`verify: fuzzed case failed without a report (seed ${seed})`);
      original.fuzz!.path = first.counterexamplePath ?? '';
      let best = original;
      // A hang says nothing about size, and each attempt would cost a timeout: not shrunk.
      if (original.status !== 'timeout') {
        let s = 0;
        const shrunk = await fc.check(
          fc.asyncProperty(arb, async (p) => {
            const rep = await evaluate(p, () => `${original.name}-shrink-${++s}`);
            o.onShrink?.(original, s);
            return !rep || rep.status === 'pass' || rep.status === 'timeout';
          }),
          { seed, path: first.counterexamplePath!, numRuns: fuzzN, interruptAfterTimeLimit: o.shrinkMs ?? 30_000 },
        );
        if (shrunk.failed && shrunk.counterexample) {
          const rep = cache.get(JSON.stringify(shrunk.counterexample[0]))!;
          if (rep !== original) {
            best = {
              ...rep,
              name: `${original.name}-shrunk`,
              fuzz: { ...rep.fuzz!, path: shrunk.counterexamplePath ?? '', shrunk: true },
            };
            push(best);
          }
        }
      }
      best.fuzz!.seed = seed;
    }
  }
  const failed = reports.filter((r) => r.status !== 'pass');
  // Of a shrunk fuzz failure keep only the shrunk case in the failure list.
  const shrunkOf = new Set(failed.filter((r) => r.fuzz?.shrunk).map((r) => r.name.replace(/-shrunk$/, '')));
  return { seed, reports, skipped, failed: failed.filter((r) => !shrunkOf.has(r.name)) };
}
