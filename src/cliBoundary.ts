// unlearn-kkt boundary CLAIM.json --axis NAME (docs/claims.md "boundary"): writes
// DIR/<claim>.boundary.json (boundary@1) and .boundary.svg, prints one line.
// Exit 1 when a violation exists in range (the frontier), 0 when none, 2 on bad input.
import { basename, join } from 'node:path';
import { InputError } from './errors.ts';
import { args, intOption } from './formats/options.ts';
import { readJsonFile } from './formats/jsonFile.ts';
import { checkOutDir, ensureDir, writeFileAtomic } from './io/atomicWrite.ts';
import { progressLine } from './io/progress.ts';
import { parseClaim } from './study/explore/claimFile.ts';
import { parseRange } from './study/boundary/axis.ts';
import { boundary } from './study/boundary/boundary.ts';
import { boundaryJson, boundarySummary } from './study/boundary/output.ts';

/** Most samples one boundary search draws (--runs), as explore and validate. */
const MAX_RUNS = 100_000;

export async function boundaryCommand(argv: string[]): Promise<number> {
  const { values, positionals } = args(argv, {
    axis: { type: 'string' },
    range: { type: 'string' },
    runs: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string' },
  });
  if (positionals.length !== 1) throw new InputError('boundary takes exactly one CLAIM.json');
  if (values.axis === undefined) throw new InputError('boundary needs --axis NAME (e.g. --axis rho)');
  const runs = intOption(values.runs, 'runs', 800, 1, MAX_RUNS);
  const seed = intOption(values.seed, 'seed', 0, Number.MIN_SAFE_INTEGER);
  const range = values.range === undefined ? undefined : parseRange(String(values.range));
  const file = positionals[0]!;
  const dir = String(values.out ?? '.');
  checkOutDir(dir);
  const claim = parseClaim(readJsonFile(file));
  const bar = progressLine('boundary');
  const report = boundary(claim, {
    axis: String(values.axis),
    range,
    runs,
    seed,
    progress: (line) => bar.show(() => line),
  });
  bar.done();
  const stem = basename(file).replace(/\.json$/i, '');
  const json = JSON.stringify(boundaryJson(report, basename(file)), null, 2) + '\n';
  const { boundaryFigure, boundarySvg } = await import('./report/boundaryPlot.ts'); // vega loads only when there is a figure to draw
  const svg = await boundarySvg(
    boundaryFigure(report, `${basename(file)}: violations along ${report.axis.name}`, claim.name),
  );
  ensureDir(dir, '--out');
  writeFileAtomic(join(dir, `${stem}.boundary.json`), json);
  writeFileAtomic(join(dir, `${stem}.boundary.svg`), svg);
  process.stdout.write(boundarySummary(report) + '\n');
  return report.frontier ? 1 : 0;
}
