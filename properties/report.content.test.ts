// What REPORT.md and the figures say: every registry claim has a table row, the figures
// are embedded, a refuted claim shows its data as a matrix with the failing check (twin of
// the "holds" rows: the report can say "refuted"), ratios are binned exactly, and the
// SVGs carry the THEORY.md symbols on their axes.
import { describe, expect, test } from 'vitest';
import { test as ftest, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { le } from '../src/claims/check.ts';
import { CLAIMS, type ClaimSpec } from '../src/study/registry/index.ts';
import { hadamardFlips, smallInts } from '../src/data/generators.ts';
import { type ClaimResult, runClaim } from '../src/study/runClaim.ts';
import { figuresOf } from '../src/study/figures/figures.ts';
import { matrixText } from '../src/formats/matrixText.ts';
import { reportFiles } from '../src/report/writeReport.ts';
import { ratioBins } from '../src/report/plots.ts';
import { params } from './support.ts';

const noop = () => {};

/** A claim that is false whenever the drawn data has a coordinate > 1: refuted for sure. */
const FALSE_CLAIM: ClaimSpec = {
  id: 'X1',
  statement: 'every entry is at most 1 (false on purpose)',
  assumption: 'none',
  sample(seed) {
    const data = smallInts({ n: 2, d: 2, seed, max: 3 });
    const top = data.x.flatMap((v) => v.toRationals()).reduce((a, b) => (b.gt(a) ? b : a));
    return { held: true, checks: [le('X1', 'max entry', top, Rational.ONE)], data: `smallInts(n=2,d=2,seed=${seed})`, point: {}, dataset: data };
  },
};

describe('validate report content', () => {
  test('table rows, embedded figures, and a refuted claim printed as a matrix', async () => {
    const results: ClaimResult[] = [...CLAIMS.map((c) => runClaim(c, 3, 1, noop)), runClaim(FALSE_CLAIM, 10, 1, noop)];
    const files = await reportFiles(results, [], figuresOf(results, 1, 3), 1, 3);
    const md = files.get('REPORT.md')!;
    for (const c of CLAIMS) expect(md).toMatch(new RegExp(`^\\| ${c.id} \\|`, 'm'));
    for (const svg of ['sweep-linear.svg', 'tau-delta-vs-phi.svg', 'ratios.svg', 'boundary.svg']) {
      expect(md).toContain(`](${svg})`);
      expect(files.get(svg)).toMatch(/^<svg /);
    }
    const x1 = results.at(-1)!;
    expect(x1.verdict).toBe('refuted');
    expect(md).toMatch(/^\| X1 \|.*\*\*refuted\*\*/m);
    expect(md).toContain(`### X1, sample seed ${x1.counterexamples[0]!.seed}`);
    expect(md).toContain('y  | x (n = 2, d = 2)');
    expect(md).toMatch(/- X1 `max entry`: measured [23], required <= 1/);
    const claims = JSON.parse(files.get('claims.json')!);
    expect(claims.results.map((r: { id: string }) => r.id)).toEqual(results.map((r) => r.id));
  }, 20_000);

  test('figures use the theory symbols', async () => {
    const results = CLAIMS.map((c) => runClaim(c, 3, 2, noop));
    const files = await reportFiles(results, [], figuresOf(results, 2, 3), 2, 3);
    for (const svg of ['sweep-linear.svg', 'sweep-relu2.svg']) expect(files.get(svg)).toContain('κ = c_r / λ_r');
    expect(files.get('tau-delta-vs-phi.svg')).toContain('φ');
    expect(files.get('boundary.svg')).toContain('ρ = (n-1)φ / R2min');
  }, 20_000);

  test('high-dimensional data is printed as its Gram matrix', () => {
    const text = matrixText(hadamardFlips({ n: 3, d: 16, flips: 0, seed: 1 }));
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toContain('Gram matrix <x_i,x_k> (n = 3, d = 16)');
    expect(text).toMatch(/\| 16  0  0$/m); // exactly orthogonal rows
  });

  // exact bins (k/20, (k+1)/20]: a float division would put 1/10 into the third bin
  ftest.prop([fc.nat(60), fc.integer({ min: 1, max: 7 })], params(200))('ratio q lands in the bin (lo, hi] that contains it', (num, den) => {
    const q = Rational.of(num, den * 10);
    const bins = ratioBins('c', [q]);
    const hit = bins.filter((b) => b.count === 1);
    expect(hit).toHaveLength(1);
    const k = Math.round(hit[0]!.lo * 20); // the bin (k/20, (k+1)/20], the last one open above
    const last = bins.length - 1;
    if (q.sign() > 0) expect(Rational.of(k, 20).lt(q)).toBe(true);
    if (k < last) expect(q.le(Rational.of(k + 1, 20))).toBe(true);
    else expect(k === 19 || q.gt(Rational.of(k, 20))).toBe(true);
  });
});
