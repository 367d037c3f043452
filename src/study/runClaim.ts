// A claim of the registry sampled `runs` times from a seed: how often its assumption held,
// its verdict, the worst measured/bound ratio and up to five counterexamples (exact).
import type { Rational } from '../exact/rational.ts';
import { type Check, describeCheck } from '../claims/check.ts';
import { shown } from '../formats/decimals.ts';
import { matrixText } from '../formats/matrixText.ts';
import { DEFAULTS } from '../defaults.ts';
import type { ClaimSpec } from './registry/specs.ts';

export interface Counterexample {
  /** the sample seed: CLAIMS.find(c => c.id === id).sample(seed) replays it */
  seed: number;
  data: string;
  failed: string[];
  checks: { claim: string; quantity: string; measured: string; relation: string; bound: string }[];
  /** the case as text: x (small d) or the Gram matrix (large d), with y */
  matrix: string | null;
}

interface SampleRecord {
  seed: number;
  held: boolean;
  point: Record<string, Rational>;
  checks: Check[];
}

export interface ClaimResult {
  id: string;
  statement: string;
  assumption: string;
  runs: number;
  held: number;
  verdict: 'holds' | 'refuted' | 'vacuous';
  /** max measured/bound over '<=' checks with a positive bound (display only) */
  worstRatio: number | null;
  /** the check attaining worstRatio, exact */
  worst: { ratio: string; check: string; seed: number } | null;
  /** measured/bound of every '<=' check with a positive bound, exact */
  ratios: Rational[];
  counterexamples: Counterexample[];
  /** every sample with its checks, for the figures (not written to JSON) */
  samples: SampleRecord[];
}

function ratio(c: Check): Rational | null {
  if (c.relation !== '<=' || c.bound.sign() <= 0) return null;
  return c.measured.div(c.bound);
}

export function runClaim(spec: ClaimSpec, runs: number, seed: number, tick: () => void): ClaimResult {
  const res: ClaimResult = {
    id: spec.id,
    statement: spec.statement,
    assumption: spec.assumption,
    runs,
    held: 0,
    verdict: 'holds',
    worstRatio: null,
    worst: null,
    ratios: [],
    counterexamples: [],
    samples: [],
  };
  let worst: Rational | null = null;
  for (let k = 0; k < runs; k++) {
    const s = seed * DEFAULTS.seedStride + k;
    const sample = spec.sample(s);
    tick();
    res.samples.push({ seed: s, held: sample.held, point: sample.point, checks: sample.checks });
    if (!sample.held) continue;
    res.held++;
    for (const c of sample.checks) {
      const r = ratio(c);
      if (r === null) continue;
      res.ratios.push(r);
      if (worst === null || r.gt(worst)) {
        worst = r;
        res.worst = { ratio: String(r), check: `${c.claim} ${c.quantity}`, seed: s };
      }
    }
    const bad = sample.checks.filter((c) => !c.holds);
    if (bad.length && res.counterexamples.length < DEFAULTS.maxCounterexamples) {
      res.counterexamples.push({
        seed: s,
        data: sample.data,
        failed: bad.map(describeCheck),
        checks: bad.map((c) => ({
          claim: c.claim,
          quantity: c.quantity,
          measured: String(c.measured),
          relation: c.relation,
          bound: String(c.bound),
        })),
        matrix: sample.dataset ? matrixText(sample.dataset) : null,
      });
    }
  }
  res.worstRatio = worst === null ? null : shown(worst);
  res.verdict = res.counterexamples.length ? 'refuted' : res.held === 0 ? 'vacuous' : 'holds';
  return res;
}
