// `unlearn-kkt verify` on the command line: options, progress, table, failures to --out.
// Exit 0: every case passes; 1: some case fails; 2: bad usage (InputError, from the CLI).
import { InputError } from './errors.ts';
import { args, intOption } from './formats/options.ts';
import { checkOutDir } from './io/atomicWrite.ts';
import { progressLine } from './io/progress.ts';
import { Rational } from './exact/rational.ts';
import { DEFAULT_RTOL } from './guard/compare.ts';
import { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from './guard/runner.ts';
import { commandSubject } from './guard/subjects.ts';
import { type CaseReport, formatTable, writeFailures } from './guard/report.ts';
import { readCaseDir, verify } from './guard/verify.ts';

/** Above the table: what its ε², δ, τ columns are (compare.ts, certify), and why δ can be negative. */
const TABLE_NOTE = [
  "eps2, delta, tau: what the subject's own θ~ attains w.r.t. the retained points (its optimal certificate, THEORY.md D2), not the reference's.",
  'delta = max_i λ_i (q_i - 1) over the retained points: negative when every retained point has λ_i > 0 and margin q_i < 1 (then tau > 0).',
].join('\n');

/** " (forget set {0, 2})": which points the case forgets (failure lines, the shrunk case). */
const forgetNote = (r: CaseReport) => (r.reference ? ` (forget set {${r.reference.run.forget.join(', ')}})` : '');

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
  if (typeof impl !== 'string' || impl.trim() === '')
    throw new InputError('verify needs --impl "CMD" (the implementation under test)');
  const cases = typeof values.cases === 'string' ? readCaseDir(values.cases) : [];
  const fuzz = intOption(values.fuzz, 'fuzz', values.cases === undefined ? 20 : 0, 0, 100_000);
  const seed = intOption(values.seed, 'seed', 0, -(2 ** 31), 2 ** 31 - 1);
  const timeoutMs = intOption(values.timeout, 'timeout', DEFAULT_TIMEOUT_MS, 1, MAX_TIMEOUT_MS);
  const rtol = values.rtol === undefined ? DEFAULT_RTOL : Rational.parse(values.rtol, '--rtol');
  if (rtol.sign() < 0) throw new InputError(`--rtol must be >= 0, got ${values.rtol}`);
  const outDir = typeof values.out === 'string' ? values.out : 'verify-failures';
  checkOutDir(outDir);
  if (cases.length === 0 && fuzz === 0)
    throw new InputError('nothing to verify: --cases DIR has no *.json and --fuzz is 0');

  const bar = progressLine('verify');
  const total = cases.length + fuzz;
  const persistent = values.persistent === true;
  const subject = commandSubject(impl, { timeoutMs, persistent });
  // A subject that takes long on one case still shows that verify is alive (and waiting on it).
  let last = () => `[0/${total}] starting`;
  const heartbeat = setInterval(() => bar.show(() => `${last()}; waiting for the subject`), 1000);
  heartbeat.unref();
  const report = await verify({
    subject,
    cases,
    fuzz,
    seed,
    rtol,
    onCase: (r, k) => bar.show((last = () => `[${k}/${total}] ${r.name} ${r.status}`)),
    onShrink: (r, s) => bar.show((last = () => `shrinking ${r.name} (${r.status}): ${s} cases tried`)),
  }).finally(() => {
    clearInterval(heartbeat);
    subject.close?.();
  });
  bar.done();
  const w = (s: string) => process.stdout.write(s + '\n');
  w(`verify: ${impl}`);
  w(
    `rtol ${rtol}, timeout ${timeoutMs} ms${persistent ? ' (persistent: one process, restarted after a failing case)' : ''}, seed ${report.seed}${fuzz ? ` (${fuzz} fuzzed cases; replay with --seed ${report.seed})` : ''}`,
  );
  w('');
  w(TABLE_NOTE);
  w(formatTable(report.reports));
  w('');
  for (const r of report.failed)
    w(`${r.name}: ${r.status}: ${r.message}${r.fuzz ? ` [${r.fuzz.describe}]` : ''}${forgetNote(r)}`);
  const files = writeFailures(outDir, report.failed, impl, rtol);
  if (files.length)
    w(
      `failing cases written to ${outDir}/ (${files.map((f) => f.split('/').pop()).join(', ')}; each with a .report.json)`,
    );
  const skipped = report.skipped ? `, ${report.skipped} fuzzed skipped (degenerate)` : '';
  const bad = report.failed.length;
  const ran = report.reports.filter((r) => !r.fuzz?.shrunk).length;
  const shrunk = report.failed.find((r) => r.fuzz?.shrunk);
  const replay = shrunk ? `; ${shrunk.name}${forgetNote(shrunk)} replays with --cases ${outDir}` : '';
  w(
    `verify: ${ran - bad} of ${ran} cases agree with the exact reference${skipped}${bad ? `; ${bad} do not` : ''}${replay}`,
  );
  return bad ? 1 : 0;
}
