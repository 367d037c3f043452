// The boundary explorer (src/study/boundary/, docs/claims.md) against frontiers known
// analytically (THEORY.md section 9), on claims that are not in the repository:
//   - L1 at n = 2: a support vector drops out iff rho >= 1, so the explorer's frontier is 1
//     exactly and no sample below it violates;
//   - the family of n - 1 points with pairwise signed inner products -phi and +phi to the
//     last, phi = 1/(2n - 3) of the squared norm: the last point drops out at
//     rho = (n - 1)/(2n - 3), an upper bound on the frontier; at n = 3 the explorer reaches 2/3
//     (and so the n = 2 frontier 1 is not a law for every n: the twin of the first test).
// Frontier cases are re-checked independently (maxMargin's lambda, geometry's rho), the
// boundary@1 file against its schema, and the CLI's exit codes.
import { describe, expect, test } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rational } from '../src/exact/rational.ts';
import { type Dataset, type Label, makeDataset } from '../src/data/dataset.ts';
import { geometry } from '../src/data/geometry.ts';
import { maxMargin } from '../src/kkt/maxMargin.ts';
import { contextOf, runCase } from '../src/unlearn/pipeline.ts';
import { readJsonFile } from '../src/formats/jsonFile.ts';
import { checkSchema } from '../src/formats/schema.ts';
import { parseClaim } from '../src/study/explore/claimFile.ts';
import { boundary } from '../src/study/boundary/boundary.ts';
import { makeAxis, searchClaim, splitAssume } from '../src/study/boundary/axis.ts';
import { Evaluator } from '../src/study/boundary/point.ts';
import { boundaryJson, boundarySummary } from '../src/study/boundary/output.ts';

const R = (n: number, d = 1) => Rational.of(n, d);

/** L1's support conclusion for the forgotten point (drawn uniformly, so every point is tried). */
function l1Claim(data: Record<string, unknown>) {
  return parseClaim({
    format: 'unlearn-kkt/claim@1',
    name: 'L1 support',
    model: 'linear',
    data: { generator: 'smallInts', ...data },
    assume: ['rho < 1/2'],
    conclude: ['lambda_r > 0'],
  });
}

/** Independently of the claim machinery: is some lambda_i of the max-margin solution 0, and rho. */
function dropsOut(data: Dataset): { dropped: boolean; rho: Rational } {
  const ctx = contextOf({ kind: 'linear' }, data);
  const mm = maxMargin(
    ctx,
    data.x.map((_, i) => i),
  );
  return { dropped: mm.lambda.some((l) => l.isZero()), rho: geometry(data).rho };
}

/**
 * THEORY.md section 9's family in integers: squared norms 2n - 3, inner products -1 among the
 * first n - 1 points and +1 with the last (a shared coordinate per pair, then private ones to
 * fill the norm); all labels +1, so signed and plain inner products agree.
 */
function family(n: number): Dataset {
  const pairs: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let k = i + 1; k < n; k++) pairs.push([i, k]);
  const d = pairs.length + n * (n - 2);
  const x = Array.from({ length: n }, () => Array.from({ length: d }, () => Rational.ZERO));
  pairs.forEach(([i, k], c) => {
    x[i]![c] = Rational.ONE;
    x[k]![c] = k === n - 1 ? Rational.ONE : Rational.ONE.neg();
  });
  for (let i = 0; i < n; i++) for (let t = 0; t < n - 2; t++) x[i]![pairs.length + i * (n - 2) + t] = Rational.ONE;
  return makeDataset(
    x,
    x.map(() => 1 as Label),
  );
}

