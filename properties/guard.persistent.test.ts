// `verify --persistent` (docs/FORMAT-result.md "Persistent subjects"): one process answers every
// case, line by line, with the same verdicts as one process per case; a case on which the
// process crashes, hangs or answers garbage gets that status and the next case a fresh process.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { commandSubject } from '../src/guard/subjects.ts';
import { readCaseDir, verify } from '../src/guard/verify.ts';
import { pythonWith } from './support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const golden = readCaseDir(`${ROOT}fixtures/golden`);
const SUBJECT = 'node --import tsx src/float/subject.ts';

// A persistent subject built on the project's float subject (in-process, per line): answers
// right, except on the 2nd case it sees (exits 3), the 3rd (hangs) and the 4th (prints
// garbage). The count lives in a file, so a restarted process goes on counting.
const HOSTILE = `
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { gaFromCase } from '${ROOT}src/float/gaFloat.ts';
const counter = process.argv[2];
for await (const line of createInterface({ input: process.stdin })) {
  const k = Number(readFileSync(counter, 'utf8')) + 1;
  writeFileSync(counter, String(k));
  if (process.env.UNLEARN_KKT_PERSISTENT !== '1') process.exit(9);
  if (k === 2) process.exit(3);
  if (k === 3) setInterval(() => {}, 1000), await new Promise(() => {});
  process.stdout.write(k === 4 ? 'not json\\n' : JSON.stringify(gaFromCase(JSON.parse(line))) + '\\n');
}
`;

describe('verify --persistent', () => {
  test('the same statuses as one process per case, on every golden case', async () => {
    const per = await verify({ subject: commandSubject(SUBJECT, { cwd: ROOT, timeoutMs: 60_000 }), cases: golden });
    const subject = commandSubject(SUBJECT, { cwd: ROOT, timeoutMs: 60_000, persistent: true });
    const one = await verify({ subject, cases: golden }).finally(() => subject.close?.());
    expect(one.reports.map((r) => `${r.name} ${r.status}`)).toEqual(per.reports.map((r) => `${r.name} ${r.status}`));
    expect(one.failed).toEqual([]);
  }, 120_000);

  test('a crash, a hang and garbage mid-stream: that case reported, the process restarted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'persistent-'));
    writeFileSync(join(dir, 'hostile.mts'), HOSTILE);
    writeFileSync(join(dir, 'count'), '0');
    const subject = commandSubject(`node --import tsx ${join(dir, 'hostile.mts')} ${join(dir, 'count')}`, {
      cwd: ROOT,
      timeoutMs: 4000,
      persistent: true,
    });
    const t0 = Date.now();
    const rep = await verify({ subject, cases: golden.slice(0, 6) }).finally(() => subject.close?.());
    expect(rep.reports.map((r) => r.status)).toEqual([
      'pass',
      'nonzero-exit',
      'timeout',
      rep.reports[3]!.status,
      'pass',
      'pass',
    ]);
    expect(rep.reports[3]!.status).not.toBe('pass');
    expect(Date.now() - t0).toBeLessThan(4000 + 10_000 + 20_000);
  }, 60_000);

  test('the CLI flag: one line of output per verdict, exit 0', () => {
    const r = spawnSync(
      'node',
      [
        'bin/unlearn-kkt.mjs',
        'verify',
        '--impl',
        SUBJECT,
        '--cases',
        'fixtures/golden',
        '--persistent',
        '--out',
        join(tmpdir(), 'vf-persistent'),
      ],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stdout).toMatch(/persistent/);
    expect(r.stdout).toMatch(new RegExp(`${golden.length} of ${golden.length} cases agree`));
    expect(r.status).toBe(0);
  }, 60_000);
});

// The README's "Guard your PyTorch implementation" example, as a user runs it.
const torch = pythonWith('torch');
describe.skipIf(!torch)('README: fixtures/examples/guard_torch.py', () => {
  test('agrees on golden cases of both models (autodiff and clarke), persistent', async () => {
    const subject = commandSubject(`${torch} fixtures/examples/guard_torch.py`, {
      cwd: ROOT,
      timeoutMs: 60_000,
      persistent: true,
    });
    const cases = golden.filter((c) => /clarke|kink|linear-ints|relu2-shifted/.test(c.name));
    const rep = await verify({ subject, cases, fuzz: 5, seed: 3 }).finally(() => subject.close?.());
    expect(rep.failed.map((f) => `${f.name} ${f.status}: ${f.message}`)).toEqual([]);
    expect(rep.reports.some((r) => r.shape.startsWith('relu2'))).toBe(true);
  }, 120_000);
});
