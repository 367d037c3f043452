// The guard catches classic GA bugs (fixtures/adapters/mutants): each mutant fails verify
// on fuzzed cases and fast-check shrinks the failure; the same code without the bug (the
// twin) passes. In-process subjects for the fuzzing, one real spawn for the protocol.
import { describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { commandSubject, functionSubject } from '../src/guard/subjects.ts';
import { type CaseReport } from '../src/guard/report.ts';
import { readCaseDir, verify } from '../src/guard/verify.ts';
import type { Family } from '../src/guard/fuzz.ts';
import { mutant } from '../fixtures/adapters/mutants/mutants.ts';
import { runs } from './support.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** n and d of a report's case (to check that shrinking did not grow it). */
const size = (r: CaseReport) => ({
  n: (r.caseJson.x as unknown[]).length,
  d: (r.caseJson.x as unknown[][])[0]!.length,
});

const CASES: { name: string; families?: Family[]; maxGaussD?: number; bug: string }[] = [
  { name: 'wrong-sign', bug: 'θ + c y x (descent instead of ascent)' },
  { name: 'kappa-half', bug: 'half the proper step (κ = 1/2)' },
  { name: 'wrong-index', bug: 'forgets point r + 1 instead of r' },
  { name: 'float32', families: ['linear/gauss'], maxGaussD: 128, bug: 'float32 arithmetic and accumulation' },
  { name: 'relu-grad-1', families: ['relu2/orthogonal'], bug: "σ'(0) = 1 at a kink of the forgotten point" },
  { name: 'ignores-clarke', families: ['relu2/kinked'], bug: 'gradient "clarke" treated as autodiff' },
];

describe('mutated implementations are caught and shrunk', () => {
  test('twin: the unmutated float GA passes on every family', async () => {
    const rep = await verify({ subject: functionSubject('correct', mutant('correct')), fuzz: runs(60), seed: 1 });
    expect(rep.failed.map((r) => `${r.name} ${r.status} ${r.message}`)).toEqual([]);
    const fams = new Set(rep.reports.map((r) => r.fuzz!.describe.split(' ')[0]));
    expect(fams.size).toBe(6);
  });

  test.each(CASES)('$name: $bug', async ({ name, families, maxGaussD }) => {
    const rep = await verify({
      subject: functionSubject(name, mutant(name)),
      fuzz: runs(100),
      seed: 1,
      shrinkMs: 3000,
      fuzzOptions: { families, maxGaussD },
    });
    expect(rep.failed.length).toBe(1);
    const bad = rep.failed[0]!;
    expect(bad.status).toBe('mismatch');
    const original = rep.reports.find((r) => r.name === bad.name.replace(/-shrunk$/, ''))!;
    expect(size(bad).n).toBeLessThanOrEqual(size(original).n);
    expect(size(bad).d).toBeLessThanOrEqual(size(original).d);
    console.log(
      `[stats] guard mutant ${name}: caught after ${rep.reports.filter((r) => !r.fuzz?.shrunk).length} case(s), ${bad.message}, shrunk to ${bad.fuzz!.describe}`,
    );
  });

  // The golden kinked cases (scripts/golden.ts: interior Clarke choice s = 3/5 at a forgotten
  // point, dyadic and rotated) catch these without any fuzzing; the twin passes them all.
  test.each(['ignores-clarke', 'relu-grad-1'])('%s is caught by the golden cases alone', async (name) => {
    const cases = readCaseDir(`${ROOT}fixtures/golden`);
    const rep = await verify({ subject: functionSubject(name, mutant(name)), cases });
    expect(rep.failed.map((r) => r.status)).toContain('mismatch');
    expect(rep.failed.every((r) => r.name.startsWith('relu2-kink-clarke'))).toBe(true);
    const twin = await verify({ subject: functionSubject('correct', mutant('correct')), cases });
    expect(twin.failed).toEqual([]);
  });

  test('the protocol: a mutant run as a process is caught on a golden case', async () => {
    const cases = readCaseDir(`${ROOT}fixtures/golden`).filter((c) => c.name === 'linear-half-step');
    const subject = commandSubject(`node --import tsx fixtures/adapters/mutants/run.ts wrong-sign`, {
      cwd: ROOT,
      timeoutMs: 30_000,
    });
    const rep = await verify({ subject, cases });
    expect(rep.failed.map((r) => r.status)).toEqual(['mismatch']);
    const good = await verify({
      subject: commandSubject(`node --import tsx fixtures/adapters/mutants/run.ts correct`, {
        cwd: ROOT,
        timeoutMs: 30_000,
      }),
      cases,
    });
    expect(good.failed).toEqual([]);
  });
});
