// Hostile subjects: whatever an implementation under test does (hang, crash, flood stdout,
// print NaN, leave children behind), verify reports it within the timeout and never
// crashes itself; the CLI exits 1 on such a subject and 2 on bad usage.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './support.ts';
import { describe, expect, test } from 'vitest';
import { commandSubject, functionSubject } from '../src/guard/subjects.ts';
import { reportJson } from '../src/guard/report.ts';
import { readCaseDir, verify } from '../src/guard/verify.ts';
import { DEFAULT_RTOL } from '../src/guard/compare.ts';
import { runCommand } from '../src/guard/runner.ts';
import { PLAIN_EVERY_MS } from '../src/io/progress.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GOLDEN = `${ROOT}fixtures/golden`;
const cases = readCaseDir(GOLDEN).filter((c) => c.name === 'linear-half-step');
const expected = JSON.parse(readFileSync(`${GOLDEN}/linear-half-step.json`, 'utf8')).expected.after.theta as string[];
const good = JSON.stringify({ format: 'unlearn-kkt/result@1', theta_after: expected });
const TIMEOUT = 1500;

/** Running (a killed child reparented to init may linger as a zombie: that is dead). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) ? readFileSync(stat, 'utf8').split(') ')[1]![0] !== 'Z' : true;
};

const HOSTILE: { name: string; cmd: string; status: string; message?: RegExp }[] = [
  { name: 'sleeps forever', cmd: 'sleep 1000', status: 'timeout', message: /no result within 1500 ms/ },
  {
    name: 'exits 3',
    cmd: 'cat >/dev/null; echo "it broke" >&2; exit 3',
    status: 'nonzero-exit',
    message: /exit code 3; stderr: it broke/,
  },
  {
    name: 'prints NaN (Python json.dumps)',
    cmd: `echo '{"format":"unlearn-kkt/result@1","theta_after":[NaN, 1, 0]}'`,
    status: 'bad-number',
    message: /NaN/,
  },
  {
    name: 'prints Infinity',
    cmd: `echo '{"format":"unlearn-kkt/result@1","theta_after":[-Infinity, 1, 0]}'`,
    status: 'bad-number',
  },
  {
    name: 'prints 10 MB of garbage',
    cmd: "head -c 10485760 /dev/zero | tr '\\0' x",
    status: 'too-large',
    message: /output too large/,
  },
  { name: 'segfaults', cmd: 'kill -SEGV $$', status: 'crash', message: /SIGSEGV/ },
  { name: 'prints prose', cmd: 'echo "theta is about 0.5"', status: 'not-json' },
  { name: 'prints nothing', cmd: 'true', status: 'not-json', message: /empty/ },
  { name: 'echoes the case back', cmd: 'cat', status: 'wrong-format' },
  {
    name: 'wrong shape',
    cmd: `echo '{"format":"unlearn-kkt/result@1","theta_after":[1]}'`,
    status: 'wrong-shape',
    message: /expected 3/,
  },
  {
    name: 'nested for linear',
    cmd: `echo '{"format":"unlearn-kkt/result@1","theta_after":[[1,2,3]]}'`,
    status: 'wrong-shape',
  },
  {
    name: 'a non-rational entry',
    cmd: `echo '{"format":"unlearn-kkt/result@1","theta_after":["1/0","1","2"]}'`,
    status: 'bad-number',
    message: /zero denominator/,
  },
  {
    name: 'a negative claim',
    cmd: `echo '{"format":"unlearn-kkt/result@1","theta_after":${JSON.stringify(expected)},"tau":"-1"}'`,
    status: 'bad-number',
  },
  {
    name: 'a false claim',
    cmd: `echo '{"format":"unlearn-kkt/result@1","theta_after":${JSON.stringify(expected)},"epsilon":"0"}'`,
    status: 'false-claim',
  },
  { name: 'cannot be started', cmd: './no-such-implementation', status: 'nonzero-exit', message: /exit code 127/ },
  {
    name: 'JSON nested 10,000 deep',
    cmd: `python3 -c "print('{\\"format\\":\\"unlearn-kkt/result@1\\",\\"x\\":' + '[' * 10000 + ']' * 10000 + '}')"`,
    status: 'not-json',
    message: /nested deeper than 64/,
  },
  {
    name: 'a repeated key',
    cmd: `echo '{"format":"unlearn-kkt/result@1","theta_after":[1,2,3],"theta_after":${JSON.stringify(expected)}}'`,
    status: 'wrong-format',
    message: /duplicate key "theta_after"/,
  },
];

describe('hostile subjects are reported, within the timeout', () => {
  test.each(HOSTILE)('$name -> $status', async ({ cmd, status, message }) => {
    const t0 = Date.now();
    const rep = await verify({ subject: commandSubject(cmd, { timeoutMs: TIMEOUT, cwd: ROOT }), cases });
    const r = rep.reports[0]!;
    expect(r.status).toBe(status);
    if (message) expect(r.message).toMatch(message);
    expect(rep.failed.length).toBe(1);
    expect(Date.now() - t0).toBeLessThan(TIMEOUT + 5000);
  });

  test('twin: the correct result, printed by a shell command, passes', async () => {
    const rep = await verify({ subject: commandSubject(`cat >/dev/null; echo '${good}'`), cases });
    expect(rep.failed).toEqual([]);
  });

  test('children left behind are killed with the process group, and do not hold the result', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'guard-')), 'pid');
    const t0 = Date.now();
    // prints a correct result, then leaves a sleeper that still holds stdout open
    const rep = await verify({
      subject: commandSubject(`sleep 1000 & echo $! > ${pidFile}; echo '${good}'`, { timeoutMs: 20_000 }),
      cases,
    });
    expect(rep.failed).toEqual([]);
    expect(Date.now() - t0).toBeLessThan(5000);
    const pid = Number(readFileSync(pidFile, 'utf8'));
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(pid)).toBe(false);
  });

  test('unknown keys are ignored, even a number out of binary64 range', async () => {
    const rep = await verify({
      subject: commandSubject(`cat >/dev/null; echo '${good.replace(/}$/, ',"note":1e400,"meta":{"a":[[[]]]}}')}'`),
      cases,
    });
    expect(rep.failed).toEqual([]);
  });

  test('a 7 MB bad string is echoed as a prefix and its length, in the message and the report', async () => {
    const cmd = `python3 -c "print('{\\"format\\":\\"unlearn-kkt/result@1\\",\\"theta_after\\":[\\"' + 'x' * 7000000 + '\\",1,2]}')"`;
    const rep = await verify({ subject: commandSubject(cmd, { timeoutMs: 20_000 }), cases });
    const r = rep.reports[0]!;
    expect(r.status).toBe('bad-number');
    expect(r.message.length).toBeLessThanOrEqual(300);
    expect(r.message).toMatch(/^theta_after\[0\] is "x{48}"… \(7000000 characters\)/);
    expect(JSON.stringify(reportJson(r, 'x', DEFAULT_RTOL)).length).toBeLessThan(5000);
  });

  test('a grandchild that calls setsid and holds stdout does not hold verify past the timeout', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'guard-')), 'pid');
    const t0 = Date.now();
    const rep = await verify({
      subject: commandSubject(
        `cat >/dev/null; setsid sh -c 'echo $$ > ${pidFile}; exec sleep 1000' & sleep 0.3; echo '${good}'`,
        { timeoutMs: TIMEOUT },
      ),
      cases,
    });
    const pid = Number(readFileSync(pidFile, 'utf8'));
    try {
      expect(rep.reports[0]!.status).toBe('timeout');
      expect(rep.reports[0]!.message).toMatch(/held open .* outside its group/);
      expect(Date.now() - t0).toBeLessThan(TIMEOUT + 3000);
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL'); // outside the group: the guard cannot reach it
    }
  });

  test('a timed-out group is killed entirely', async () => {
    const pidFile = join(mkdtempSync(join(tmpdir(), 'guard-')), 'pid');
    const out = await runCommand(`sleep 1000 & echo $! > ${pidFile}; sleep 1000`, '', { timeoutMs: 300 });
    expect(out.status).toBe('timeout');
    await new Promise((res) => setTimeout(res, 100));
    expect(alive(Number(readFileSync(pidFile, 'utf8')))).toBe(false);
  });

  test('in-process subjects: a throw is a crash, NaN a bad number', async () => {
    const thrown = await verify({
      subject: functionSubject('throws', () => {
        throw new Error('boom');
      }),
      cases,
    });
    expect([thrown.reports[0]!.status, thrown.reports[0]!.message]).toEqual(['crash', 'threw boom']);
    const nan = await verify({
      subject: functionSubject('nan', () => ({ format: 'unlearn-kkt/result@1', theta_after: [NaN, 0, 0] })),
      cases,
    });
    expect(nan.reports[0]!.status).toBe('bad-number');
  });
});

describe('the CLI', () => {
  const verifyCli = (...a: string[]) => cli(['verify', ...a]);

  test('exit 1 on a hanging subject, the case written to --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-cases-'));
    writeFileSync(join(dir, 'one.json'), cases[0]!.text);
    const out = join(dir, 'out');
    const t0 = Date.now();
    const r = verifyCli('--impl', 'sleep 1000', '--cases', dir, '--timeout', '500', '--out', out);
    expect(r.status).toBe(1);
    expect(Date.now() - t0).toBeLessThan(15_000);
    expect(r.stdout).toMatch(/one\s+linear 3x3\s+timeout/);
    expect(r.stdout).toMatch(/0 of 1 cases agree/);
    expect(existsSync(join(out, 'one.json')) && existsSync(join(out, 'one.report.json'))).toBe(true);
    expect(r.stderr).toBe('');
  });

  test('a case that runs past the first progress delay shows progress while it runs (stderr not a terminal)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-cases-'));
    writeFileSync(join(dir, 'one.json'), cases[0]!.text);
    const r = verifyCli(
      '--impl',
      'sleep 1000',
      '--cases',
      dir,
      '--timeout',
      String(PLAIN_EVERY_MS + 1500),
      '--out',
      join(dir, 'out'),
    );
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^verify: \[0\/1\] starting; waiting for the subject \(\d+ s\)\n$/);
  }, 30_000);

  test('exit 2 on bad usage, one line on stderr', () => {
    for (const [argv, msg] of [
      [['--cases', GOLDEN], /verify needs --impl/],
      [['--impl', 'true', '--cases', '/no/such/dir'], /cannot read --cases/],
      [['--impl', 'true', '--fuzz', 'many'], /--fuzz must be an integer/],
      [
        ['--impl', 'true', '--cases', GOLDEN, '--timeout', '2147483648'],
        /--timeout must be an integer in \[\d+, 2147483647\]/,
      ],
    ] as const) {
      const r = verifyCli(...argv);
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^unlearn-kkt: /);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
