// Seeded samplers for G1 (THEORY.md section 6) and the extensions of
// docs/THEORY-extensions.md (T2F, T3F, SEQ, V1, V2), appended to the registry (index.ts).
import { Rational } from '../../exact/rational.ts';
import { ScaledVec, gram } from '../../exact/vec.ts';
import { Rng } from '../../data/random.ts';
import { gaussianMixture, gaussianMixtureMean } from '../../data/generators.ts';
import type { Dataset } from '../../data/dataset.ts';
import { sameParams, sequentialGA } from '../../unlearn/sequential.ts';
import { balancedPolish, closedFormInstance, type KKTPointV } from '../../kkt/relu2vKKT.ts';
import { type ClaimSpec, outside } from './specs.ts';
import { forgetSet, gradientOf, hadamard64, kappaOf } from './draws.ts';
import { linearRun } from './linearClaims.ts';
import { alternatingSigns } from '../../models/model.ts';
import { eq } from '../../claims/check.ts';
import { claimG1 } from '../../claims/generalization.ts';
import { claimT2F, claimT3F, relu2KKTRun, signedUnits, stationarityTerms } from '../../claims/relu2Sets.ts';
import { claimV1, claimV2, runV } from '../../claims/relu2vClaims.ts';

const R = (t: number) => Rational.of(t);

/** Nearly orthogonal data (hadamardFlips, d = 64) and a relu2 net with units of both signs. */
function relu2Draw(rng: Rng) {
  const { data, label } = hadamard64(rng, 6);
  const m = rng.nextInt(2, 5);
  const signs = (rng.nextInt(0, 7) << 2) | 2; // v_0 = 1, v_1 = -1
  const trainSeed = rng.nextInt(0, 1000);
  return {
    data,
    v: signedUnits(m, signs),
    trainSeed,
    label: `${label}, m=${m}, v signs=${signs}, train seed=${trainSeed}`,
  };
}

/** An exact closed-form point (d = 16 or 64) or a balanced-polished one (d = 64). */
function relu2vDraw(
  rng: Rng,
): { data: Dataset; G: Rational[][]; kkt: KKTPointV; label: string } | { data: Dataset; label: string } {
  if (rng.nextInt(0, 2) > 0) {
    const p = {
      k: rng.nextInt(2, 3),
      n: rng.nextInt(2, 8),
      labels: rng.nextInt(0, 255),
      shared: rng.nextInt(0, 1) === 1,
    };
    const inst = closedFormInstance(p);
    return {
      data: inst.data,
      G: gram(inst.data.x),
      kkt: inst.kkt,
      label: `closedFormInstance(k=${p.k},n=${p.n},labels=${p.labels},shared=${p.shared})`,
    };
  }
  const { data, p, label: drawn } = hadamard64(rng, 5);
  const m = rng.nextInt(2, 4);
  const G = gram(data.x);
  const kkt = balancedPolish(
    data,
    alternatingSigns(m).map((q) => q.sign() as 1 | -1),
    { seed: p.seed, G },
  );
  const label = `balancedPolish(${drawn}, m=${m})`;
  return kkt ? { data, G, kkt, label } : { data, label };
}