describe('boundary: L1 at n = 2 (a support vector drops out iff rho >= 1)', () => {
  const claim = l1Claim({ n: [2, 2], d: [1, 3] });
  const report = boundary(claim, { axis: 'rho', range: { lo: R(0), hi: R(2) }, runs: 200, seed: 0 });

  test('the frontier is 1 exactly, and no sample below it violates', () => {
    console.log(`[stats] boundary L1 n=2: ${boundarySummary(report)}`);
    expect(report.frontier?.value.toString()).toBe('1');
    for (const p of report.points) if (p.violates) expect(p.value.ge(R(1))).toBe(true);
    expect(report.points.some((p) => p.value.lt(R(1)))).toBe(true); // below the frontier was sampled
    expect(report.holdsBelow.samples).toBe(report.points.filter((p) => p.value.lt(R(1))).length);
  });

  test('the frontier case is a real violation, checked independently', () => {
    const c = report.frontier!.case;
    const { dropped, rho } = dropsOut(c.data);
    expect(dropped).toBe(true);
    expect(rho.toString()).toBe('1');
    const ctx = contextOf({ kind: 'linear' }, c.data);
    expect(
      maxMargin(
        ctx,
        c.data.x.map((_, i) => i),
      ).lambda[c.forget[0]!]!.isZero(),
    ).toBe(true);
  });

  test('the set-aside clause and the bins are as stated; the file matches schemas/boundary@1', () => {
    expect(report.setAside.map((s) => s.text)).toEqual(['rho < 1/2']);
    expect(report.threshold?.value.toString()).toBe('1/2');
    const json = boundaryJson(report, 'l1.json') as {
      bins: { samples: number; violations: number }[];
      frontier: { case: unknown };
    };
    checkSchema('boundary@1', json);
    checkSchema('case@1', json.frontier.case);
    expect(json.bins.reduce((s, b) => s + b.samples, 0)).toBe(report.counts.counted);
    // the same seed, the same file
    const again = boundary(claim, { axis: 'rho', range: { lo: R(0), hi: R(2) }, runs: 200, seed: 0 });
    expect(JSON.stringify(boundaryJson(again, 'l1.json'))).toBe(JSON.stringify(json));
  });
});

describe('boundary: T3 along kappa (fixtures/boundaries/T3.distance.json)', () => {
  test('samples at kappa = 1 hold; the frontier case misses T3 only by its kappa, checked by runCase at kappa = 1', () => {
    const claim = parseClaim(readJsonFile('fixtures/boundaries/T3.distance.json'));
    const report = boundary(claim, { axis: 'kappa', range: { lo: R(1), hi: R(2) }, runs: 30, seed: 1 });
    console.log(`[stats] boundary T3 kappa: ${boundarySummary(report)}`);
    const atOne = report.points.filter((p) => p.value.eq(R(1)));
    expect(atOne.length).toBeGreaterThan(0);
    for (const p of atOne) expect(p.violates).toBe(false);
    const f = report.frontier!;
    expect(f.value.gt(R(1))).toBe(true);
    // independently of the claim machinery: the same θ and data at κ = 1 retrain to
    // distance² dist2_t3 (T3 holds there), at the frontier's κ to another distance
    const c = f.case;
    expect(c.step.kind === 'kappa' && c.step.kappa.eq(f.value)).toBe(true);
    const at = (kappa: Rational) => runCase({ ...c, step: { kind: 'kappa', kappa } }).retrained!.closeness.distance2;
    const t3 = f.quantities.dist2_t3!;
    expect(at(R(1)).eq(t3)).toBe(true);
    expect(at(f.value).eq(t3)).toBe(false);
    expect(at(f.value).eq(f.quantities.dist2_retrain!)).toBe(true);
  }, 20_000);
});

