// `npm run validate`: every claim of the registry sampled from a seed, the claim files
// explored, the boundary searches run (study/boundaries.ts), the figures' data computed (study/), then the report written (report/).
import { CLAIMS } from './study/registry/index.ts';
import { type ClaimResult, runClaim } from './study/runClaim.ts';
import { type FixtureClaimRow, exploreFixtureClaims } from './study/claimFiles.ts';
import { figuresOf } from './study/figures/figures.ts';
import { progress, progressLine } from './io/progress.ts';
import { type BoundaryRow, boundaryRows } from './study/boundaries.ts';
import { writeReport } from './report/writeReport.ts';

export async function validate(opts: {
  seed: number;
  runs: number;
  out: string;
  claimsDir?: string;
}): Promise<{ results: ClaimResult[]; fixtures: FixtureClaimRow[]; boundaries: BoundaryRow[] }> {
  const bar = progress('validate', CLAIMS.length * opts.runs);
  const results = CLAIMS.map((spec) => runClaim(spec, opts.runs, opts.seed, bar.tick));
  bar.done();
  const claimsDir = opts.claimsDir ?? 'fixtures/claims';
  const fixtures = exploreFixtureClaims(claimsDir, opts.seed, opts.runs);
  const line = progressLine('validate boundaries');
  const boundaries = boundaryRows(CLAIMS, claimsDir, opts.seed, opts.runs, (text) => line.show(() => text));
  line.done();
  await writeReport(
    opts.out,
    results,
    fixtures,
    boundaries,
    figuresOf(results, opts.seed, opts.runs),
    opts.seed,
    opts.runs,
  );
  return { results, fixtures, boundaries };
}
