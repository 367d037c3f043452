// `unlearn-kkt verify`: run an implementation under test on case files and fuzzed cases,
// compare each result with the exact reference (compare.ts), shrink a failing fuzzed
// case with fast-check, write failures to --out, print a table (docs/FORMAT-result.md).
// Exit 0: every case passes; 1: some case fails; 2: bad usage (InputError, from the CLI).
import { readdirSync, statSync } from 'node:fs';
import { readInputText } from '../io/readInput.ts';
import { parseInputJson } from '../formats/jsonFile.ts';
import { checkOutDir, ensureDir, writeFileAtomic } from '../io/atomicWrite.ts';
import { progressLine } from '../io/progress.ts';
import { join } from 'node:path';
import * as fc from 'fast-check';
import { BudgetError, InputError, NotSeparableError } from '../errors.ts';
import { args, intOption } from '../formats/options.ts';
import { Rational } from '../exact/rational.ts';
import { blocksOf } from '../models/model.ts';
import { type CaseRun, runCase } from '../unlearn/pipeline.ts';
import { describeCheck } from '../claims/check.ts';
import { type Case, parseCase } from '../formats/case.ts';
import { type Comparison, DEFAULT_RTOL, compareResult } from './compare.ts';
import { type FuzzOptions, type FuzzParams, arbFuzzParams, describeFuzz, fuzzCase } from './fuzz.ts';
import { capped, parseResultText, parseResultValue, type ResultProblemKind, type Shape } from '../formats/result.ts';
import { DEFAULT_MAX_STDOUT, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, runCommand } from './runner.ts';
import { persistentProcess } from './persistent.ts';

// ---------- subjects ----------

export type ProcessProblem = 'timeout' | 'crash' | 'nonzero-exit' | 'too-large';

/** What a subject produced: its stdout text (a command) or a value (in-process), or a failure. */
export type SubjectRun =
  | { ok: true; text: string; ms: number; stderrTail?: string }
  | { ok: true; value: unknown; ms: number }
  | { ok: false; status: ProcessProblem; message: string; ms: number; stderrTail?: string };

export interface Subject {
  name: string;
  run(caseText: string): Promise<SubjectRun>;
  /** Ends what the subject keeps running between cases (a persistent process). */
  close?(): void;
}

const lastLine = (s: string) => s.trim().split('\n').pop()?.slice(0, 200) ?? '';

/** A command run with `sh -c` (runner.ts): timeout and stdout cap kill its process group. */
export function commandSubject(cmd: string, o: { timeoutMs?: number; maxStdout?: number; cwd?: string; persistent?: boolean } = {}): Subject {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxStdout = o.maxStdout ?? DEFAULT_MAX_STDOUT;
  const opts = { timeoutMs, maxStdout, cwd: o.cwd };
  const proc = o.persistent ? persistentProcess(cmd, opts) : null;
  return {
    name: cmd,
    close: () => proc?.close(),
    async run(caseText) {
      const p = await (proc ? proc.run(caseText) : runCommand(cmd, caseText, opts));
      const tail = p.stderrTail;
      const withErr = (m: string) => (tail.trim() ? `${m}; stderr: ${lastLine(tail)}` : m);
      if (p.status === 'timeout' && p.heldOpen) return { ok: false, status: 'timeout', message: `exited, but stdout was still held open after ${timeoutMs} ms by a process outside its group (setsid?); reading stopped`, ms: p.ms, stderrTail: tail };
      if (p.status === 'timeout') return { ok: false, status: 'timeout', message: `no result within ${timeoutMs} ms (process group killed)`, ms: p.ms, stderrTail: tail };
      if (p.status === 'too-large') return { ok: false, status: 'too-large', message: `output too large: stdout exceeded ${maxStdout} bytes (process group killed)`, ms: p.ms, stderrTail: tail };
      if (p.status === 'spawn-error') return { ok: false, status: 'crash', message: `cannot start: ${p.error}`, ms: p.ms };
      if (p.signal) return { ok: false, status: 'crash', message: withErr(`killed by ${p.signal}`), ms: p.ms, stderrTail: tail };
      if (p.code !== 0) return { ok: false, status: 'nonzero-exit', message: withErr(`exit code ${p.code}`), ms: p.ms, stderrTail: tail };
      return { ok: true, text: p.stdout, ms: p.ms, stderrTail: tail };
    },
  };
}

/** An in-process implementation: a function from the case (parsed JSON) to its result@1 object. */
export function functionSubject(name: string, fn: (caseJson: unknown) => unknown): Subject {
  return {
    name,
    async run(caseText) {
      const t0 = Date.now();
      try {
        const value = await fn(JSON.parse(caseText));
        return { ok: true, value, ms: Date.now() - t0 };
      } catch (e) {
        return { ok: false, status: 'crash', message: capped(`threw ${(e as Error)?.message ?? String(e)}`), ms: Date.now() - t0 };
      }
    },
  };
}

