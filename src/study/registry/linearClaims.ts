// Every claim of THEORY.md as a seeded sampler: one draw of data inside the claim's
// assumption (or a record that the assumption failed), the pipeline run, and its checks.
// `npm run validate` walks this list; properties/ test the same functions with fast-check.
import { Rational } from '../../exact/rational.ts';
import { ScaledVec } from '../../exact/vec.ts';
import { Rng } from '../../data/random.ts';
import { hadamardFlips, smallInts } from '../../data/generators.ts';
import type { Dataset } from '../../data/dataset.ts';
import { geometry, nearlyOrthogonal } from '../../data/geometry.ts';
import { maxMargin } from '../../kkt/maxMargin.ts';
import { trainLinear } from '../../float/linearFloat.ts';
import { NotSeparableError } from '../../errors.ts';
import { type CaseRun, contextOf, runCase } from '../../unlearn/pipeline.ts';
import type { Step } from '../../unlearn/ga.ts';
import type { Check } from '../../claims/check.ts';
import { claimL1, claimL2, claimL3, claimL4, claimL5 } from '../../claims/linear.ts';
import { EXTENSION_CLAIMS } from './extensionClaims.ts';
import { RELU2_CLAIMS } from './relu2Claims.ts';

export interface Sample {
  /** did the drawn data satisfy the claim's assumption? (if not, checks are empty) */
  held: boolean;
  checks: Check[];
  /** a short description of the drawn data, for counterexamples */
  data: string;
  /** quantities for plots, e.g. { rho, n, phi } */
  point: Record<string, Rational>;
  /** the drawn data, so a report can print a counterexample as a matrix (optional) */
  dataset?: Dataset;
}

export interface ClaimSpec {
  id: string;
  statement: string;
  assumption: string;
  sample(seed: number): Sample;
}

const ONE = Rational.ONE;

/** Nearly orthogonal data of moderate size: hadamardFlips with a seeded flip count. */
function noData(rng: Rng, nMax = 6): { data: Dataset; label: string } {
  const n = rng.nextInt(2, nMax);
  const d = 2 ** rng.nextInt(5, 7);
  const flips = rng.nextInt(0, Math.max(0, Math.floor((d - 1) / (8 * (n - 1)))));
  const p = { n, d, flips, seed: rng.nextInt(0, 2 ** 30) };
  return { data: hadamardFlips(p), label: `hadamardFlips(n=${n},d=${d},flips=${flips},seed=${p.seed})` };
}

/** Small integer data, separable or not (the claim decides). */
function intData(rng: Rng): { data: Dataset; label: string } {
  const p = { n: rng.nextInt(2, 5), d: rng.nextInt(1, 5), seed: rng.nextInt(0, 2 ** 30), max: 3 };
  return { data: smallInts(p), label: `smallInts(n=${p.n},d=${p.d},seed=${p.seed})` };
}

function linear(data: Dataset, forget: number[], kappa = ONE, theta: ScaledVec[] | null = null): CaseRun | undefined {
  const step: Step = { kind: 'kappa', kappa };
  try {
    return runCase({ model: { kind: 'linear' }, data, theta, forget, step, gradient: 'autodiff' });
  } catch (e) {
    if (e instanceof NotSeparableError) return undefined; // not separable: outside the claim
    throw e;
  }
}

const kappaOf = (rng: Rng) => Rational.of(rng.nextInt(0, 8), 4);

function geomPoint(data: Dataset, r?: number): Record<string, Rational> {
  const g = geometry(data, r);
  return { n: Rational.of(g.n), d: Rational.of(g.d), rho: g.rho, phi: g.phi, phi_r: g.phi_r };
}

