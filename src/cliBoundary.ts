// unlearn-kkt boundary CLAIM.json --axis NAME [--range LO:HI] [--runs N] [--seed S] [--out DIR]
// (docs/claims.md): writes DIR/<claim>.boundary.json (boundary@1) and .boundary.svg, prints
// one line. Exit 1 when a violation exists in range, 0 when none, 2 on bad input.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from './errors.ts';
import { args, intOption, readJsonFile } from './cliArgs.ts';
import { parseClaim } from './claims/claimFile.ts';
import { parseRange } from './study/boundary/axis.ts';
import { boundary, type BoundaryReport } from './study/boundary/boundary.ts';
import { boundaryJson, boundarySummary } from './study/boundary/output.ts';
import type { BoundaryFigure } from './report/boundaryPlot.ts';

export const BOUNDARY_HELP = `usage: unlearn-kkt boundary CLAIM.json --axis NAME [--range LO:HI] [--runs N] [--seed S] [--out DIR]
  Where CLAIM.json stops holding along one quantity NAME (rho, phi_r, kappa, n, d, ...):
  assume clauses that read NAME are set aside, samples are steered across [LO, HI], a climb
  finds the least NAME at which a violation occurs, and its case is shrunk at or below it.
  --range LO:HI  exact rationals (default: 0 to 4 times a stated threshold "NAME < c";
                 0 to 2 kappa for a fixed kappa; the claim's range for n, d, m)
  --runs N       samples (default 800: 40% random, 30% filling bins, 30% frontier search)
  --seed S       default 0; the same seed gives the same files
  --out DIR      default .: writes DIR/<claim>.boundary.json (unlearn-kkt/boundary@1) and .boundary.svg
  exit 1: a violation in range (the frontier); 0: none; 2: bad input`;

export function boundaryFigure(r: BoundaryReport, title: string): BoundaryFigure {
  return { title, axis: r.axis.name, range: r.axis, bins: r.bins, points: r.points, frontier: r.frontier?.value, threshold: r.threshold };
}

export async function boundaryCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(BOUNDARY_HELP + '\n');
    return 0;
  }
  const { values, positionals } = args(argv, { axis: { type: 'string' }, range: { type: 'string' }, runs: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' } });
  if (positionals.length !== 1) throw new InputError('boundary takes exactly one CLAIM.json');
  if (values.axis === undefined) throw new InputError('boundary needs --axis NAME (e.g. --axis rho)');
  const runs = intOption(values.runs, 'runs', 800, 1);
  const seed = intOption(values.seed, 'seed', 0, Number.MIN_SAFE_INTEGER);
  const range = values.range === undefined ? undefined : parseRange(String(values.range));
  const file = positionals[0]!;
  const claim = parseClaim(readJsonFile(file));
  // progress on a terminal only (as explore), at most ten lines a second
  const tty = process.stderr.isTTY === true;
  let last = 0;
  const progress = (line: string) => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    process.stderr.write(`\r\x1b[K${line}`);
  };
  const report = boundary(claim, { axis: String(values.axis), range, runs, seed, progress: tty ? progress : undefined });
  if (tty) process.stderr.write('\r\x1b[K');
  const stem = basename(file).replace(/\.json$/i, '');
  const dir = String(values.out ?? '.');
  const json = JSON.stringify(boundaryJson(report, basename(file)), null, 2) + '\n';
  const { boundarySvg } = await import('./report/boundaryPlot.ts'); // vega loads only when there is a figure to draw
  const svg = await boundarySvg(boundaryFigure(report, `${claim.name}: violations along ${report.axis.name}`));
  for (const [name, text] of [[`${stem}.boundary.json`, json], [`${stem}.boundary.svg`, svg]] as const) {
    const out = join(dir, name);
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(out, text);
    } catch (e) {
      throw new InputError(`cannot write ${out} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
  }
  process.stdout.write(boundarySummary(report) + '\n');
  return report.frontier ? 1 : 0;
}