// ---------- one case ----------

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
  /** fuzzed cases: the parameters, and seed/path that replay them */
  fuzz?: { params: FuzzParams; describe: string; seed: number; path: string; shrunk: boolean };
}

function shapeOf(c: Case): string {
  const n = c.data.x.length;
  const d = c.data.x[0]!.dim;
  return c.model.kind === 'linear' ? `linear ${n}x${d}` : `relu2 ${n}x${d} m=${blocksOf(c.model)}`;
}

/** Run the subject on one case whose reference is already computed, and judge it. */
export async function judge(subject: Subject, name: string, c: Case, run: CaseRun, caseJson: Record<string, unknown>, caseText: string, rtol: Rational): Promise<CaseReport> {
  const base = { name, shape: shapeOf(c), caseJson };
  const out = await subject.run(caseText);
  if (!out.ok) return { ...base, status: out.status, message: out.message, ms: out.ms, stderrTail: out.stderrTail };
  const shape: Shape = { model: c.model, d: c.data.x[0]!.dim };
  const parsed = 'text' in out ? parseResultText(out.text, shape) : parseResultValue(out.value, shape);
  if (!parsed.ok) return { ...base, status: parsed.kind, message: parsed.message, ms: out.ms };
  let comparison: Comparison;
  try {
    comparison = compareResult(run, parsed.result, rtol);
  } catch (e) {
    if (!(e instanceof BudgetError)) throw e;
    return { ...base, status: 'bad-number', message: `its values are too extreme to certify exactly (${e.message})`, ms: out.ms };
  }
  const message = explain(comparison, rtol);
  return { ...base, status: comparison.verdict, message, ms: out.ms, comparison };
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

export function explain(c: Comparison, rtol: Rational): string {
  if (c.verdict === 'pass') return c.branches.length ? `agrees; ${branchNote(c)}` : '';
  if (c.verdict === 'mismatch') return `relative error ${short(Math.sqrt(c.relError2.toNumber()))} > rtol ${dec(rtol)}`;
  if (c.verdict === 'false-claim') {
    return c.claims
      .filter((k) => !k.holds)
      .map((k) => `false claim: ${k.quantity.split(' (')[0]} is ${dec(k.measured)}, claimed bound ${dec(k.bound)}`)
      .join('; ');
  }
  const parts: string[] = [];
  const a = c.attained;
  if (a.tau.gt(c.thresholds.tau)) parts.push(`tau ${dec(a.tau)} > ${dec(c.thresholds.tau)}`);
  if (!c.checks[2]!.holds) parts.push(`eps2 ${dec(c.epsilon2UnderDelta)} > ${dec(c.thresholds.epsilon2)} (under delta <= ${dec(c.thresholds.delta)})`);
  const pc = c.patternChanges.length ? `; activation differs from the reference on ${c.patternChanges.length} retained pair(s)` : '';
  return `agrees within rtol but is not (eps, delta, tau)-successful at the reference's values: ${parts.join(', ')}${pc}`;
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
        return { name: f.replace(/\.json$/, ''), caseJson: o.case as Record<string, unknown>, text: JSON.stringify(o.case) };
      }
      return { name: f.replace(/\.json$/, ''), caseJson: o, text };
    });
}

