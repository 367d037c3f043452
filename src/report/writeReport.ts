// The report of `npm run validate`, rendered and written: REPORT.md for people, claims.json
// and plots.json for tools, and the SVG figures of plots.ts. It computes nothing: the claims'
// results, the claim files' rows and the figures' data come from study/. Same input →
// byte-identical files: no timestamps, fixed orders, every decimal a display of an exact value.
import type { TopLevelSpec } from 'vega-lite';
import { Rational } from '../exact/rational.ts';
import { jsonText } from '../formats/jsonFile.ts';
import { writeDirAtomic } from '../io/atomicWrite.ts';
import type { ClaimResult } from '../study/runClaim.ts';
import { type FixtureClaimRow, expectedVerdict } from '../study/claimFiles.ts';
import type { Figures } from '../study/figures/figures.ts';
import { generalizationSpec } from '../study/figures/generalizationFigure.ts';
import type { BoundaryRow } from '../study/boundaries.ts';
import { ratioBins, ratiosSvg, renderSvg, sweepRows, sweepSvg, tauDeltaRows, tauDeltaSvg } from './plots.ts';
import { boundaryFigure, boundarySvg } from './boundaryPlot.ts';
import { shown } from '../formats/decimals.ts';

// ---- REPORT.md ----

const esc = (s: string) => s.replace(/\|/g, '\\|');
const pct = (k: number, n: number) => (n === 0 ? '–' : `${((100 * k) / n).toFixed(0)}%`);

function table(results: readonly ClaimResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.id} | ${esc(r.statement)} | ${esc(r.assumption)} | **${r.verdict}** | ${r.runs} | ${pct(r.held, r.runs)} | ${r.worst === null ? '–' : `${r.worstRatio} (${esc(r.worst.check)})`} |`,
  );
  return [
    '| claim | statement | assumption | verdict | runs | assumption held | worst measured/bound |',
    '|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function fileTable(fixtures: readonly FixtureClaimRow[]): string {
  const rows = fixtures.map((f) => {
    const expected = expectedVerdict(f.file);
    const mark = f.verdict === expected ? expected : `${expected} — **unexpected**`;
    return `| ${esc(f.file)} | ${esc(f.name)} | **${f.verdict}** | ${mark} | ${f.evaluated} | ${pct(f.inAssume, f.evaluated)} |`;
  });
  return [
    '| claim file | claim | verdict | expected | samples | `assume` held |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

function sampleCounterexamples(results: readonly ClaimResult[]): string {
  const blocks = results.flatMap((r) =>
    r.counterexamples.map((c) =>
      [
        `### ${r.id}, sample seed ${c.seed}`,
        '',
        `Data: \`${c.data}\``,
        '',
        ...(c.matrix ? ['```', c.matrix, '```', ''] : []),
        'Failing checks (exact):',
        '',
        ...c.checks.map(
          (k) => `- ${k.claim} \`${k.quantity}\`: measured ${k.measured}, required ${k.relation} ${k.bound}`,
        ),
        '',
      ].join('\n'),
    ),
  );
  return blocks.length ? blocks.join('\n') : 'None: every sampled case inside its assumption satisfied its claim.\n';
}

function fileCounterexamples(fixtures: readonly FixtureClaimRow[]): string {
  const blocks = fixtures
    .filter((f) => f.verdict === 'refuted' || f.verdict === 'error')
    .map((f) =>
      [
        `### ${f.file}${f.verdict === expectedVerdict(f.file) ? '' : ' (unexpected)'}`,
        '',
        ...(f.counterexample
          ? [
              '```',
              f.counterexample.matrix,
              '```',
              '',
              `Replayable case: [${f.counterexample.file}](${f.counterexample.file}).`,
              '',
            ]
          : []),
        '```',
        f.summary,
        '```',
        '',
      ].join('\n'),
    );
  return blocks.length ? blocks.join('\n') : 'None.\n';
}

// ---- Boundaries ----

const code = (t: string) => (t ? `\`${esc(t)}\`` : '–');

function boundaryTable(rows: readonly BoundaryRow[]): string {
  const lines = rows.map((b) => {
    const r = b.report;
    if (!r) return `| ${esc(b.source)} | ${esc(b.stated)} | – | ${esc(b.summary)} | – | – | – |`;
    const f = r.frontier;
    const t = r.threshold;
    const frontier = f ? `**${f.value}** (${shown(f.value)})` : `none in [${r.axis.lo}, ${r.axis.hi}]`;
    const x = f?.case.data.x;
    const ce = f ? `[n = ${x!.length}, d = ${x![0]!.dim}](${b.files!.frontier})` : '–';
    const ratio = f && t && !t.value.isZero() ? `${f.value.div(t.value)} (${shown(f.value.div(t.value))})` : '–';
    const claim = !b.file.includes('/')
      ? esc(b.source)
      : `${esc(b.source)} ([${esc(b.file.replace(/^.*\//, ''))}](../${b.file}))`;
    return `| ${claim} | ${code(b.stated)} | ${b.axis} | ${frontier} | ${ce} | ${ratio} | ${r.counts.counted} of ${r.counts.evaluated} |`;
  });
  return [
    '| claim | stated assumption | axis | empirical frontier | minimal counterexample | frontier / stated threshold | samples (in range of evaluated) |',
    '|---|---|---|---|---|---|---|',
    ...lines,
  ].join('\n');
}

