// `unlearn-kkt certify` end to end (FORMAT.md "certify" and "Errors"): a valid case gives a
// certificate@1 object, every kind of bad input gives exit 2 with exactly one
// `unlearn-kkt: ...` line on stderr and nothing on stdout, and --epsilon/--delta/--tau
// decide D4 through the exit code. Then an in-process fuzz of parseCase: it returns a Case
// or throws InputError, never anything else.
import { describe, expect, beforeAll, afterAll } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCase, CASE_FORMAT } from '../src/formats/case.ts';
import { InputError } from '../src/errors.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'unlearn-kkt.mjs');
const RUNS = Number(process.env.FC_RUNS ?? 200);

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Spawn the CLI (asynchronously, so the ~0.5 s start-ups overlap). */
function runCli(args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Run jobs with at most `limit` at a time. */
async function pool<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out = new Array<T>(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const k = next++;
      out[k] = await jobs[k]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}

// ---- cases ----

const valid = {
  format: 'unlearn-kkt/case@1',
  model: { kind: 'linear' },
  x: [
    ['1', '0', '1/2'],
    ['0', '2', '-1'],
  ],
  y: [1, -1],
  theta: null,
  forget: [0],
  step: { kappa: '1' },
};
const withX = (x: unknown) => ({ ...valid, x });
const withY = (y: unknown) => ({ ...valid, y });

/** name -> file content (string: written verbatim), expected stderr fragment. */
const bad: Record<string, { content: string | object | null; message: string | RegExp }> = {
  malformed: { content: '{"format": "unlearn-kkt/case@1", "x": [', message: /is not valid JSON/ },
  ragged: {
    content: withX([
      ['1', '0', '1'],
      ['0', '2'],
    ]),
    message: 'x[1] has 2 entries, expected 3',
  },
  label0: { content: withY([1, 0]), message: /^unlearn-kkt: y\[1\] must be one of 1, -1$/ },
  label2: { content: withY([2, -1]), message: /^unlearn-kkt: y\[0\] must be one of 1, -1$/ },
  nan: {
    content: withX([
      ['NaN', '0', '1'],
      ['0', '2', '-1'],
    ]),
    message: 'x[0][0]',
  },
  zeroDen: {
    content: withX([
      ['1', '1/0', '1'],
      ['0', '2', '-1'],
    ]),
    message: /x\[0\]\[1\].*zero denominator/,
  },
  forgetAll: { content: { ...valid, forget: [0, 1] }, message: 'forget lists every point' },
  forgetRange: { content: { ...valid, forget: [2] }, message: 'forget[0] is 2, out of range for n = 2' },
  version: { content: { ...valid, format: 'unlearn-kkt/case@2' }, message: '"unlearn-kkt/case@2"' },
  // a point and its negation with the same label
  nonSeparable: {
    content: {
      ...valid,
      x: [
        ['1', '2', '0'],
        ['-1', '-2', '0'],
        ['0', '0', '1'],
      ],
      y: [1, 1, -1],
    },
    message: /not separable/,
  },
  missing: { content: null, message: /no such file/ },
};

// correlated: the FORMAT.md example (<x_0, x_1> != 0): GA leaves tau = 3/8 > 0
const correlated = valid;
// exactly orthogonal (L3 corollary): the GA step is the retrained model, eps = delta = tau = 0
const orthogonal = {
  ...valid,
  x: [
    ['1', '0', '0'],
    ['0', '2', '-1'],
  ],
  y: [1, -1],
  forget: [0],
};

let dir = '';
const results = new Map<string, Ran>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'unlearn-kkt-cli-'));
  const file = (name: string, content: string | object) => {
    const f = join(dir, `${name}.json`);
    writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
    return f;
  };
  const jobs: [string, string[]][] = [
    ['valid', ['certify', file('valid', valid)]],
    ['correlated', ['certify', file('correlated', correlated), '--epsilon', '0', '--delta', '0', '--tau', '0']],
    ['orthogonal', ['certify', file('orthogonal', orthogonal), '--epsilon', '0', '--delta', '0', '--tau', '0']],
    ...Object.entries(bad).map(([name, b]): [string, string[]] => [
      name,
      ['certify', b.content === null ? join(dir, 'does-not-exist.json') : file(name, b.content)],
    ]),
  ];
  const ran = await pool(
    jobs.map(
      ([, args]) =>
        () =>
          runCli(args),
    ),
    3,
  );
  jobs.forEach(([name], k) => results.set(name, ran[k]!));
}, 55_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('unlearn-kkt certify (spawned)', () => {
  test('a valid linear case: exit 0, one certificate@1 object on stdout, nothing on stderr', () => {
    const r = results.get('valid')!;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.format).toBe('unlearn-kkt/certificate@1');
    expect(out.before.margins).toEqual(['1', '1']);
    expect(out.before.epsilon2).toBe('0');
    expect(out.before.tau).toBe('0');
    expect(out.after.theta).toHaveLength(3);
    expect(out.after.margins).toHaveLength(1);
    for (const k of ['tau', 'epsilon2', 'delta']) expect(out.after[k]).toMatch(/^-?\d+(\/\d+)?$/);
    expect(out.retrained).not.toBeNull();
    expect(out.decision).toBeUndefined();
    // summary: the same numbers as 6-digit decimals (checked here against the fraction as a float)
    const near = (dec: string, exact: string) => {
      const [a, b = '1'] = exact.split('/');
      const x = Number(BigInt(a!)) / Number(BigInt(b));
      expect(Math.abs(Number(dec) - x)).toBeLessThanOrEqual(5e-6 * Math.abs(x));
    };
    for (const k of ['tau', 'epsilon2', 'delta']) near(out.summary.after[k], out.after[k]);
    for (const k of ['epsilon2', 'delta']) near(out.summary.after.inherited[k], out.after.inherited[k]);
    for (const k of ['distance2', 'cos2']) near(out.summary.retrained[k], out.retrained[k]);
    expect(out.summary.decision).toBeUndefined();
  });

  for (const [name, b] of Object.entries(bad)) {
    test(`bad input "${name}": exit 2, one "unlearn-kkt: " line on stderr, empty stdout, no stack`, () => {
      const r = results.get(name)!;
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^unlearn-kkt: [^\n]+\n$/);
      expect(r.stderr).not.toMatch(/\n\s+at |Error:|\.ts:\d+/);
      if (typeof b.message === 'string') expect(r.stderr).toContain(b.message);
      else expect(r.stderr.trimEnd()).toMatch(b.message);
      expect(r.status).toBe(2);
    });
  }

  test('--epsilon 0 --delta 0 --tau 0 on correlated data: a decision, not successful, exit 1', () => {
    const r = results.get('correlated')!;
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.decision).toBeDefined();
    expect(out.decision.successful).toBe(false);
    expect(out.after.tau).toBe('3/8');
    // the failing conditions, each with its value, bound and excess: (F) since τ = 3/8 > 0, and
    // (S)+(C) exactly when no certificate under δ <= 0 reaches ε² = 0
    const failing = out.decision.failing.map((f: { condition: string }) => f.condition);
    expect(failing.includes('(S)+(C)')).toBe(out.decision.epsilon2_min_under_delta !== '0');
    expect(out.decision.failing).toContainEqual({
      condition: '(F)',
      quantity: 'tau',
      value: '3/8',
      bound: '0',
      by: '3/8',
    });
    expect(out.summary.decision.failing).toContainEqual({
      condition: '(F)',
      quantity: 'tau',
      value: '0.375',
      bound: '0',
      by: '0.375',
    });
    expect(r.status).toBe(1);
  });

  test('--epsilon 0 --delta 0 --tau 0 on exactly orthogonal data (L3 corollary): successful, exit 0', () => {
    const r = results.get('orthogonal')!;
    expect(r.stderr).toBe('');
    const out = JSON.parse(r.stdout);
    expect(out.decision).toEqual({ successful: true, epsilon2_min_under_delta: '0', failing: [] });
    expect(out.after.tau).toBe('0');
    expect(out.after.epsilon2).toBe('0');
    expect(out.retrained.distance2).toBe('0');
    expect(out.after.theta).toEqual(out.retrained.theta);
    expect(r.status).toBe(0);
  });
});

