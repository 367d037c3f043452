// What REPORT.md and the figures say: every registry claim has a table row, the figures
// are embedded, the Boundaries section covers every claim with an assumption (from the
// registry) and its frontier cases replay as violations, a refuted claim shows its data as a matrix with the failing check (twin of
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
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonFile } from '../src/formats/jsonFile.ts';
import { parseCase } from '../src/formats/case.ts';
import { runCase } from '../src/unlearn/pipeline.ts';
import type { QuantityName } from '../src/claims/quantities.ts';
import { parseClaim } from '../src/study/explore/claimFile.ts';
import { claimQuantities, judge } from '../src/study/explore/evaluate.ts';
import { splitAssume } from '../src/study/boundary/axis.ts';
import { boundaryRows } from '../src/study/boundaries.ts';

const CLAIMS_DIR = 'fixtures/claims';
/** a reduced budget: the section's shape and its cases, not its frontiers */
const BOUNDARY_RUNS = 12;

const noop = () => {};

/** A claim that is false whenever the drawn data has a coordinate > 1: refuted for sure. */
const FALSE_CLAIM: ClaimSpec = {
  id: 'X1',
  statement: 'every entry is at most 1 (false on purpose)',
  assumption: 'none',
  sample(seed) {
    const data = smallInts({ n: 2, d: 2, seed, max: 3 });
    const top = data.x.flatMap((v) => v.toRationals()).reduce((a, b) => (b.gt(a) ? b : a));
    return {
      held: true,
      checks: [le('X1', 'max entry', top, Rational.ONE)],
      data: `smallInts(n=2,d=2,seed=${seed})`,
      point: {},
      dataset: data,
    };
  },
};

describe('validate report content', () => {
  test('table rows, embedded figures, and a refuted claim printed as a matrix', async () => {
    const results: ClaimResult[] = [...CLAIMS.map((c) => runClaim(c, 3, 1, noop)), runClaim(FALSE_CLAIM, 10, 1, noop)];
    const files = await reportFiles(results, [], [], figuresOf(results, 1, 3), 1, 3);
    const md = files.get('REPORT.md')!;
    for (const c of CLAIMS) expect(md).toMatch(new RegExp(`^\\| ${c.id} \\|`, 'm'));
    for (const svg of ['sweep-linear.svg', 'tau-delta-vs-phi.svg', 'ratios.svg']) {
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
    const files = await reportFiles(results, [], [], figuresOf(results, 2, 3), 2, 3);
    for (const svg of ['sweep-linear.svg', 'sweep-relu2.svg']) expect(files.get(svg)).toContain('κ = c_r / λ_r');
    expect(files.get('tau-delta-vs-phi.svg')).toContain('φ');
  }, 20_000);

  test('Boundaries: a row for every registry claim with an assumption and every claim file with assume; frontier cases replay as violations', async () => {
    // which claims have an assumption a boundary search moves: read from the registry's own words
    const moved = CLAIMS.filter((c) => /\bNO\b|κ = 1|stable/.test(`${c.assumption} ${c.statement}`));
    for (const c of moved)
      expect(c.boundaries, `${c.id} states an assumption but has no boundaries entry`).toBeDefined();
    const rows = boundaryRows(CLAIMS, CLAIMS_DIR, 1, BOUNDARY_RUNS);
    const results = CLAIMS.map((c) => runClaim(c, 1, 1, noop));
    const files = await reportFiles(results, [], rows, figuresOf(results, 1, 1), 1, 1);
    const md = files.get('REPORT.md')!;
    const section = md.slice(md.indexOf('## Boundaries'), md.indexOf('## Generalization'));
    const tableRows = section.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| claim '));
    const rowsOf = (source: string) => tableRows.filter((l) => l.startsWith(`| ${source} `));
    for (const c of CLAIMS.filter((c) => c.boundaries)) {
      const b = c.boundaries!;
      if ('why' in b) expect(rowsOf(c.id)).toHaveLength(1);
      else expect(rowsOf(c.id).map((l) => l.split(' | ')[2])).toEqual(b.axes.map((a) => a.axis));
    }
    const withAssume = readdirSync(CLAIMS_DIR).filter(
      (f) => f.endsWith('.json') && (readJsonFile(join(CLAIMS_DIR, f)) as { assume?: string[] }).assume?.length,
    );
    expect(withAssume.length).toBeGreaterThan(0);
    for (const f of withAssume) expect(rowsOf(f), f).toHaveLength(1);
    // every linked frontier case: a case@1 whose run violates the claim with the axis's clauses set aside, at the frontier
    let replayed = 0;
    for (const r of rows) {
      if (!r.files?.frontier) continue;
      expect(section).toContain(`](${r.files.frontier})`);
      const c = parseCase(JSON.parse(files.get(r.files.frontier)!));
      const claim = parseClaim(readJsonFile(r.file.includes('/') ? r.file : join(CLAIMS_DIR, r.file)));
      const q = claimQuantities(c, runCase(c));
      const kept = { ...claim, assume: splitAssume(claim, r.axis as QuantityName).kept };
      expect(judge(kept, q).kind, `${r.source} ${r.axis}`).toBe('fails');
      expect(q[r.axis as QuantityName]!.eq(r.report!.frontier!.value)).toBe(true);
      expect(JSON.parse(files.get(r.files.boundary)!).frontier.violation_min).toBe(
        r.report!.frontier!.value.toString(),
      );
      replayed++;
    }
    expect(replayed).toBeGreaterThan(3);
  }, 60_000);

  test('high-dimensional data is printed as its Gram matrix', () => {
    const text = matrixText(hadamardFlips({ n: 3, d: 16, flips: 0, seed: 1 }));
    expect(text.split('\n')).toHaveLength(4);
    expect(text).toContain('Gram matrix <x_i,x_k> (n = 3, d = 16)');
    expect(text).toMatch(/\| 16  0  0$/m); // exactly orthogonal rows
  });

  // exact bins (k/20, (k+1)/20]: a float division would put 1/10 into the third bin
  ftest.prop([fc.nat(60), fc.integer({ min: 1, max: 7 })], params(200))(
    'ratio q lands in the bin (lo, hi] that contains it',
    (num, den) => {
      const q = Rational.of(num, den * 10);
      const bins = ratioBins('c', [q]);
      const hit = bins.filter((b) => b.count === 1);
      expect(hit).toHaveLength(1);
      const k = Math.round(hit[0]!.lo * 20); // the bin (k/20, (k+1)/20], the last one open above
      const last = bins.length - 1;
      if (q.sign() > 0) expect(Rational.of(k, 20).lt(q)).toBe(true);
      if (k < last) expect(q.le(Rational.of(k + 1, 20))).toBe(true);
      else expect(k === 19 || q.gt(Rational.of(k, 20))).toBe(true);
    },
  );
});
