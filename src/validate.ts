// `npm run validate`: every claim of the registry sampled from a seed, the claim files
// explored, the figures' data computed (study/), then the report written (report/).
import { CLAIMS } from './study/registry/index.ts';
import { type ClaimResult, runClaim } from './study/runClaim.ts';
import { type FixtureClaimRow, exploreFixtureClaims } from './study/claimFiles.ts';
import { figuresOf } from './study/figures/figures.ts';
import { progress } from './io/progress.ts';
import { writeReport } from './report/writeReport.ts';

export async function validate(opts: { seed: number; runs: number; out: string; claimsDir?: string }): Promise<{ results: ClaimResult[]; fixtures: FixtureClaimRow[] }> {
  const bar = progress('validate', CLAIMS.length * opts.runs);
  const results = CLAIMS.map((spec) => runClaim(spec, opts.runs, opts.seed, bar.tick));
  bar.done();
  const fixtures = exploreFixtureClaims(opts.claimsDir ?? 'fixtures/claims', opts.seed, opts.runs);
  await writeReport(opts.out, results, fixtures, figuresOf(results, opts.seed, opts.runs), opts.seed, opts.runs);
  return { results, fixtures };
}