// ---- parseCase fuzz (in-process) ----

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const relu2Case: Json = {
  format: CASE_FORMAT,
  model: { kind: 'relu2', v: ['1', '-1'] },
  x: [
    ['1', '0'],
    ['0', '1'],
    ['1', '1'],
  ],
  y: [1, -1, 1],
  theta: [
    ['1', '0'],
    ['0', '1'],
  ],
  forget: [2],
  step: { beta: '1/2', loss: 'logistic' },
  gradient: 'clarke',
};

const wrongTypes: Json[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  '',
  'abc',
  '1/0',
  'NaN',
  '1e99999',
  [],
  [[]],
  ['1'],
  [1, -1],
  {},
  { kind: 'linear' },
];

type Mutation = { path: number[]; op: 'drop' | 'set' | 'add'; value: Json };

const arbMutation: fc.Arbitrary<Mutation> = fc.record({
  path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
  op: fc.constantFrom('drop' as const, 'set' as const, 'add' as const),
  value: fc.oneof(fc.constantFrom(...wrongTypes), fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>),
});

/** Apply a mutation at a path chosen by indices (modulo the number of children). */
function mutate(v: Json, m: Mutation, depth = 0): Json {
  const isObj = typeof v === 'object' && v !== null;
  if (!isObj) return depth === 0 ? m.value : v;
  const keys = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
  const last = depth === m.path.length - 1 || keys.length === 0;
  const copy: Json = Array.isArray(v) ? v.slice() : { ...v };
  if (last) {
    if (m.op === 'add' || keys.length === 0) {
      if (Array.isArray(copy)) copy.push(m.value);
      else (copy as Record<string, Json>)[`extra${m.path[depth]! % 3}`] = m.value;
      return copy;
    }
    const key = keys[m.path[depth]! % keys.length]!;
    if (m.op === 'drop') {
      if (Array.isArray(copy)) copy.splice(key as number, 1);
      else delete (copy as Record<string, Json>)[key as string];
    } else (copy as Record<string | number, Json>)[key] = m.value;
    return copy;
  }
  const key = keys[m.path[depth]! % keys.length]!;
  (copy as Record<string | number, Json>)[key] = mutate((v as Record<string | number, Json>)[key]!, m, depth + 1);
  return copy;
}

