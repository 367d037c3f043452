// The linear claims of THEORY.md (L1..L5) as seeded samplers.
import { Rational } from '../../exact/rational.ts';
import { ScaledVec } from '../../exact/vec.ts';
import { Rng } from '../../data/random.ts';
import type { Dataset } from '../../data/dataset.ts';
import { geometry, nearlyOrthogonal } from '../../data/geometry.ts';
import { maxMargin } from '../../kkt/maxMargin.ts';
import { trainLinear } from '../../float/linearFloat.ts';
import { NotSeparableError } from '../../errors.ts';
import { type CaseRun, contextOf, runCase } from '../../unlearn/pipeline.ts';
import type { Step } from '../../unlearn/ga.ts';
import { claimL1, claimL2, claimL3, claimL4, claimL5 } from '../../claims/linear.ts';
import { type ClaimSpec, outside } from './specs.ts';
import { intData, kappaOf, kappaOrOne, noData } from './draws.ts';

const ONE = Rational.ONE;

/** The linear pipeline with an autodiff κ-step; undefined when the data are not separable (outside every linear claim). */
export function linearRun(
  data: Dataset,
  forget: number[],
  kappa = ONE,
  theta: ScaledVec[] | null = null,
): CaseRun | undefined {
  const step: Step = { kind: 'kappa', kappa };
  try {
    return runCase({ model: { kind: 'linear' }, data, theta, forget, step, gradient: 'autodiff' });
  } catch (e) {
    if (e instanceof NotSeparableError) return undefined; // not separable: outside the claim
    throw e;
  }
}

function geomPoint(data: Dataset, r?: number): Record<string, Rational> {
  const g = geometry(data, r);
  return { n: Rational.of(g.n), d: Rational.of(g.d), rho: g.rho, phi: g.phi, phi_r: g.phi_r };
}

export const LINEAR_CLAIMS: ClaimSpec[] = [
  {
    id: 'L1',
    statement: 'max-margin: every λ_i > 0 in [(1-2ρ)/((1-ρ)||x_i||²), 1/((1-ρ)||x_i||²)], every margin 1',
    assumption: 'NO (ρ < 1/2)',
    boundaries: { file: 'L1.support-vectors.json', axes: [{ axis: 'rho' }] },
    sample(seed) {
      const rng = new Rng(seed);
      const { data, label } = rng.nextInt(0, 1) ? noData(rng) : intData(rng);
      const g = geometry(data);
      const point = geomPoint(data);
      if (!nearlyOrthogonal(g)) return outside(label, point, data);
      const ctx = contextOf({ kind: 'linear' }, data);
      return {
        held: true,
        checks: claimL1(
          ctx,
          maxMargin(
            ctx,
            data.x.map((_, i) => i),
          ),
          g,
        ),
        data: label,
        point,
        dataset: data,
      };
    },
  },
  {
    id: 'L2',
    statement:
      'one GA step c = κλ_r: ε = |1-κ|λ_r||x_r||, τ <= κλ_rφ_r, δ <= κλ_rφ_r max λ; (d), (e) under NO at κ = 1',
    assumption: 'exact KKT input (separable data); NO and κ = 1 for (d), (e)',
    boundaries: { file: 'L2d.tau-under-NO.json', axes: [{ axis: 'rho' }, { axis: 'kappa', range: '1:2' }] },
    sample(seed) {
      const rng = new Rng(seed);
      const { data, label } = rng.nextInt(0, 1) ? noData(rng) : intData(rng);
      const r = rng.nextInt(0, data.x.length - 1);
      const kappa = kappaOrOne(rng);
      const run = linearRun(data, [r], kappa);
      const point = { ...geomPoint(data, r), kappa };
      if (!run) return outside(label, point, data);
      return {
        held: true,
        checks: claimL2(run, geometry(data, r, run.ctx.G), kappa),
        data: `${label}, r=${r}, κ=${kappa}`,
        point,
        dataset: data,
      };
    },
  },
  {
    id: 'L3',
    statement: '||w~ - w*_R||² = λ_r² gᵀG_R⁻¹g <= λ_r²(n-1)φ_r²/(R2min-(n-2)φ), cos² >= 1-η²',
    assumption: 'NO, κ = 1',
    boundaries: { file: 'L3.distance-under-NO.json', axes: [{ axis: 'rho' }, { axis: 'kappa', range: '1:2' }] },
    sample(seed) {
      const rng = new Rng(seed);
      const { data, label } = noData(rng);
      const r = rng.nextInt(0, data.x.length - 1);
      const run = linearRun(data, [r])!;
      return {
        held: true,
        checks: claimL3(run, geometry(data, r, run.ctx.G)),
        data: `${label}, r=${r}`,
        point: geomPoint(data, r),
        dataset: data,
      };
    },
  },
  {
    id: 'L4',
    statement: 'forget set with c_r = λ_r: ε = 0, τ <= max_R Σ_F λ_r|<x_i,x_r>|, δ bound, exact distance',
    assumption: 'NO',
    boundaries: { file: 'L4.set-under-NO.json', axes: [{ axis: 'rho' }] },
    sample(seed) {
      const rng = new Rng(seed);
      const { data, label } = noData(rng);
      const n = data.x.length;
      const F = [...Array(n).keys()].filter(() => rng.nextInt(0, 1) === 1).slice(0, n - 1);
      if (F.length === 0) F.push(0);
      const run = linearRun(data, F)!;
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
      const run = linearRun(data, [r], kappa, [ScaledVec.fromRationals(w.map(Rational.fromDouble))])!;
      return {
        held: true,
        checks: claimL5(run, geometry(data, r, run.ctx.G), kappa),
        data: `${label}, GD steps=${steps}, r=${r}, κ=${kappa}`,
        point: { ...geomPoint(data, r), kappa },
        dataset: data,
      };
    },
  },
];