describe('boundary: the (n - 1)/(2n - 3) family (an upper bound on the frontier)', () => {
  const claim = l1Claim({ n: [2, 6], d: [1, 6] });

  test.each([3, 4, 5])(
    'n = %i: the family violates at rho = (n - 1)/(2n - 3) through the explorer, and independently',
    (n) => {
      const data = family(n);
      const expected = R(n - 1, 2 * n - 3);
      const { dropped, rho } = dropsOut(data);
      expect(rho.eq(expected)).toBe(true);
      expect(dropped).toBe(true);
      // the explorer's own evaluation (the search claim with NO set aside), forgetting the last point
      const axis = makeAxis('rho', R(0), R(2));
      const ev = new Evaluator(searchClaim(claim, axis, splitAssume(claim, 'rho').kept), axis, 0);
      const p = ev.explicit(
        { x: data.x.map((v) => v.toRationals()), y: [...data.y], r: n - 1, step: Rational.ONE, seed: 0 },
        'family',
      );
      expect(p.outcome.kind).toBe('fails');
      expect(p.value!.eq(expected)).toBe(true);
      // and at rho = 0 the same evaluation holds: the verdict is not constant
      const inside = ev.explicit(
        {
          x: [
            [R(1), R(0)],
            [R(0), R(1)],
          ],
          y: [1, 1],
          r: 1,
          step: Rational.ONE,
          seed: 0,
        },
        'orthogonal',
      );
      expect(inside.outcome.kind).not.toBe('fails');
    },
  );

  test('n = 3, entries in {-1, 0, 1}: the explorer reaches 2/3, below the n = 2 frontier', () => {
    const report = boundary(l1Claim({ n: [3, 3], d: [3, 3], max: 1 }), {
      axis: 'rho',
      range: { lo: R(0), hi: R(2) },
      runs: 300,
      seed: 1,
    });
    console.log(`[stats] boundary L1 n=3: ${boundarySummary(report)}`);
    const f = report.frontier!;
    expect(f.value.toString()).toBe('2/3'); // THEORY.md section 9: the family's value, reached by small integer data
    expect(dropsOut(f.case.data)).toEqual({ dropped: true, rho: R(2, 3) });
  });
});

describe('unlearn-kkt boundary: bad input', () => {
  const claim = l1Claim({ n: [2, 2], d: [1, 2] });
  test.each([
    [{ axis: 'rhoo' }, /--axis "rhoo" is not a claim-file quantity/],
    [{ axis: 'phi' }, /no assume clause "phi < c" states a threshold/],
    [{ axis: 'kappa', range: { lo: R(-1), hi: R(1) } }, /kappa must start at 0/],
    [{ axis: 'n', range: { lo: R(0), hi: R(1) } }, /holds no n >= 2/],
  ])('%o is an input error', (opts, message) => {
    expect(() => boundary(claim, { runs: 10, seed: 0, ...opts })).toThrow(message);
  });
});

/** Spawn the CLI asynchronously, so the start-ups overlap. */
function runCli(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const bin = fileURLToPath(new URL('../bin/unlearn-kkt.mjs', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, 'boundary', ...args], { env: { ...process.env, NODE_OPTIONS: '' } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('unlearn-kkt boundary (CLI)', () => {
  test('exit 1 with a frontier, 0 without, 2 on bad input; writes JSON and SVG; --help', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'boundary-'));
    try {
      const file = join(dir, 'l1.json');
      writeFileSync(
        file,
        JSON.stringify({
          format: 'unlearn-kkt/claim@1',
          name: 'L1 n=2',
          model: 'linear',
          data: { generator: 'smallInts', n: [2, 2], d: [1, 2] },
          assume: ['rho < 1/2'],
          conclude: ['lambda_r > 0'],
        }),
      );
      const [hit, none, bad, help] = await Promise.all([
        runCli([file, '--axis', 'rho', '--runs', '120', '--out', dir]),
        runCli([file, '--axis', 'rho', '--range', '0:9/10', '--runs', '60', '--out', join(dir, 'none')]),
        runCli([file, '--axis', 'rho', '--range', '2:1', '--out', dir]),
        runCli(['--help']),
      ]);
      expect(hit.stderr).toBe('');
      expect(hit.status).toBe(1);
      expect(hit.stdout).toMatch(
        /^rho: 0 of \d+ samples below 1 violate; first violation at rho = 1 \(n = 2, d = \d\)\n$/,
      );
      checkSchema('boundary@1', JSON.parse(readFileSync(join(dir, 'l1.boundary.json'), 'utf8')));
      expect(readFileSync(join(dir, 'l1.boundary.svg'), 'utf8')).toMatch(/^<svg/);
      expect(none.status).toBe(0);
      expect(none.stdout).toMatch(/^rho: none of \d+ samples in \[0, 9\/10\] violates/);
      expect(bad.status).toBe(2);
      expect(bad.stdout).toBe('');
      expect(bad.stderr).toBe('unlearn-kkt: --range 2:1: LO exceeds HI\n');
      expect(help.status).toBe(0);
      expect(help.stdout).toMatch(/^usage: unlearn-kkt boundary/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