export const EXTENSION_CLAIMS: ClaimSpec[] = [
  {
    id: 'G1',
    statement: 'err(w~) <= Φ(-(s(w*_R) - 2||μ|| ||w~ - w*_R||/||w*_R||)/σ), s(w) = <w,μ>/||w||',
    assumption: 'Gaussian mixture, separable sample, linear max-margin, κ = 1',
    boundaries: { file: 'G1.mixture.json', axes: [{ axis: 'kappa', range: '1:4' }] },
    sample(seed) {
      const rng = new Rng(seed);
      const n = rng.nextInt(2, 6);
      const p = { n, d: n + rng.nextInt(0, 24), seed: rng.nextInt(0, 2 ** 30), mu: rng.nextInt(1, 8) / 2, sigma: 1 };
      const data = gaussianMixture(p);
      const label = `gaussianMixture(n=${p.n},d=${p.d},seed=${p.seed},mu=${p.mu},sigma=1), r=0`;
      const point = { n: R(p.n), d: R(p.d), mu: Rational.fromDouble(p.mu) };
      const run = linearRun(data, [0]);
      if (!run) return outside(label, point, data);
      const checks = claimG1(run, ScaledVec.fromRationals(gaussianMixtureMean(p.mu, p.d)), Rational.ONE);
      return checks.length ? { held: true, checks, data: label, point, dataset: data } : outside(label, point, data);
    },
  },
  {
    id: 'T2F',
    statement:
      'batch GA on a forget set (relu2): |Δq_i| <= Σ_F c_r V_r |<x_r,x_i>|, τ, δ; ε <= ε0 + √E2 + √Φ2; stable pairs do not flip',
    assumption: 'exact KKT input (T1 polished); any data, κ, gradient',
    boundaries: {
      file: 'T2F.stable-set-is-exact.json',
      axes: [{ axis: 'step_margin' }, { axis: 'kappa', range: '1:2' }],
    },
    sample(seed) {
      const rng = new Rng(seed);
      const { data, v, trainSeed, label } = relu2Draw(rng);
      const F = forgetSet(rng, data.x.length);
      const kappa = kappaOf(rng);
      const gradient = gradientOf(rng);
      const run = relu2KKTRun(data, v, F, { kind: 'kappa', kappa }, gradient, trainSeed);
      const text = `${label}, F=[${F}], κ=${kappa}, ${gradient}`;
      const point = { n: R(data.x.length), m: R(v.length), kappa, F: R(F.length) };
      if (!run) return outside(text, point, data);
      return {
        held: true,
        checks: claimT2F(run),
        data: text,
        point: { ...point, flips: R(stationarityTerms(run).flips) },
        dataset: data,
      };
    },
  },
  {
    id: 'T3F',
    statement: '||W~ - W*_R||² = (b,0)ᵀ K⁻¹ (b,0) (K: the certificate columns on R, kinks included)',
    assumption: "exact KKT input, κ = 1 Clarke-consistent, no flips, W*_R polished with W's pattern on R",
    boundaries: { file: 'T3F.set-distance.json', axes: [{ axis: 'kappa', range: '1:2' }] },
    sample(seed) {
      const rng = new Rng(seed);
      const { data, v, trainSeed, label } = relu2Draw(rng);
      const F = forgetSet(rng, data.x.length);
      const run = relu2KKTRun(data, v, F, { kind: 'kappa', kappa: Rational.ONE }, 'clarke', trainSeed);
      const text = `${label}, F=[${F}]`;
      const point = { n: R(data.x.length), m: R(v.length), F: R(F.length) };
      const checks = run && claimT3F(run);
      return checks ? { held: true, checks, data: text, point, dataset: data } : outside(text, point, data);
    },
  },
  {
    id: 'SEQ',
    statement:
      'one GA step per forgotten point (gradients recomputed, λ from the original certificate) equals the batch step',
    assumption: "exact KKT input; no pair (j, r in F) changes activation before r's turn",
    sample(seed) {
      const rng = new Rng(seed);
      const { data, v, trainSeed, label } = relu2Draw(rng);
      const F = forgetSet(rng, data.x.length);
      const order = F.slice();
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.nextInt(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      const kappa = kappaOf(rng);
      const gradient = gradientOf(rng);
      const run = relu2KKTRun(data, v, F, { kind: 'kappa', kappa }, gradient, trainSeed);
      const text = `${label}, order=[${order}], κ=${kappa}, ${gradient}`;
      const point = { n: R(data.x.length), F: R(F.length), kappa };
      if (!run) return outside(text, point, data);
      const seq = sequentialGA(run.ctx, run.theta, order, { kind: 'kappa', kappa }, run.before, gradient);
      if (seq.flips.length) return outside(text, point, data);
      return {
        held: true,
        checks: [
          eq('SEQ', 'sequential differs from batch', R(sameParams(seq.params, run.ga.params) ? 0 : 1), Rational.ZERO),
        ],
        data: text,
        point,
        dataset: data,
      };
    },
  },
  {
    id: 'V1',
    statement:
      'trained output layer: W is fixed-v KKT, Σλ = ||W||², joint ε² <= Σ_j (v_j² - ||w_j||²)²/v_j², τ = δ = 0',
    assumption: 'closed form (orthogonal, exact) or balanced polish (T1 exact for the proposed v)',
    sample(seed) {
      const rng = new Rng(seed);
      const draw = relu2vDraw(rng);
      const point = { n: R(draw.data.x.length) };
      if (!('kkt' in draw)) return outside(draw.label, point, draw.data);
      return {
        held: true,
        checks: claimV1(draw.data, draw.G, draw.kkt.theta, draw.kkt.lambda),
        data: draw.label,
        point,
        dataset: draw.data,
      };
    },
  },
  {
    id: 'V2',
    statement:
      'GA with a trained output layer: |Δq_i| <= Σ_j [v_j² D_ij + |ν_j|σ(p_ji) + |ν_j||v_j|D_ij]; ε <= ε0 + √EA2 + √B2 + √Φ2',
    assumption: 'closed form or balanced polish input (T1 λ as certificate); any forget set, κ, gradient',
    sample(seed) {
      const rng = new Rng(seed);
      const draw = relu2vDraw(rng);
      const F = forgetSet(rng, draw.data.x.length);
      const kappa = kappaOf(rng);
      const gradient = gradientOf(rng);
      const text = `${draw.label}, F=[${F}], κ=${kappa}, ${gradient}`;
      const point = { n: R(draw.data.x.length), kappa, F: R(F.length) };
      if (!('kkt' in draw)) return outside(text, point, draw.data);
      const run = runV(draw.data, draw.G, draw.kkt.theta, F, { kind: 'kappa', kappa }, gradient, draw.kkt.lambda);
      return {
        held: true,
        checks: claimV2(run),
        data: text,
        point: { ...point, tau: run.tauAfter },
        dataset: draw.data,
      };
    },
  },
];