export const CLAIMS: ClaimSpec[] = [
  {
    id: 'L1',
    statement: 'max-margin: every λ_i > 0 in [(1-2ρ)/((1-ρ)||x_i||²), 1/((1-ρ)||x_i||²)], every margin 1',
    assumption: 'NO (ρ < 1/2)',
    sample(seed) {
      const rng = new Rng(seed);
      const { data, label } = rng.nextInt(0, 1) ? noData(rng) : intData(rng);
      const g = geometry(data);
      const point = geomPoint(data);
      if (!nearlyOrthogonal(g)) return { held: false, checks: [], data: label, point, dataset: data };
      const ctx = contextOf({ kind: 'linear' }, data);
      return { held: true, checks: claimL1(ctx, maxMargin(ctx, data.x.map((_, i) => i)), g), data: label, point, dataset: data };
    },
  },
  {
    id: 'L2',
    statement: 'one GA step c = κλ_r: ε = |1-κ|λ_r||x_r||, τ <= κλ_rφ_r, δ <= κλ_rφ_r max λ; (d), (e) under NO at κ = 1',
    assumption: 'exact KKT input (separable data); NO and κ = 1 for (d), (e)',
    sample(seed) {
      const rng = new Rng(seed);
      const { data, label } = rng.nextInt(0, 1) ? noData(rng) : intData(rng);
      const r = rng.nextInt(0, data.x.length - 1);
      const kappa = rng.nextInt(0, 1) ? ONE : kappaOf(rng);
      const run = linear(data, [r], kappa);
      const point = { ...geomPoint(data, r), kappa };
      if (!run) return { held: false, checks: [], data: label, point, dataset: data };
      return { held: true, checks: claimL2(run, geometry(data, r, run.ctx.G), kappa), data: `${label}, r=${r}, κ=${kappa}`, point, dataset: data };
    },
  },
  {
    id: 'L3',
    statement: '||w~ - w*_R||² = λ_r² gᵀG_R⁻¹g <= λ_r²(n-1)φ_r²/(R2min-(n-2)φ), cos² >= 1-η²',
    assumption: 'NO, κ = 1',
    sample(seed) {
      const rng = new Rng(seed);
      const { data, label } = noData(rng);
      const r = rng.nextInt(0, data.x.length - 1);
      const run = linear(data, [r])!;
      return { held: true, checks: claimL3(run, geometry(data, r, run.ctx.G)), data: `${label}, r=${r}`, point: geomPoint(data, r), dataset: data };
    },
  },
  {
    id: 'L4',
    statement: 'forget set with c_r = λ_r: ε = 0, τ <= max_R Σ_F λ_r|<x_i,x_r>|, δ bound, exact distance',
    assumption: 'NO',
    sample(seed) {
      const rng = new Rng(seed);
      const { data, label } = noData(rng);
      const n = data.x.length;
      const F = [...Array(n).keys()].filter(() => rng.nextInt(0, 1) === 1).slice(0, n - 1);
      if (F.length === 0) F.push(0);
      const run = linear(data, F)!;
      return { held: true, checks: claimL4(run), data: `${label}, F=[${F}]`, point: geomPoint(data), dataset: data };
    },
  },
  {
    id: 'L5',
    statement: 'from an (ε0,δ0,τ0)-approximate KKT point: (ε0 + |1-κ|λ_r||x_r||, δ0 + κλ_rφ_r max λ, τ0 + κλ_rφ_r)',
    assumption: 'θ from float64 GD on the logistic loss (exact binary64 values)',
    sample(seed) {
      const rng = new Rng(seed);
      const { data, label } = noData(rng, 5);
      const r = rng.nextInt(0, data.x.length - 1);
      const kappa = kappaOf(rng);
      const steps = rng.nextInt(1, 200);
      const X = data.x.map((v) => v.toRationals().map((q) => q.toNumber()));
      const w = trainLinear(X, [...data.y], { loss: 'logistic', steps, lr: 1 / X[0]!.length, normalized: true });
      const run = linear(data, [r], kappa, [ScaledVec.fromRationals(w.map(Rational.fromDouble))])!;
      return {
        held: true,
        checks: claimL5(run, geometry(data, r, run.ctx.G), kappa),
        data: `${label}, GD steps=${steps}, r=${r}, κ=${kappa}`,
        point: { ...geomPoint(data, r), kappa },
        dataset: data,
      };
    },
  },
  // two-layer networks (THEORY.md section 5)
  ...RELU2_CLAIMS,
  // G1 and the extensions (docs/THEORY-extensions.md): T2F, T3F, SEQ, V1, V2
  ...EXTENSION_CLAIMS,
];
