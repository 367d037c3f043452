// The guard section of `npm run bench` (issue 11): `verify --persistent` against one process
// per case, with the PyTorch adapter on fixtures/golden plus 50 fuzzed cases, in one run.
// Whole commands, wall clock; a visible skip when no python3 imports torch.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const FUZZ = 50;

export interface GuardBench {
  skipped?: string;
  impl?: string;
  cases?: string;
  spawn_s?: number;
  persistent_s?: number;
  ratio?: number;
  spawn_summary?: string;
  persistent_summary?: string;
}

function python(): string | undefined {
  return ['python3', '/usr/bin/python3'].find(
    (py) => spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore', timeout: 120_000 }).status === 0,
  );
}

function timedVerify(root: string, impl: string, persistent: boolean): { s: number; summary: string } {
  const argv = [
    'bin/unlearn-kkt.mjs',
    'verify',
    '--impl',
    impl,
    '--cases',
    'fixtures/golden',
    '--fuzz',
    String(FUZZ),
    '--seed',
    '1',
    '--out',
    mkdtempSync(join(tmpdir(), 'bench-guard-')),
  ];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, persistent ? [...argv, '--persistent'] : argv, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  const s = (performance.now() - t0) / 1000;
  const summary = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status !== 0) throw new Error(`bench guard: verify exited ${r.status}: ${summary} ${r.stderr.slice(-300)}`);
  return { s: Math.round(s * 100) / 100, summary };
}

export function guardSection(root: string): GuardBench {
  const py = python();
  if (!py) return { skipped: 'no python3 imports torch (bash .ci/setup-python.sh installs Debian python3-torch)' };
  const impl = `${py} fixtures/adapters/torch_ga.py`;
  const spawn = timedVerify(root, impl, false);
  const persistent = timedVerify(root, impl, true);
  return {
    impl,
    cases: `fixtures/golden + --fuzz ${FUZZ} --seed 1`,
    spawn_s: spawn.s,
    persistent_s: persistent.s,
    ratio: Math.round((spawn.s / persistent.s) * 10) / 10,
    spawn_summary: spawn.summary,
    persistent_summary: persistent.summary,
  };
}

export function guardMarkdown(g: GuardBench): string[] {
  const L = ['## Guard: verify --persistent against one process per case', ''];
  if (g.skipped) return [...L, `Skipped: ${g.skipped}.`, ''];
  L.push(`\`unlearn-kkt verify --impl "${g.impl}"\` on ${g.cases}, whole commands, one run each, wall clock.`, '');
  L.push('| mode | wall s | summary |', '|---|---:|---|');
  L.push(`| one process per case | ${g.spawn_s} | ${g.spawn_summary} |`);
  L.push(`| --persistent | ${g.persistent_s} | ${g.persistent_summary} |`, '');
  L.push(`- per-case / persistent = ${g.ratio} (target >= 5: ${g.ratio! >= 5 ? 'met' : '**missed**'})`, '');
  return L;
}