function boundarySection(rows: readonly BoundaryRow[]): string {
  const figures = rows
    .filter((b) => b.report)
    .map((b) =>
      [
        `### ${esc(b.source)}: ${b.axis}`,
        '',
        '```',
        b.summary,
        '```',
        '',
        `![${b.source} along ${b.axis}](${b.files!.svg})`,
        '',
      ].join('\n'),
    );
  return [
    `Where each claim stops holding: \`unlearn-kkt boundary\` (docs/claims.md) on the claim's file, the assumption clause on the axis set aside, samples steered across the axis range, a climb that lowers the least violating axis value, and a shrink of that case. The **empirical frontier** is the least axis value at which a violation was found: an upper bound on the true frontier (a longer search can only lower it), and the linked case (case@1, \`unlearn-kkt certify\` replays it) proves that a violation exists there. "none" means no sample in range violated. frontier / stated threshold near 1: the assumption is tight for this search; above 1: the claim held past it. Each search's boundary@1 file is next to its case in boundaries/.`,
    '',
    boundaryTable(rows),
    '',
    'Each figure: left, the violation rate per bin of the axis; right, the phase diagram, the axis against n coloured by verdict (green: holds inside the stated assumption; blue: holds outside it, where only the assumption fails; red: violated). Dashed lines: the stated threshold and the frontier.',
    '',
    ...figures,
  ].join('\n');
}

const howToRead = (
  runs: number,
) => `Each claim of THEORY.md (L1..L5, ...) is sampled ${runs} times from the seed. A sample
draws data; if the data satisfy the claim's assumption (column "assumption held"), the
pipeline runs and every inequality of the claim is checked in exact rational arithmetic.
**holds**: no sampled check failed; **refuted**: at least one failed (see Counterexamples,
which print the data and the failing check exactly; \`CLAIMS.find(c => c.id === ID).sample(SEED)\`
replays one); **vacuous**: no sample satisfied the assumption, so nothing was tested.
"worst measured/bound" is the largest ratio over the claim's "≤" checks: 1 means some
sample attains the bound, values near 0 mean it holds with room. The figures show the same
exact numbers as decimals (6 significant digits, for reading only); the exact values are in
plots.json and claims.json. The Boundaries section runs claims outside their assumptions on
purpose, to show where they stop holding. Claim files (fixtures/claims/*.json) are searched by
\`explore\` with the same seed and budget; their rows count the samples that satisfied \`assume\`.`;

function markdown(
  results: readonly ClaimResult[],
  fixtures: readonly FixtureClaimRow[],
  boundaries: readonly BoundaryRow[],
  fig: Figures,
  seed: number,
  runs: number,
): string {
  const sweepRelu2 = fig.sweepRelu2.points.length
    ? `Two-layer network (T2, the paper's figure): ${fig.sweepRelu2.about.join(' ')} With activation flips or a kink on x_r, ε need not vanish at κ = 1 (T2(b), T2(d)); a jump just after κ = 0 means kink pairs (<w_j,x_i> = 0) left the kink, so their Clarke choice is no longer free.\n\n![step-size figure, relu2](sweep-relu2.svg)`
    : `_relu2 sweep not drawn: ${fig.sweepRelu2.about.join(' ')}_`;
  return [
    '# unlearn-kkt validation report',
    '',
    `Seed ${seed}, ${runs} samples per claim (\`npm run validate -- --seed ${seed} --runs ${runs}\` reproduces every file byte for byte).`,
    '',
    '## How to read this',
    '',
    howToRead(runs),
    '',
    '## Claims',
    '',
    table(results),
    '',
    ...(fixtures.length
      ? [
          '## Claim files',
          '',
          'Each file in fixtures/claims searched by `explore` (same seed, same budget of samples; a search stops at its first counterexample). Files named `refuted.*` break a bound on purpose, to show it is live: for them **refuted** is the expected verdict.',
          '',
          fileTable(fixtures),
          '',
        ]
      : []),
    '## Figures',
    '',
    '### Step-size sweep (THEORY.md section 4)',
    '',
    `ε of the unlearned model w.r.t. the retained points against κ = c_r/λ_r. Inherited certificate: exactly |1-κ| λ_r ||x_r|| (L2(a)); optimal certificate: a V with its minimum 0 at κ = 1. Data: ${fig.sweepLinear.about.join(' ')}`,
    '',
    '![step-size figure](sweep-linear.svg)',
    '',
    sweepRelu2,
    '',
    '### L2(d): τ and δ against φ',
    '',
    `${fig.tauDelta.length} L2 samples inside NO at κ = 1, each scaled by its bound's denominator so that L2(d) is the line y = φ. δ = max_i λ_i (q_i - 1) with the inherited λ_R is negative when every retained margin dropped below 1.`,
    '',
    '![tau and delta against phi](tau-delta-vs-phi.svg)',
    '',
    '### measured/bound per claim',
    '',
    '![ratio histogram](ratios.svg)',
    '',
    '## Boundaries',
    '',
    boundarySection(boundaries),
    '## Generalization (THEORY.md section 6, G1)',
    '',
    fig.generalization.markdown,
    '',
    '![test errors](generalization.svg)',
    '',
    '## Counterexamples',
    '',
    sampleCounterexamples(results),
    ...(fixtures.length ? ['## Counterexamples from claim files', '', fileCounterexamples(fixtures)] : []),
  ].join('\n');
}

