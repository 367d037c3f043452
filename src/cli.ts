// unlearn-kkt <command>: certify | explore | boundary | verify | validate (FORMAT.md).
// Bad input: one line `unlearn-kkt: <what, where>` on stderr, nothing on stdout, exit 2.
import { BudgetError, InputError, NotSeparableError, shown } from './errors.ts';
import { MAX_BIT_BUDGET, Rational, withBitBudget } from './exact/rational.ts';
import { DEFAULTS } from './defaults.ts';
import { ROOT } from './root.ts';
import { args, intOption, takeBits } from './formats/options.ts';
import { readJsonFile } from './formats/jsonFile.ts';
import { HELP, USAGE } from './cliHelp.ts';
import { installSignalHandlers } from './io/signals.ts';

/** Where explore writes a counterexample unless --out says otherwise (docs/LIMITS.md). */
const DEFAULT_EXPLORE_OUT = 'explore-out';
/** Most samples a command draws (--runs): bounds the work together with the per-sample limits. */
const MAX_RUNS = 100_000;

function rationalOpt(v: unknown, name: string): Rational {
  const q = Rational.parse(v, `--${name}`);
  if (q.sign() < 0) throw new InputError(`--${name} must be >= 0, got ${shown(v)}`);
  return q;
}

async function certifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = args(argv, {
    epsilon: { type: 'string' },
    delta: { type: 'string' },
    tau: { type: 'string' },
  });
  if (positionals.length !== 1) throw new InputError('certify takes exactly one CASE.json');
  const given = ['epsilon', 'delta', 'tau'].filter((k) => values[k] !== undefined);
  if (given.length !== 0 && given.length !== 3) throw new InputError('--epsilon, --delta and --tau go together');
  const { parseCase } = await import('./formats/case.ts');
  const { runCase } = await import('./unlearn/pipeline.ts');
  const { certificateJson } = await import('./formats/certificateJson.ts');
  const c = parseCase(readJsonFile(positionals[0]!));
  const thresholds =
    given.length === 3
      ? {
          epsilon: rationalOpt(values.epsilon, 'epsilon'),
          delta: rationalOpt(values.delta, 'delta'),
          tau: rationalOpt(values.tau, 'tau'),
        }
      : undefined;
  const run = runCase(c, thresholds);
  process.stdout.write(JSON.stringify(certificateJson(run), null, 2) + '\n');
  return run.decision && !run.decision.successful ? 1 : 0;
}