function reference(file: CaseFile): { c: Case; run: CaseRun } {
  try {
    const c = parseCase(file.caseJson);
    return { c, run: runCase(c) };
  } catch (e) {
    if (e instanceof InputError || e instanceof BudgetError || e instanceof NotSeparableError) throw new InputError(`${file.name}.json: ${e.message}`);
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
      if (!original) throw first.errorInstance ?? new Error(`verify: fuzzed case failed without a report (seed ${seed})`);
      original.fuzz!.path = first.counterexamplePath ?? '';
      let best = original;
      // A hang says nothing about size, and each attempt would cost a timeout: not shrunk.
      if (original.status !== 'timeout') {
        let s = 0;
        const shrunk = await fc.check(
          fc.asyncProperty(arb, async (p) => {
            const rep = await evaluate(p, () => `${original.name}-shrink-${++s}`);
            return !rep || rep.status === 'pass' || rep.status === 'timeout';
          }),
          { seed, path: first.counterexamplePath!, numRuns: fuzzN, interruptAfterTimeLimit: o.shrinkMs ?? 30_000 },
        );
        if (shrunk.failed && shrunk.counterexample) {
          const rep = cache.get(JSON.stringify(shrunk.counterexample[0]))!;
          if (rep !== original) {
            best = { ...rep, name: `${original.name}-shrunk`, fuzz: { ...rep.fuzz!, path: shrunk.counterexamplePath ?? '', shrunk: true } };
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

// ---------- output ----------

const num = (q: Rational | undefined) => (q === undefined ? '-' : dec(q));

export function formatTable(reports: readonly CaseReport[]): string {
  const head = ['case', 'shape', 'status', 'rel.err', 'eps2', 'delta', 'tau', 'ms'];
  const rows = reports.map((r) => {
    const c = r.comparison;
    const rel = c ? short(Math.sqrt(c.relError2.toNumber())) : '-';
    const notes = [c?.snapped && `${c.snapped.pairs} kinks snapped`, c?.branches.length && branchNote(c)].filter(Boolean);
    const status = notes.length ? `${r.status} (${notes.join('; ')})` : r.status;
    return [r.name, r.shape, status, rel, num(c?.attained.epsilon2), num(c?.attained.delta), num(c?.attained.tau), String(r.ms)];
  });
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => r[k]!.length)));
  const line = (cells: string[]) => cells.map((s, k) => s.padEnd(w[k]!)).join('  ').trimEnd();
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
    rtol: exact(rtol),
    ...(c && {
      rel_error2: exact(c.relError2),
      attained: { epsilon2: exact(c.attained.epsilon2), delta: exact(c.attained.delta), tau: exact(c.attained.tau), epsilon2_under_delta: exact(c.epsilon2UnderDelta) },
      thresholds: { epsilon2: exact(c.thresholds.epsilon2), delta: exact(c.thresholds.delta), tau: exact(c.thresholds.tau) },
      checks: c.checks.map(describeCheck),
      pattern_changes: c.patternChanges,
      ...(c.snapped && { snapped: { pairs: c.snapped.pairs, distance2: exact(c.snapped.distance2), epsilon2: exact(c.snapped.attained.epsilon2), delta: exact(c.snapped.attained.delta), tau: exact(c.snapped.attained.tau) } }),
    }),
    ...(r.stderrTail ? { stderr_tail: r.stderrTail } : {}),
    ...(r.fuzz && { fuzz: { describe: r.fuzz.describe, params: r.fuzz.params, seed: r.fuzz.seed, path: r.fuzz.path, shrunk: r.fuzz.shrunk } }),
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

// ---------- CLI ----------

export async function verifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = args(argv, {
    impl: { type: 'string' },
    cases: { type: 'string' },
    fuzz: { type: 'string' },
    seed: { type: 'string' },
    rtol: { type: 'string' },
    timeout: { type: 'string' },
    out: { type: 'string' },
    persistent: { type: 'boolean' },
  });
  if (positionals.length) throw new InputError(`verify takes no positional arguments (got ${positionals[0]})`);
  const impl = values.impl;
  if (typeof impl !== 'string' || impl.trim() === '') throw new InputError('verify needs --impl "CMD" (the implementation under test)');
  const cases = typeof values.cases === 'string' ? readCaseDir(values.cases) : [];
  const fuzz = intOption(values.fuzz, 'fuzz', values.cases === undefined ? 20 : 0, 0, 100_000);
  const seed = intOption(values.seed, 'seed', 0, -(2 ** 31), 2 ** 31 - 1);
  const timeoutMs = intOption(values.timeout, 'timeout', DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
  const rtol = values.rtol === undefined ? DEFAULT_RTOL : Rational.parse(values.rtol, '--rtol');
  if (rtol.sign() < 0) throw new InputError(`--rtol must be >= 0, got ${values.rtol}`);
  const outDir = typeof values.out === 'string' ? values.out : 'verify-failures';
  checkOutDir(outDir);
  if (cases.length === 0 && fuzz === 0) throw new InputError('nothing to verify: --cases DIR has no *.json and --fuzz is 0');

  const bar = progressLine('verify');
  const total = cases.length + fuzz;
  const persistent = values.persistent === true;
  const subject = commandSubject(impl, { timeoutMs, persistent });
  const report = await verify({
    subject,
    cases,
    fuzz,
    seed,
    rtol,
    onCase: (r, k) => bar.show(() => `[${k}/${total}] ${r.name} ${r.status}`),
  }).finally(() => subject.close?.());
  bar.done();
  const w = (s: string) => process.stdout.write(s + '\n');
  w(`verify: ${impl}`);
  w(`rtol ${rtol}, timeout ${timeoutMs} ms${persistent ? ' (persistent: one process, restarted after a failing case)' : ''}, seed ${report.seed}${fuzz ? ` (${fuzz} fuzzed cases; replay with --seed ${report.seed})` : ''}`);
  w('');
  w(formatTable(report.reports));
  w('');
  for (const r of report.failed) w(`${r.name}: ${r.status}: ${r.message}${r.fuzz ? ` [${r.fuzz.describe}]` : ''}`);
  const files = writeFailures(outDir, report.failed, impl, rtol);
  if (files.length) w(`failing cases written to ${outDir}/ (${files.map((f) => f.split('/').pop()).join(', ')}; each with a .report.json)`);
  const skipped = report.skipped ? `, ${report.skipped} fuzzed skipped (degenerate)` : '';
  const bad = report.failed.length;
  const ran = report.reports.filter((r) => !r.fuzz?.shrunk).length;
  w(`verify: ${ran - bad} of ${ran} cases agree with the exact reference${skipped}${bad ? `; ${bad} do not` : ''}`);
  return bad ? 1 : 0;
}
