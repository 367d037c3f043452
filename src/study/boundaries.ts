// validate's Boundaries section: the boundary explorer (boundary/boundary.ts, the code behind
// `unlearn-kkt boundary`) on every registry claim's claim file in fixtures/boundaries/ along
// each axis the registry names, and on every file in fixtures/claims with an `assume` clause
// that bounds a quantity from above. Everything is a function of (seed, runs).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { jsonText, readJsonFile } from '../formats/jsonFile.ts';
import { caseToJson } from '../formats/case.ts';
import { QUANTITY_NAMES } from '../claims/quantities.ts';
import { type Claim, parseClaim } from './explore/claimFile.ts';
import { namesOf } from './explore/dsl.ts';
import { parseRange, splitAssume } from './boundary/axis.ts';
import { type BoundaryReport, boundary } from './boundary/boundary.ts';
import { boundaryJson, boundarySummary } from './boundary/output.ts';
import type { ClaimSpec } from './registry/specs.ts';

/** Where the registry's claim files for boundary searches live. */
export const BOUNDARY_CLAIMS_DIR = 'fixtures/boundaries';

/**
 * Samples per search: a modest share of validate's --runs (relu2 samples train a network
 * each), so the section costs about as much as the claims above it.
 */
export function boundaryRuns(claim: Claim, runs: number): number {
  return Math.max(1, Math.min(claim.model === 'relu2' ? 60 : 200, runs));
}

export interface BoundaryRow {
  /** registry id (L1, T2, ...) or the claim file's name for fixtures/claims */
  source: string;
  /** the claim file searched: fixtures/boundaries/NAME for the registry, the bare name for a claims directory's file ('' when none) */
  file: string;
  axis: string;
  /** the stated assumption set aside, or why there is no search */
  stated: string;
  report?: BoundaryReport;
  summary: string;
  /** report-relative names: the boundary@1 file, the frontier case (case@1) and the figure */
  files?: { boundary: string; json: string; frontier?: string; frontierJson?: string; svg: string };
}

const stem = (file: string) => file.replace(/\.json$/i, '');

function searchRow(
  source: string,
  path: string,
  file: string,
  axis: string,
  range: string | undefined,
  seed: number,
  runs: number,
  progress?: (line: string) => void,
): BoundaryRow {
  const claim = parseClaim(readJsonFile(path));
  const report = boundary(claim, {
    axis,
    range: range === undefined ? undefined : parseRange(range),
    runs: boundaryRuns(claim, runs),
    seed,
    progress: progress && ((line) => progress(`${source}: ${line}`)),
  });
  const name = `boundaries/${stem(source)}.${axis}`; // registry ids never clash with file names (which have dots)
  const frontier = report.frontier ? `${name}.frontier.json` : undefined;
  return {
    source,
    file,
    axis,
    stated: report.setAside.map((s) => s.text).join(' and '),
    report,
    summary: boundarySummary(report),
    files: {
      boundary: `${name}.boundary.json`,
      json: jsonText(boundaryJson(report, file)),
      svg: `${name}.svg`,
      ...(frontier ? { frontier, frontierJson: jsonText(caseToJson(report.frontier!.case)) } : {}),
    },
  };
}

/** The first quantity an `assume` conjunct bounds from above (`name < c`, `<= c`, `== c`), if any. */
export function statedAxis(claim: Claim): string | undefined {
  for (const a of claim.assume) {
    for (const name of QUANTITY_NAMES) if (namesOf(a).has(name) && splitAssume(claim, name).threshold) return name;
  }
  return undefined;
}

export function boundaryRows(
  specs: readonly ClaimSpec[],
  claimsDir: string,
  seed: number,
  runs: number,
  progress?: (line: string) => void,
): BoundaryRow[] {
  const rows: BoundaryRow[] = [];
  for (const spec of specs) {
    const b = spec.boundaries;
    if (!b) continue;
    if ('why' in b) {
      rows.push({ source: spec.id, file: '', axis: '', stated: spec.assumption, summary: `no search: ${b.why}` });
      continue;
    }
    const file = `${BOUNDARY_CLAIMS_DIR}/${b.file}`;
    for (const a of b.axes) rows.push(searchRow(spec.id, file, file, a.axis, a.range, seed, runs, progress));
  }
  const files = existsSync(claimsDir)
    ? readdirSync(claimsDir)
        .filter((f) => f.endsWith('.json'))
        .sort()
    : [];
  for (const f of files) {
    let claim: Claim;
    try {
      claim = parseClaim(readJsonFile(join(claimsDir, f)));
    } catch (e) {
      if (e instanceof InputError) continue; // reported in the Claim files section
      throw e;
    }
    if (!claim.assume.length) continue;
    const axis = statedAxis(claim);
    if (!axis) {
      rows.push({
        source: f,
        file: f,
        axis: '',
        stated: claim.assume.map((a) => a.text).join(' and '),
        summary: 'no search: no assume clause bounds a quantity from above (name < c, name <= c or name == c)',
      });
      continue;
    }
    rows.push(searchRow(f, join(claimsDir, f), f, axis, undefined, seed, runs, progress));
  }
  return rows;
}
