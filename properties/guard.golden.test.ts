// Golden cases (fixtures/golden, written by `npm run golden` through mathjs Fractions and
// brute-force support enumeration, independent of src/): the engine's runCase must
// reproduce every rational exactly (THEORY.md D2, D3, L1-L5, T1, T2 on these cases).
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Rational } from '../src/exact/rational.ts';
import { parseCase } from '../src/formats/case.ts';
import { certificateJson } from '../src/formats/certificateJson.ts';
import { runCase } from '../src/unlearn/pipeline.ts';

const DIR = fileURLToPath(new URL('../fixtures/golden/', import.meta.url));
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();

interface Golden {
  name: string;
  case: Record<string, unknown>;
  expected: Record<string, unknown>;
}

const load = (f: string): Golden => JSON.parse(readFileSync(DIR + f, 'utf8'));

/** Every rational of `expected` against the same path in `actual`; returns the differences. */
function diff(expected: unknown, actual: unknown, path = ''): string[] {
  if (typeof expected === 'string') {
    if (typeof actual !== 'string') return [`${path}: expected ${expected}, got ${JSON.stringify(actual)}`];
    return Rational.parse(expected).eq(Rational.parse(actual)) ? [] : [`${path}: expected ${expected}, got ${actual}`];
  }
  if (expected === null) return actual === null ? [] : [`${path}: expected null`];
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length)
      return [`${path}: expected ${expected.length} entries`];
    return expected.flatMap((e, k) => diff(e, actual[k], `${path}[${k}]`));
  }
  const a = actual as Record<string, unknown>;
  if (typeof a !== 'object' || a === null) return [`${path}: expected an object`];
  return Object.entries(expected as Record<string, unknown>).flatMap(([k, e]) =>
    diff(e, a[k], path ? `${path}.${k}` : k),
  );
}

/** How many rationals a golden file pins down. */
const count = (v: unknown): number =>
  typeof v === 'string'
    ? 1
    : Array.isArray(v)
      ? v.reduce((s: number, e) => s + count(e), 0)
      : v && typeof v === 'object'
        ? Object.values(v).reduce((s: number, e) => s + count(e), 0)
        : 0;

describe('golden cases replay exactly', () => {
  test('the golden set covers both models', () => {
    const kinds = files.map((f) => (load(f).case.model as { kind: string }).kind);
    expect(kinds).toContain('linear');
    expect(kinds).toContain('relu2');
    console.log(
      `[stats] golden: ${files.length} cases, ${files.reduce((s, f) => s + count(load(f).expected), 0)} rationals`,
    );
  });

  test.each(files)('%s', (f) => {
    const g = load(f);
    const run = runCase(parseCase(g.case));
    expect(diff(g.expected, certificateJson(run))).toEqual([]);
  });

  // The twin: a perturbed engine (κ moved by 1/8) must disagree with every golden file,
  // so the comparison above is live.
  test.each(files)('twin: κ + 1/8 disagrees with %s', (f) => {
    const g = load(f);
    const c = parseCase(g.case);
    if (c.step.kind !== 'kappa') throw new Error('golden cases use κ steps');
    const run = runCase({ ...c, step: { kind: 'kappa', kappa: c.step.kappa.add(Rational.of(1, 8)) } });
    expect(diff(g.expected, certificateJson(run)).length).toBeGreaterThan(0);
  });
});