function parsesOrInputError(v: unknown): 'case' | 'input-error' {
  try {
    parseCase(v);
    return 'case';
  } catch (e) {
    if (e instanceof InputError) {
      expect(e.message).not.toContain('\n');
      return 'input-error';
    }
    throw e;
  }
}

describe('parseCase never fails except with InputError', () => {
  test('the unmutated cases parse', () => {
    expect(parsesOrInputError(valid)).toBe('case');
    expect(parsesOrInputError(relu2Case)).toBe('case');
    expect(parsesOrInputError(orthogonal)).toBe('case');
  });

  test.prop([fc.jsonValue()], { numRuns: RUNS })('random JSON values', (v) => {
    parsesOrInputError(v);
  });

  test.prop(
    [
      fc.dictionary(
        fc.constantFrom('model', 'x', 'y', 'theta', 'forget', 'step', 'gradient', 'other'),
        fc.jsonValue({ maxDepth: 3 }),
      ),
    ],
    { numRuns: RUNS },
  )('random objects with the right format tag and case keys', (o) => {
    parsesOrInputError({ ...o, format: CASE_FORMAT });
  });

  const outcomes = { case: 0, 'input-error': 0 };
  test.prop(
    [
      fc.constantFrom(valid as Json, relu2Case, orthogonal as Json),
      fc.array(arbMutation, { minLength: 1, maxLength: 3 }),
    ],
    { numRuns: RUNS },
  )('valid cases with keys dropped, values replaced, wrong types, extra keys', (base, muts) => {
    const v = muts.reduce((acc, m) => mutate(acc, m), base);
    outcomes[parsesOrInputError(v)]++;
  });
  test('mutations produced both parseable and rejected cases', () => {
    expect(outcomes.case).toBeGreaterThan(0);
    expect(outcomes['input-error']).toBeGreaterThan(0);
  });
});