const exact = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, v instanceof Rational ? String(v) : v]));

/** The files of a report, by name (written by writeReport; compared by the determinism test). */
export async function reportFiles(
  results: readonly ClaimResult[],
  fixtures: readonly FixtureClaimRow[],
  boundaries: readonly BoundaryRow[],
  fig: Figures,
  seed: number,
  runs: number,
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const bins = results.flatMap((r) => ratioBins(r.id, r.ratios));
  files.set('REPORT.md', markdown(results, fixtures, boundaries, fig, seed, runs));
  files.set(
    'claims.json',
    jsonText({
      seed,
      runs,
      results: results.map(({ ratios, samples, ...r }) => ({
        ...r,
        ratioBins: bins.filter((b) => b.claim === r.id).map(({ claim, ...b }) => b),
      })),
      claimFiles: fixtures.map(({ counterexample, ...f }) => ({
        ...f,
        expected: expectedVerdict(f.file),
        counterexample: counterexample?.file ?? null,
      })),
    }),
  );
  files.set(
    'plots.json',
    jsonText({
      seed,
      'sweep-linear': {
        data: fig.sweepLinear.about.join(' '),
        exact: fig.sweepLinear.points.map(exact),
        shown: sweepRows(fig.sweepLinear.points),
      },
      'sweep-relu2': {
        data: fig.sweepRelu2.about.join(' '),
        exact: fig.sweepRelu2.points.map(exact),
        shown: sweepRows(fig.sweepRelu2.points),
      },
      'tau-delta-vs-phi': { exact: fig.tauDelta.map(exact), shown: tauDeltaRows(fig.tauDelta) },
      ratios: bins,
      generalization: fig.generalization.plotData,
    }),
  );
  files.set('sweep-linear.svg', await sweepSvg('linear', fig.sweepLinear.points, fig.sweepLinear.about));
  for (const f of fixtures) if (f.counterexample) files.set(f.counterexample.file, f.counterexample.json);
  if (fig.sweepRelu2.points.length)
    files.set('sweep-relu2.svg', await sweepSvg('relu2', fig.sweepRelu2.points, fig.sweepRelu2.about));
  files.set('tau-delta-vs-phi.svg', await tauDeltaSvg(fig.tauDelta));
  files.set(
    'ratios.svg',
    await ratiosSvg(
      bins,
      results.map((r) => r.id),
    ),
  );
  for (const b of boundaries) {
    if (!b.report || !b.files) continue;
    files.set(b.files.boundary, b.files.json);
    if (b.files.frontier) files.set(b.files.frontier, b.files.frontierJson!);
    files.set(
      b.files.svg,
      await boundarySvg(boundaryFigure(b.report, `${b.source}: violations along ${b.axis}`, b.report.claim.name)),
    );
  }
  files.set(
    'generalization.svg',
    await renderSvg(generalizationSpec(fig.generalization.plotData) as unknown as TopLevelSpec),
  );
  return files;
}

export async function writeReport(
  outDir: string,
  results: readonly ClaimResult[],
  fixtures: readonly FixtureClaimRow[],
  boundaries: readonly BoundaryRow[],
  fig: Figures,
  seed: number,
  runs: number,
): Promise<string[]> {
  const files = await reportFiles(results, fixtures, boundaries, fig, seed, runs);
  // All at once (io/atomicWrite.ts): a crash leaves the old report whole. counterexamples/
  // holds only this run's files: a stale one would contradict REPORT.md.
  const mine = new Set([...files.keys()].map((f) => f.split('/')[0]!).concat('counterexamples', 'boundaries'));
  writeDirAtomic(outDir, files, (entry) => mine.has(entry));
  return [...files.keys()];
}
