// Shared helpers for the property files: run counts, tallies of interesting cases,
// building pipeline runs, and live twins replayed from fixtures/counterexamples/.
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, expect } from 'vitest';
import * as fc from 'fast-check';
import { Rational } from '../src/exact/rational.ts';
import type { Dataset, Label } from '../src/data/dataset.ts';
import { makeDataset } from '../src/data/dataset.ts';
import { type Check, describeCheck, failed } from '../src/claims/check.ts';
import { type CaseRun, runCase } from '../src/unlearn/pipeline.ts';
import type { Step } from '../src/unlearn/ga.ts';

/** Runs per property: the default, or FC_RUNS from the environment (to raise it). */
export function runs(defaultRuns: number): number {
  const env = Number(process.env.FC_RUNS);
  return Number.isInteger(env) && env > 0 ? env : defaultRuns;
}

/**
 * fast-check parameters shared by every property: stop before vitest's timeout. FC_SEED
 * fixes the seed, offset by FC_SHARD (a CI matrix index), so parallel jobs explore disjoint,
 * replayable streams; unset, fast-check draws a fresh seed (printed on failure).
 */
export function params(defaultRuns: number): {
  numRuns: number;
  interruptAfterTimeLimit: number;
  markInterruptAsFailure: boolean;
  seed?: number;
} {
  const seed = Number(process.env.FC_SEED) + Number(process.env.FC_SHARD ?? 0);
  return {
    numRuns: runs(defaultRuns),
    interruptAfterTimeLimit: 45_000,
    markInterruptAsFailure: true,
    ...(Number.isSafeInteger(seed) ? { seed } : {}),
  };
}

/** Counts how often labelled cases occur in a property; printed once after the file. */
export function tally(name: string): (label: string, hit?: boolean) => void {
  const counts = new Map<string, number>();
  let total = 0;
  afterAll(() => {
    const parts = [...counts].map(([k, v]) => `${k} ${((100 * v) / Math.max(total, 1)).toFixed(0)}%`);
    console.log(`[stats] ${name}: ${total} runs${parts.length ? ': ' + parts.join(', ') : ''}`);
  });
  return (label, hit = true) => {
    if (label === 'run') total++;
    else if (hit) counts.set(label, (counts.get(label) ?? 0) + 1);
  };
}

/** A proper, nonempty forget set from a bit mask over n points. */
export function forgetSet(n: number, mask: number): number[] {
  const F = [...Array(n).keys()].filter((i) => (mask >> i) & 1);
  if (F.length === 0) return [0];
  return F.length === n ? F.slice(1) : F;
}

/** Fails with the broken checks, one per line. */
export function expectHolds(checks: readonly Check[]): void {
  const bad = failed(checks);
  expect(bad.map(describeCheck)).toEqual([]);
}

export function linearRun(
  data: Dataset,
  forget: number[],
  step: Step = { kind: 'kappa', kappa: Rational.ONE },
): CaseRun {
  return runCase({ model: { kind: 'linear' }, data, theta: null, forget, step, gradient: 'autodiff' });
}

/** A small integer dataset from plain JSON (the form counterexamples are stored in). */
export function intData(x: readonly (readonly number[])[], y: readonly number[]): Dataset {
  return makeDataset(
    x.map((row) => row.map((v) => Rational.of(v))),
    y.map((v) => (v === 1 ? 1 : -1) as Label),
  );
}

const FIXTURES = fileURLToPath(new URL('../fixtures/counterexamples/', import.meta.url));

interface StoredCounterexample<T> {
  claim: string;
  refutes: string;
  seed: number;
  path: string;
  counterexample: T;
}

/**
 * A live twin: `predicate` states a claim OUTSIDE its assumption, where fast-check must
 * refute it. The stored shrunk counterexample (fixtures/counterexamples/<name>.json) is
 * replayed first; UPDATE_COUNTEREXAMPLES=1 rewrites it from a fresh search.
 * Returns the shrunk counterexample so the caller can check it is small and readable.
 */
export function liveTwin<T>(
  name: string,
  claim: string,
  refutes: string,
  arb: fc.Arbitrary<T>,
  predicate: (v: T) => boolean,
  numRuns = 1000,
): T {
  const file = `${FIXTURES}${name}.json`;
  const update = process.env.UPDATE_COUNTEREXAMPLES === '1';
  const stored: StoredCounterexample<T> | undefined =
    !update && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
  const out = fc.check(fc.property(arb, predicate), {
    numRuns,
    seed: stored?.seed ?? 42,
    examples: stored ? [[stored.counterexample]] : [],
  });
  expect(out.failed, `${name}: the twin of ${claim} found no counterexample: the bound is not shown to be live`).toBe(
    true,
  );
  const ce = out.counterexample![0] as T;
  if (update || !stored) {
    mkdirSync(FIXTURES, { recursive: true });
    const entry: StoredCounterexample<T> = {
      claim,
      refutes,
      seed: out.seed,
      path: out.counterexamplePath ?? '',
      counterexample: ce,
    };
    writeFileSync(file, JSON.stringify(entry, null, 2) + '\n');
  }
  return ce;
}

/** The first python3 that imports `module` (Debian's packages live in /usr/bin/python3). */
export function pythonWith(module: string): string | undefined {
  for (const py of ['python3', '/usr/bin/python3']) {
    if (spawnSync(py, ['-c', `import ${module}`], { stdio: 'ignore', timeout: 60_000 }).status === 0) return py;
  }
  console.log(
    `[skip] no python3 can import ${module}: its adapter is not tested (bash .ci/setup-python.sh installs it)`,
  );
  return undefined;
}

const BIN = fileURLToPath(new URL('../bin/unlearn-kkt.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** `unlearn-kkt ARGS` as a user runs it (from the repository root), its output as text. */
export function cli(args: readonly string[], timeout = 60_000): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout });
}
