// `npm run validate` is reproducible: the same seed gives byte-identical REPORT.md, JSON and
// SVG files, whether run through the CLI or in-process (so no file depends on the clock,
// the process, or state left by earlier renders in the test worker). Twin: a different seed gives different
// files, so the comparison is not vacuous.
import { describe, expect, test, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validate } from '../src/validate.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'unlearn-kkt.mjs');
const CLAIMS_DIR = join(ROOT, 'fixtures', 'claims');
const RUNS = 6;
const tmp = mkdtempSync(join(tmpdir(), 'unlearn-kkt-report-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function cli(args: string[]): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
      stdio: 'ignore',
    });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

/** Every file under dir (recursively), by relative path, sorted. */
function files(dir: string): Map<string, Buffer> {
  const names = (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => statSync(join(dir, f)).isFile())
    .sort();
  return new Map(names.map((f) => [f, readFileSync(join(dir, f))]));
}

describe('validate report determinism', () => {
  test('same seed: a CLI run and an in-process run write byte-identical files', async () => {
    const [a, b] = ['cli', 'in'].map((d) => join(tmp, d));
    const running = cli(['validate', '--seed', '3', '--runs', String(RUNS), '--out', a!]); // overlaps the in-process run
    await validate({ seed: 3, runs: RUNS, out: b!, claimsDir: CLAIMS_DIR });
    expect(await running).toBe(0);
    const [fa, fb] = [a!, b!].map(files);
    for (const name of [
      'REPORT.md',
      'claims.json',
      'plots.json',
      'sweep-linear.svg',
      'tau-delta-vs-phi.svg',
      'ratios.svg',
      'boundaries/L1.rho.svg',
      'boundaries/T2.step_margin.boundary.json',
    ]) {
      expect(fa!.has(name), name).toBe(true);
    }
    expect([...fb!.keys()]).toEqual([...fa!.keys()]);
    for (const [name, bytes] of fa!) expect(fb!.get(name)!.equals(bytes), `${name} differs`).toBe(true);
    // two validate runs at once (CLI and in-process): ~19 s alone, past 30 s beside another test worker
  }, 90_000);

  test('twin: a different seed gives a different report', async () => {
    const [a, b] = ['in', 's4'].map((d) => join(tmp, d)); // 'in' is seed 3, from the test above
    await validate({ seed: 4, runs: RUNS, out: b!, claimsDir: CLAIMS_DIR });
    const [fa, fb] = [files(a!), files(b!)];
    expect(fa.get('claims.json')!.equals(fb.get('claims.json')!)).toBe(false);
    expect(fa.get('boundaries/L1.rho.svg')!.equals(fb.get('boundaries/L1.rho.svg')!)).toBe(false);
  }, 90_000);
});
