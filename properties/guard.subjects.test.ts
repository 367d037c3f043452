// Real implementations under verify: the float64 TypeScript subject (src/float, in-process
// for the fuzzing, spawned for the protocol), the NumPy and PyTorch adapters
// (fixtures/adapters, run only where python3 can import them; a visible skip otherwise).
// Every one agrees with the exact reference on the golden cases and on fuzzed ones.
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { Rational } from '../src/exact/rational.ts';
import { gaFromCase } from '../src/float/gaFloat.ts';
import { type Subject, type SubjectRun, commandSubject, functionSubject } from '../src/guard/subjects.ts';
import { readCaseDir, verify, type VerifyReport } from '../src/guard/verify.ts';
import { pythonWith, runs } from './support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const golden = readCaseDir(`${ROOT}fixtures/golden`);
const pick = (...names: string[]) => golden.filter((c) => names.includes(c.name));

/** Runs the subject once per case text (torch starts slowly; one output is judged twice). */
function once(s: Subject): Subject {
  const memo = new Map<string, Promise<SubjectRun>>();
  return { name: s.name, run: (text) => memo.get(text) ?? (memo.set(text, s.run(text)), memo.get(text)!) };
}

const failures = (r: VerifyReport) => r.failed.map((f) => `${f.name} ${f.status}: ${f.message}`);
const maxRel = (r: VerifyReport) =>
  Math.max(...r.reports.map((x) => Math.sqrt(x.comparison?.relError2.toNumber() ?? NaN)));

describe('the float64 TypeScript subject (src/float)', () => {
  test('in-process: golden cases and fuzzed cases of both models', async () => {
    const rep = await verify({
      subject: functionSubject('gaFromCase', gaFromCase),
      cases: golden,
      fuzz: runs(60),
      seed: 7,
    });
    expect(failures(rep)).toEqual([]);
    const snapped = rep.reports.filter((r) => r.comparison?.snapped).length;
    const relu2 = rep.reports.filter((r) => r.shape.startsWith('relu2')).length;
    console.log(
      `[stats] float subject: ${rep.reports.length} cases (${relu2} relu2), max rel. error ${maxRel(rep).toExponential(2)}, ${snapped} judged after snapping float pre-activations onto exact kinks`,
    );
  });

  test('twin: the same subject fails at rtol 0 (floats are not exact)', async () => {
    const rep = await verify({
      subject: functionSubject('gaFromCase', gaFromCase),
      cases: pick('linear-half-step', 'linear-fractions'),
      rtol: Rational.ZERO,
    });
    expect(rep.failed.map((f) => f.status)).toContain('mismatch');
  });

  test('spawned: node --import tsx src/float/subject.ts', async () => {
    const subject = commandSubject('node --import tsx src/float/subject.ts', { cwd: ROOT, timeoutMs: 30_000 });
    const rep = await verify({ subject, cases: pick('linear-ints', 'relu2-two-positive') });
    expect(failures(rep)).toEqual([]);
  });
});

const numpy = pythonWith('numpy');
describe.skipIf(!numpy)('fixtures/adapters/numpy_ga.py (NumPy float64)', () => {
  test('golden and fuzzed cases', async () => {
    const subject = commandSubject(`${numpy} fixtures/adapters/numpy_ga.py`, { cwd: ROOT, timeoutMs: 30_000 });
    const rep = await verify({
      subject,
      cases: pick('linear-theta-scaled', 'linear-support-drops', 'relu2-clarke'),
      fuzz: runs(3),
      seed: 5,
    });
    expect(failures(rep)).toEqual([]);
    console.log(`[stats] numpy subject: ${rep.reports.length} cases, max rel. error ${maxRel(rep).toExponential(2)}`);
  });
});

const torch = pythonWith('torch');
describe.skipIf(!torch)('fixtures/adapters/torch_ga.py (PyTorch autodiff)', () => {
  const cases = pick('relu2-shifted');
  test('float64 agrees at the default rtol', async () => {
    const rep = await verify({
      subject: commandSubject(`${torch} fixtures/adapters/torch_ga.py --dtype float64`, {
        cwd: ROOT,
        timeoutMs: 60_000,
      }),
      cases,
    });
    expect(failures(rep)).toEqual([]);
  });

  test('float32 agrees at rtol 1e-5 and not at the default 1e-9', async () => {
    const subject = once(
      commandSubject(`${torch} fixtures/adapters/torch_ga.py --dtype float32`, { cwd: ROOT, timeoutMs: 60_000 }),
    );
    const one = pick('linear-half-step');
    const loose = await verify({ subject, cases: one, rtol: Rational.parse('1e-5') });
    expect(failures(loose)).toEqual([]);
    const strict = await verify({ subject, cases: one });
    expect(strict.failed.map((f) => f.status)).toEqual(['mismatch']);
    console.log(`[stats] torch float32: rel. error ${maxRel(loose).toExponential(2)} on linear-half-step`);
  });
});
