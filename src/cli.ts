// unlearn-kkt <command>: certify | explore | boundary | verify | validate (FORMAT.md).
// Bad input: one line `unlearn-kkt: <what, where>` on stderr, nothing on stdout, exit 2.
import { BudgetError, InputError } from './errors.ts';
import { Rational, setBitBudget } from './exact/rational.ts';
import { args, intOption, readJsonFile } from './cliArgs.ts';

const USAGE = `usage: unlearn-kkt <command> ...
  certify CASE.json [--epsilon E --delta D --tau T]
  explore CLAIM.json [--runs N] [--seed S] [--out DIR] [--save]
  boundary CLAIM.json --axis NAME [--range LO:HI] [--runs N] [--seed S] [--out DIR]
  verify --impl "CMD" [--cases DIR] [--fuzz N] [--seed S] [--rtol R] [--timeout MS] [--out DIR]
  validate [--seed S] [--runs N] [--out DIR]
options for every command: --bits B (bit budget of a rational, default 65536)`;

function rationalOpt(v: unknown, name: string): Rational {
  const q = Rational.parse(v, `--${name}`);
  if (q.sign() < 0) throw new InputError(`--${name} must be >= 0, got ${v}`);
  return q;
}

async function certifyCommand(argv: string[]): Promise<number> {
  const { values, positionals } = args(argv, { epsilon: { type: 'string' }, delta: { type: 'string' }, tau: { type: 'string' } });
  if (positionals.length !== 1) throw new InputError('certify takes exactly one CASE.json');
  const given = ['epsilon', 'delta', 'tau'].filter((k) => values[k] !== undefined);
  if (given.length !== 0 && given.length !== 3) throw new InputError('--epsilon, --delta and --tau go together');
  const { parseCase } = await import('./guard/case.ts');
  const { runCase } = await import('./unlearn/run.ts');
  const { certificateJson } = await import('./report/certificateJson.ts');
  const c = parseCase(readJsonFile(positionals[0]!));
  const thresholds =
    given.length === 3
      ? { epsilon: rationalOpt(values.epsilon, 'epsilon'), delta: rationalOpt(values.delta, 'delta'), tau: rationalOpt(values.tau, 'tau') }
      : undefined;
  const run = runCase(c, thresholds);
  process.stdout.write(JSON.stringify(certificateJson(run), null, 2) + '\n');
  return run.decision && !run.decision.successful ? 1 : 0;
}

async function validateCommand(argv: string[]): Promise<number> {
  const { values, positionals } = args(argv, { seed: { type: 'string' }, runs: { type: 'string' }, out: { type: 'string' } });
  if (positionals.length) throw new InputError(`validate takes no positional arguments, got ${positionals[0]}`);
  const seed = intOption(values.seed, 'seed', 1, 0);
  const runs = intOption(values.runs, 'runs', 200, 1);
  const { validate, expectedVerdict } = await import('./report/validate.ts');
  const out = String(values.out ?? 'reports');
  const { results, fixtures } = await validate({ seed, runs, out });
  for (const r of results) process.stdout.write(`${r.id.padEnd(6)} ${r.verdict.padEnd(8)} ${r.held}/${r.runs} inside the assumption\n`);
  const unexpected = fixtures.filter((f) => f.verdict !== expectedVerdict(f.file));
  process.stdout.write(`claim files: ${fixtures.length - unexpected.length} of ${fixtures.length} as expected${unexpected.map((f) => `; ${f.file} ${f.verdict}`).join('')}\n`);
  process.stdout.write(`report: ${out}/REPORT.md\n`);
  // Exit 1 when the theory (or the code) fails: a claim refuted, or a true claim file refuted.
  // A deliberately false file that survives only means the search budget (--runs) was small.
  const broken = results.some((r) => r.verdict === 'refuted') || unexpected.some((f) => expectedVerdict(f.file) === 'holds');
  return broken ? 1 : 0;
}

/** explore CLAIM.json: exit 1 with a counterexample file, 0 when none is found (FORMAT.md, docs/claims.md). */
async function exploreCommand(argv: string[]): Promise<number> {
  const { values, positionals } = args(argv, { runs: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, save: { type: 'boolean' } });
  if (positionals.length !== 1) throw new InputError('explore takes exactly one CLAIM.json');
  const runs = intOption(values.runs, 'runs', 300, 1);
  const seed = intOption(values.seed, 'seed', 0, Number.MIN_SAFE_INTEGER);
  const { basename, join } = await import('node:path');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { fileURLToPath } = await import('node:url');
  const { parseClaim } = await import('./claims/claimFile.ts');
  const { explore, counterexampleJson, summary } = await import('./claims/explore.ts');
  const file = positionals[0]!;
  const claim = parseClaim(readJsonFile(file));
  const tty = process.stderr.isTTY === true;
  const progress = tty ? (line: string) => process.stderr.write(`\r\x1b[K${line}`) : undefined;
  const report = explore(claim, { runs, seed, progress });
  if (tty) process.stderr.write('\r\x1b[K');
  if (!report.counterexample) {
    process.stdout.write(summary(report, file) + '\n');
    return 0;
  }
  const name = `${basename(file).replace(/\.json$/i, '')}.counterexample.json`;
  const text = JSON.stringify(counterexampleJson(report, basename(file)), null, 2) + '\n';
  const dir = String(values.out ?? '.');
  const out = join(dir, name);
  const write = (d: string, f: string) => {
    try {
      mkdirSync(d, { recursive: true });
      writeFileSync(f, text);
    } catch (e) {
      throw new InputError(`cannot write ${f} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  };
  write(dir, out);
  if (values.save) {
    const store = fileURLToPath(new URL('../fixtures/counterexamples/', import.meta.url));
    write(store, join(store, name));
  }
  process.stdout.write(summary(report, file, out) + '\n');
  return 1;
}

const commands: Record<string, (argv: string[]) => Promise<number>> = {
  certify: certifyCommand,
  explore: exploreCommand,
  boundary: (argv) => import('./cliBoundary.ts').then((m) => m.boundaryCommand(argv)),
  validate: validateCommand,
  verify: (argv) => import('./guard/verify.ts').then((m) => m.verifyCommand(argv)),
};

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined || cmd === '--help' || cmd === '-h') {
    process.stdout.write(USAGE + '\n');
    return cmd === undefined ? 2 : 0;
  }
  const run = commands[cmd];
  if (!run) throw new InputError(`unknown command "${cmd}" (commands: ${Object.keys(commands).join(', ')})`);
  const bitsAt = rest.indexOf('--bits');
  const bits = bitsAt >= 0 ? rest[bitsAt + 1] : process.env.UNLEARN_KKT_BITS;
  if (bits !== undefined) setBitBudget(Number(bits));
  return run(rest);
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  if (e instanceof InputError || e instanceof BudgetError) {
    process.stderr.write(`unlearn-kkt: ${e.message}\n`);
    process.exitCode = 2;
  } else throw e;
}
