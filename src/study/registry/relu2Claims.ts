// Seeded samplers for the two-layer claims of THEORY.md section 5 (T1, T2, T3), appended
// to the registry (index.ts). One trained-and-polished KKT point per seed, shared by the three.
import { Rational } from '../../exact/rational.ts';
import { Rng } from '../../data/random.ts';
import { type Dataset, makeDataset } from '../../data/dataset.ts';
import { geometry } from '../../data/geometry.ts';
import { type TrainedKKT, trainToKKT } from '../../kkt/polish.ts';
import { certify } from '../../kkt/certificate.ts';
import { contextOf, runCase } from '../../unlearn/pipeline.ts';
import type { Gradient } from '../../unlearn/ga.ts';
import { type ClaimSpec, type Sample, outside } from './specs.ts';
import { gradientOf, hadamard64, kappaOrOne } from './draws.ts';
import { alternatingSigns } from '../../models/model.ts';
import { eq } from '../../claims/check.ts';
import { claimT2a, claimT2b, claimT2c, claimT2d, claimT3 } from '../../claims/relu2.ts';

interface Draw {
  data: Dataset;
  v: Rational[];
  kkt: TrainedKKT | undefined;
  label: string;
  rng: Rng;
}

/**
 * Nearly orthogonal ±1 data (Hadamard rows, a few flips), m units of alternating sign, T1's
 * route. `labelColumn` appends 4·y_i to each x_i: a unit fitted to one class is then strictly
 * off on the other, so trained KKT points rarely have kinks on R (T3's assumption).
 */
function draw(seed: number, labelColumn = false): Draw {
  const rng = new Rng(seed);
  const { data: base, p, label: drawn } = hadamard64(rng, 5);
  const m = 2 * rng.nextInt(1, 3);
  const v = alternatingSigns(m);
  const data = labelColumn
    ? makeDataset(
        base.x.map((x, i) => [...x.toRationals(), Rational.of(4 * base.y[i]!)]),
        base.y,
      )
    : base;
  const kkt = trainToKKT(data, v, { seed: p.seed, steps: 3000, restarts: 2 });
  const label = `${drawn}${labelColumn ? ' + column 4y' : ''}, m=${m}, v=±1`;
  return { data, v, kkt, rng, label };
}

const pointOf = (d: Draw): Record<string, Rational> => {
  const g = geometry(d.data);
  return { n: Rational.of(g.n), rho: g.rho, phi: g.phi };
};

function relu2Sample(
  seed: number,
  labelColumn: boolean,
  kappaOf: (rng: Rng) => Rational,
  gradientOf: (rng: Rng) => Gradient,
  claims: (run: ReturnType<typeof runCase>, kappa: Rational, r: number) => Sample['checks'],
): Sample {
  const d = draw(seed, labelColumn);
  const point = pointOf(d);
  if (!d.kkt) return outside(`${d.label} (no exact KKT point found)`, point, d.data);
  const r = d.rng.nextInt(0, d.data.x.length - 1);
  const kappa = kappaOf(d.rng);
  const gradient = gradientOf(d.rng);
  const run = runCase({
    model: { kind: 'relu2', v: d.v },
    data: d.data,
    theta: d.kkt.params.vectors(),
    forget: [r],
    step: { kind: 'kappa', kappa },
    gradient,
  });
  const checks = claims(run, kappa, r);
  return {
    held: checks.length > 0,
    checks,
    data: `${d.label}, r=${r}, κ=${kappa}, ${gradient}`,
    point: { ...point, kappa },
    dataset: d.data,
  };
}

export const RELU2_CLAIMS: ClaimSpec[] = [
  {
    id: 'T1',
    statement: 'trained in float64, polished exactly from the 3-valued pattern: an exact KKT point (ε = δ = τ = 0)',
    assumption: 'the polish verifies (success rate = assumption held)',
    sample(seed) {
      const d = draw(seed);
      const point = pointOf(d);
      if (!d.kkt) return outside(`${d.label} (polish failed)`, point, d.data);
      const all = d.data.x.map((_, i) => i);
      const c = certify(contextOf({ kind: 'relu2', v: d.v }, d.data), d.kkt.params, all);
      const checks = [
        eq('T1', 'epsilon2', c.epsilon2, Rational.ZERO),
        eq('T1', 'tau', c.tau, Rational.ZERO),
        eq('T1', 'delta', c.delta, Rational.ZERO),
      ];
      return { held: true, checks, data: d.label, point, dataset: d.data };
    },
  },
  {
    id: 'T2',
    statement:
      'one GA step on relu2: (a) margin shift <= κλ_r|<x_r,x_i>|V_r, τ, δ; (b) ε bound with flip sets; (c) stable + Clarke + κ = 1 ⇒ ε <= ε0; (d) autodiff at a kink',
    assumption: 'exact KKT input from T1',
    boundaries: {
      file: 'T2c.stable-step-is-exact.json',
      axes: [{ axis: 'step_margin' }, { axis: 'kappa', range: '1:2' }],
    },
    sample(seed) {
      return relu2Sample(seed, false, kappaOrOne, gradientOf, (run, kappa, r) => {
        const g = geometry(run.ctx.data, r, run.ctx.G);
        return [
          ...claimT2a(run, g, kappa),
          ...claimT2b(run, g, kappa),
          ...claimT2c(run, kappa),
          ...claimT2d(run, kappa),
        ];
      });
    },
  },
  {
    id: 'T3',
    statement: '||W~ - W*_R||² = λ_r² kᵀK_R⁻¹k (signed kernel), cos² >= 1 - η²',
    assumption:
      'exact KKT input, no kinks on R, same pattern on R after retraining, κ = 1, Clarke-consistent, retained margins 1',
    boundaries: { file: 'T3.distance.json', axes: [{ axis: 'kappa', range: '1:2' }] },
    sample(seed) {
      return relu2Sample(
        seed,
        true,
        () => Rational.ONE,
        () => 'clarke',
        (run, kappa) => claimT3(run, kappa),
      );
    },
  },
];
