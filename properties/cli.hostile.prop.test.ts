// Issue 14 item 6: hostile case files, claim files and command lines get only clean outcomes.
// A run either finishes (exit 0 or 1, no stack trace) or is refused with exactly one line
// `unlearn-kkt: ...` on stderr, nothing on stdout, exit 2; always within a bounded time.
// The CLI runs its top-level code on import, so each run is a process: a bounded number of
// runs (RUNS, default 30), with a fixed seed.
import { describe, expect, afterAll } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'unlearn-kkt.mjs');
const RUNS = Number(process.env.FC_RUNS_HOSTILE ?? 30);
/** A run past this is killed and fails the property (bounded time). */
const BOUND_MS = 30_000;

const dir = mkdtempSync(join(tmpdir(), 'unlearn-kkt-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const regularFile = join(dir, 'a-regular-file');
writeFileSync(regularFile, 'not a folder\n');

const CASE = readFileSync(join(ROOT, 'fixtures/examples/linear-three-points.json'), 'utf8');
const CLAIM = readFileSync(join(ROOT, 'fixtures/claims/L2a.epsilon-bracket.json'), 'utf8');

/** The environment of a run: no inherited limits. */
const ENV: NodeJS.ProcessEnv = { ...process.env, NODE_OPTIONS: '' };
delete ENV.UNLEARN_KKT_BITS;
delete ENV.UNLEARN_KKT_MAX_WORK;

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** One CLI process (fast-check awaits each run: one at a time), killed past BOUND_MS. */
function runCli(args: string[]): Promise<Ran> {
  const t0 = Date.now();
  return new Promise<Ran>((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: dir, env: ENV });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), BOUND_MS);
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

// ---- hostile edits of a valid file's text -------------------------------------------------

/** An edit of a file's text, or a piece of a command line; `refuse`: it must end in exit 2. */
interface Edit {
  what: string;
  refuse: boolean;
  edit: (t: string) => string;
}
const E = (what: string, refuse: boolean, edit: (t: string) => string): Edit => ({ what, refuse, edit });
const NONE = E('as shipped', false, (t) => t);

const caseEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.constant(NONE),
  fc
    .constantFrom('y', 'x', 'step', 'forget', 'theta', 'format')
    .map((k) => E(`duplicate ${k}`, true, (t) => t.replace(/\{/, `{ "${k}": null,`))),
  fc
    .constantFrom('thetta', 'kapa', '__proto__', 'constructor', '')
    .map((k) => E(`unknown key ${JSON.stringify(k)}`, true, (t) => t.replace(/\{/, `{ "${k}": 1,`))),
  // FORMAT.md's rational grammar exactly: no trimming, no "+", no ".5"
  fc
    .constantFrom(' 1', '1 ', '2\n', '\u00a01', '\t1', '+3', '.5', '1/0', '0x10', '1e999999', '1/-2', '\u0661', '')
    .map((r) =>
      E(`kappa ${JSON.stringify(r)}`, true, (t) => t.replace('"kappa": "1"', `"kappa": ${JSON.stringify(r)}`)),
    ),
  fc
    .constantFrom(' 3', '3\t', '3.', '1e4097')
    .map((r) => E(`x entry ${JSON.stringify(r)}`, true, (t) => t.replace('"3"', JSON.stringify(r)))),
  fc
    .constantFrom('-0', '00', '3/1', '30e-1')
    .map((r) => E(`x entry ${JSON.stringify(r)}`, false, (t) => t.replace('"3"', JSON.stringify(r)))),
  fc
    .integer({ min: 30, max: 5000 })
    .map((n) =>
      E(`theta nested ${n}`, true, (t) => t.replace('"theta": null', `"theta": ${'['.repeat(n)}${']'.repeat(n)}`)),
    ),
  fc
    .integer({ min: 100, max: 200_000 })
    .map((n) => E(`kappa of ${n} digits`, false, (t) => t.replace('"kappa": "1"', `"kappa": "${'7'.repeat(n)}"`))),
  fc
    .constantFrom('1e308', '1e400', '-1e999', '-1.5', '"1"', 'true', '[]', '1000000000000')
    .map((v) => E(`y[0] ${v}`, true, (t) => t.replace('"y": [1,', `"y": [${v},`))),
  fc
    .integer({ min: 2, max: 40 })
    .map((k) => E(`truncated by ${k}`, true, (t) => t.slice(0, Math.max(0, t.trimEnd().length + 1 - k)))),
);

const claimEdit: fc.Arbitrary<Edit> = fc.oneof(
  fc.constant(NONE),
  fc
    .constantFrom('conclude', 'model', 'data', 'step', 'assume')
    .map((k) => E(`duplicate ${k}`, true, (t) => t.replace(/\{/, `{ "${k}": null,`))),
  fc
    .constantFrom('concluded', 'asume', 'stepp')
    .map((k) => E(`unknown key ${k}`, true, (t) => t.replace(/\{/, `{ "${k}": [],`))),
  fc
    .constantFrom(' 0', '0 ', '2\n', '\u00a02')
    .map((r) =>
      E(`kappa range ${JSON.stringify(r)}`, true, (t) => t.replace('["0", "2"]', `["0", ${JSON.stringify(r)}]`)),
    ),
  fc
    .constantFrom('[2, 100000]', '[2, 1e12]', '[2, 1000000000000]', '[6, 2]', '[-1, 3]', '"2"')
    .map((v) => E(`n ${v}`, true, (t) => t.replace('"n": [2, 6]', `"n": ${v}`))),
  fc
    .integer({ min: 1, max: 3000 })
    .map((n) =>
      E(`conclude nested ${n} parens`, false, (t) =>
        t.replace('"conclude": [', `"conclude": ["${'('.repeat(n)}kappa${')'.repeat(n)} >= 0", `),
      ),
    ),
  fc
    .constantFrom('kappa ^ 1000', 'process.exit(0)', 'kappa >= 1e5000', 'constructor', '')
    .map((e) =>
      E(`conclude ${JSON.stringify(e)}`, true, (t) =>
        t.replace('"conclude": [', `"conclude": [${JSON.stringify(e)}, `),
      ),
    ),
);

// ---- hostile command lines ----------------------------------------------------------------

const args = (refuse: boolean, ...a: string[]): Edit => E(a.join(' '), refuse, () => '');
const bitsArg: fc.Arbitrary<[Edit, string[]]> = fc.constantFrom<[Edit, string[]]>(
  ...[[], ['--bits=128'], ['--bits', '64']].map((a): [Edit, string[]] => [args(false, ...a), a]),
  ...[
    ['--bits', '2147483648'],
    ['--bits=1e308'],
    ['--bits', '63'],
    ['--bits', '-5'],
    ['--bits', 'abc'],
    ['--bits'],
    ['--bits', '16777217'],
    ['--bits', ' 128'],
  ].map((a): [Edit, string[]] => [args(true, ...a), a]),
);
const certifyArg: fc.Arbitrary<[Edit, string[]]> = fc.constantFrom<[Edit, string[]]>(
  ...[[], ['--help'], ['--epsilon', '1', '--delta', '0', '--tau', '0']].map((a): [Edit, string[]] => [
    args(false, ...a),
    a,
  ]),
  ...[
    ['--nope'],
    ['--epsilon', '1'],
    ['--epsilon', ' 1', '--delta', '0', '--tau', '0'],
    ['--epsilon', '-1', '--delta', '0', '--tau', '0'],
    ['--max-work', '5'],
    ['--max-work', 'lots'],
    ['-x'],
    ['extra-positional'],
  ].map((a): [Edit, string[]] => [args(true, ...a), a]),
);
const exploreArg: fc.Arbitrary<[Edit, string[]]> = fc.constantFrom<[Edit, string[]]>(
  ...[[], ['--seed', '-3'], ['--out', regularFile]].map((a): [Edit, string[]] => [args(false, ...a), a]),
  ...[['--runs', 'x'], ['--runs', '0'], ['--runs', '100001'], ['--seed', '1.5'], ['--nope']].map(
    (a): [Edit, string[]] => [args(true, ...a), a],
  ),
);

interface Invocation {
  what: string;
  refuse: boolean;
  text?: string;
  args: (file: string) => string[];
}

/** A file edit and command-line pieces: refused when any piece must be, unless --help wins. */
function invoke(cmd: string, file: Edit, text: string, pieces: [Edit, string[]][], fixed: string[] = []): Invocation {
  const all = pieces.flatMap(([, a]) => a);
  const refuse = !all.includes('--help') && [file, ...pieces.map(([e]) => e)].some((e) => e.refuse);
  return {
    what: `${cmd}: ${file.what}; ${all.join(' ')}`,
    refuse,
    text: file.edit(text),
    args: (f) => [cmd, f, ...fixed, ...all],
  };
}

const fixedRefusals: Invocation[] = [
  ['certify /dev/zero', ['certify', '/dev/zero']],
  ['certify a directory', ['certify', dir]],
  ['certify a missing file', ['certify', join(dir, 'missing.json')]],
  ['certify with no file', ['certify']],
  ['explore /dev/zero', ['explore', '/dev/zero']],
  ['validate --out a regular file', ['validate', '--out', regularFile, '--runs', '1']],
  ['verify --timeout 0', ['verify', '--impl', 'true', '--timeout', '0']],
  ['an unknown command', ['certifyy', 'x']],
  ['help for an unknown topic', ['help', 'nope']],
  ['a huge argument', ['certify', 'x'.repeat(100_000)]],
].map(([what, a]) => ({ what: what as string, refuse: true, args: () => a as string[] }));

const invocation: fc.Arbitrary<Invocation> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.tuple(caseEdit, bitsArg, certifyArg).map(([e, b, c]) => invoke('certify', e, CASE, [b, c])),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(claimEdit, bitsArg, exploreArg)
      .map(([e, b, x]) => invoke('explore', e, CLAIM, [b, x], ['--runs', '3', '--out', join(dir, 'explore-out')])),
  },
  { weight: 1, arbitrary: fc.constantFrom(...fixedRefusals) },
);

/** Always run first: one sample of each refusal class the issue reproduced (then RUNS drawn). */
const examples: [Invocation][] = [
  [
    invoke(
      'certify',
      E('kappa " 1"', true, (t) => t.replace('"kappa": "1"', '"kappa": " 1"')),
      CASE,
      [],
    ),
  ],
  [
    invoke(
      'certify',
      E('duplicate y', true, (t) => t.replace(/\{/, '{ "y": [1, 1, 1],')),
      CASE,
      [],
    ),
  ],
  [
    invoke(
      'certify',
      E('unknown key thetta', true, (t) => t.replace(/\{/, '{ "thetta": null,')),
      CASE,
      [[args(true, '--bits', '2147483648'), ['--bits', '2147483648']]],
    ),
  ],
  [
    invoke(
      'explore',
      E('duplicate conclude', true, (t) => t.replace(/\{/, '{ "conclude": [],')),
      CLAIM,
      [],
      ['--runs', '3', '--out', join(dir, 'explore-out')],
    ),
  ],
  [fixedRefusals[0]!],
];

let n = 0;
/** Writes the invocation's file (if any) and runs it. */
function run(inv: Invocation): Promise<Ran> {
  const file = join(dir, `input-${n++}.json`);
  if (inv.text !== undefined) writeFileSync(file, inv.text);
  return runCli(inv.args(file));
}

/** The clean-outcome contract; returns a reason when it is broken. */
export function unclean(r: Ran): string | undefined {
  if (r.ms >= BOUND_MS || r.status === null) return `not done within ${BOUND_MS} ms`;
  if (/\n\s+at [^\n]*[(:]\S+:\d+/.test(r.stderr) || /^\w*Error\b/m.test(r.stderr)) return 'a stack trace on stderr';
  if (r.status === 2) {
    if (r.stdout !== '') return 'exit 2 with output on stdout';
    if (!/^unlearn-kkt: [^\n]+\n$/.test(r.stderr))
      return 'exit 2 without exactly one `unlearn-kkt: ...` line on stderr';
    if (r.stderr.length > 600) return 'an error line longer than 600 characters';
    return undefined;
  }
  if (r.status !== 0 && r.status !== 1) return `exit ${r.status}`;
  return undefined;
}

describe('hostile inputs get clean outcomes (issue 14 item 6)', () => {
  test.prop([invocation], { numRuns: RUNS, seed: 14, endOnFailure: true, examples })(
    'a result (exit 0/1, no stack), or one line `unlearn-kkt: ...` with exit 2, in bounded time',
    async (inv) => {
      const r = await run(inv);
      const why =
        unclean(r) ?? (inv.refuse && r.status !== 2 ? 'accepted, but it must be refused (exit 2)' : undefined);
      expect(
        why === undefined
          ? 'clean'
          : `${inv.what}: ${why}; exit ${r.status}; stderr ${JSON.stringify(r.stderr.slice(0, 300))}`,
      ).toBe('clean');
    },
    RUNS * BOUND_MS,
  );
});
