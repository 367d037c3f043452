// `explore` on every claim file of a directory (fixtures/claims/*.json), one row each, and the
// verdict each file expects (`refuted.*` files break a bound on purpose).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors.ts';
import { jsonText, readJsonFile } from '../formats/jsonFile.ts';
import { matrixText } from '../formats/matrixText.ts';
import { parseClaim } from './explore/claimFile.ts';
import { explore } from './explore/search.ts';
import { counterexampleJson, summary } from './explore/summary.ts';

/** A claim file's verdict from `explore` (fixtures/claims/*.json), for the table. */
export interface FixtureClaimRow {
  file: string;
  name: string;
  verdict: 'holds' | 'refuted' | 'vacuous' | 'error';
  runs: number;
  /** samples evaluated and how many satisfied `assume` */
  evaluated: number;
  inAssume: number;
  /** explore's own summary (or the error message) */
  summary: string;
  /** the shrunk counterexample: its file name in the report directory and its data as text */
  counterexample: { file: string; matrix: string; json: string } | null;
}

// ---- claim files (fixtures/claims/*.json) ----

/** `explore` on every claim file in `dir` (sorted by name), one table row each. */
export function exploreFixtureClaims(dir: string, seed: number, runs: number): FixtureClaimRow[] {
  if (!existsSync(dir)) return [];
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
  return files.map((file) => {
    const row: FixtureClaimRow = {
      file,
      name: file,
      verdict: 'error',
      runs,
      evaluated: 0,
      inAssume: 0,
      summary: '',
      counterexample: null,
    };
    try {
      const claim = parseClaim(readJsonFile(join(dir, file)));
      row.name = claim.name;
      const rep = explore(claim, { runs, seed });
      row.evaluated = rep.counts.evaluated;
      row.inAssume = rep.counts.inAssume;
      row.verdict = rep.verdict === 'refuted' ? 'refuted' : rep.counts.inAssume === 0 ? 'vacuous' : 'holds';
      const ceFile = `counterexamples/${file.replace(/\.json$/i, '')}.counterexample.json`;
      row.summary = summary(rep, file, rep.counterexample ? ceFile : undefined);
      if (rep.counterexample)
        row.counterexample = {
          file: ceFile,
          matrix: matrixText(rep.counterexample.case.data),
          json: jsonText(counterexampleJson(rep, file)),
        };
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      row.summary = `error: ${e.message}`; // a bad claim file is reported, not fatal
    }
    return row;
  });
}

/** Claim files named `refuted.*` are live twins: a bound deliberately broken, expected refuted. */
export const expectedVerdict = (file: string): 'holds' | 'refuted' =>
  file.startsWith('refuted.') ? 'refuted' : 'holds';