async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = args(argv, {
    seed: { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals.length) throw new InputError(`validate takes no positional arguments, got ${positionals[0]}`);
  const seed = intOption(values.seed, 'seed', 1, 0, 2 ** 32 - 1);
  const runs = intOption(values.runs, 'runs', 200, 1, MAX_RUNS);
  const { validate } = await import('./validate.ts');
  const { expectedVerdict } = await import('./study/claimFiles.ts');
  const out = String(values.out ?? 'reports');
  (await import('./io/atomicWrite.ts')).checkOutDir(out);
  const { results, fixtures } = await validate({ seed, runs, out });
  for (const r of results)
    process.stdout.write(`${r.id.padEnd(6)} ${r.verdict.padEnd(8)} ${r.held}/${r.runs} inside the assumption\n`);
  const unexpected = fixtures.filter((f) => f.verdict !== expectedVerdict(f.file));
  process.stdout.write(
    `claim files: ${fixtures.length - unexpected.length} of ${fixtures.length} as expected${unexpected.map((f) => `; ${f.file} ${f.verdict}`).join('')}\n`,
  );
  process.stdout.write(`report: ${out}/REPORT.md\n`);
  // Exit 1 when the theory (or the code) fails: a claim refuted, or a true claim file refuted.
  // A deliberately false file that survives only means the search budget (--runs) was small.
  const broken =
    results.some((r) => r.verdict === 'refuted') || unexpected.some((f) => expectedVerdict(f.file) === 'holds');
  return broken ? 1 : 0;
}

/** explore CLAIM.json: exit 1 with a counterexample file, 0 when none is found (FORMAT.md, docs/claims.md). */
async function exploreCommand(argv: string[]): Promise<number> {
  const { values, positionals } = args(argv, {
    runs: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
    save: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new InputError('explore takes exactly one CLAIM.json');
  const runs = intOption(values.runs, 'runs', 300, 1, MAX_RUNS);
  const seed = intOption(values.seed, 'seed', 0, Number.MIN_SAFE_INTEGER);
  const { basename, join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const { checkOutDir, ensureDir, writeFileAtomic } = await import('./io/atomicWrite.ts');
  const { progressLine } = await import('./io/progress.ts');
  const { parseClaim } = await import('./study/explore/claimFile.ts');
  const { explore } = await import('./study/explore/search.ts');
  const { counterexampleJson, summary } = await import('./study/explore/summary.ts');
  const file = positionals[0]!;
  const dir = String(values.out ?? DEFAULT_EXPLORE_OUT);
  checkOutDir(dir);
  const claim = parseClaim(readJsonFile(file));
  const bar = progressLine('explore');
  const report = explore(claim, { runs, seed, progress: (line) => bar.show(() => line) });
  bar.done();
  if (!report.counterexample) {
    process.stdout.write(summary(report, file) + '\n');
    return 0;
  }
  const name = `${basename(file).replace(/\.json$/i, '')}.counterexample.json`;
  const text = JSON.stringify(counterexampleJson(report, basename(file)), null, 2) + '\n';
  const out = join(dir, name);
  ensureDir(dir, '--out');
  writeFileAtomic(out, text);
  if (values.save) {
    const store = fileURLToPath(new URL('fixtures/counterexamples/', ROOT));
    ensureDir(store);
    writeFileAtomic(join(store, name), text);
  }
  process.stdout.write(summary(report, file, out) + '\n');
  return 1;
}

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  certify: certifyCommand,
  explore: exploreCommand,
  boundary: (argv) => import('./cliBoundary.ts').then((m) => m.boundaryCommand(argv)),
  validate: validateCommand,
  verify: (argv) => import('./cliVerify.ts').then((m) => m.verifyCommand(argv)),
};

async function version(): Promise<string> {
  const { readFileSync } = await import('node:fs');
  return (JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { version: string }).version;
}

/** Asked for help: before a `--`, as --help or -h. */
const wantsHelp = (argv: string[]) => {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h') {
    (cmd === undefined ? process.stderr : process.stdout).write(USAGE + '\n');
    return cmd === undefined ? 2 : 0;
  }
  if (cmd === '--version' || cmd === '-V' || cmd === 'version') {
    process.stdout.write(`unlearn-kkt ${await version()}\n`);
    return 0;
  }
  if (cmd === 'help') {
    const topic = rest[0];
    if (topic !== undefined && !HELP[topic])
      throw new InputError(`no help for ${shown(topic)} (commands: ${Object.keys(commands).join(', ')})`);
    process.stdout.write((topic ? HELP[topic]! : USAGE) + '\n');
    return 0;
  }
  const run = commands[cmd];
  if (!run) throw new InputError(`unknown command ${shown(cmd)} (commands: ${Object.keys(commands).join(', ')}, help)`);
  if (wantsHelp(rest)) {
    process.stdout.write(HELP[cmd]! + '\n');
    return 0;
  }
  const { bits, from, rest: own } = takeBits(rest, process.env.UNLEARN_KKT_BITS);
  return withBitBudget(intOption(bits, from, DEFAULTS.bitBudget, 64, MAX_BIT_BUDGET), () => run(own));
}

/** One line, capped: an error message never carries a stack, a newline or a megabyte. */
function oneLine(message: string): string {
  const flat = message.replace(/\s*\n\s*/g, ' ');
  return flat.length <= 400 ? flat : `${flat.slice(0, 400)}… (message cut at 400 of ${flat.length} characters)`;
}

function fail(message: string): void {
  process.stderr.write(`unlearn-kkt: ${oneLine(message)}\n`);
  process.exitCode = 2;
}

// A closed stdout (`certify case.json | head`): stop with the one line, no stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  fail(`cannot write to stdout (${e.code ?? e.message})`);
  process.exit(2);
});
installSignalHandlers();

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof InputError || e instanceof BudgetError || e instanceof NotSeparableError) fail(e.message);
  else throw e;
}
