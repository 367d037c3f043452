// V1, V2 (docs/THEORY-extensions.md): the two-layer network with its output layer trained
// too, θ = (W, v). V1: structure of its KKT points (balance, the fixed-v problem). V2: one
// batch GA step on a forget set, T2-style bounds with the v-block's terms.
import { Rational, maxOf } from '../exact/rational.ts';
import type { Dataset } from '../data/dataset.ts';
import { activation, tauOf } from '../models/model.ts';
import { type Relu2V, marginsV } from '../models/relu2v.ts';
import { certifyV, contextV } from '../kkt/certificateV.ts';
import { type GAStepV, gaStepV } from '../unlearn/gaV.ts';
import { type Certificate, certify } from '../kkt/certificate.ts';
import type { Gradient, Step } from '../unlearn/ga.ts';
import { retainedOf } from '../unlearn/pipeline.ts';
import { type Check, eq, le, leRoots } from './check.ts';

const ZERO = Rational.ZERO;
const relu = (p: Rational): Rational => (p.sign() > 0 ? p : ZERO);
type Gram = readonly (readonly Rational[])[];

/** Balance defect Σ_j (v_j² - ||w_j||²)² / v_j²: the squared v-block residual of T1's certificate. */
export function balanceDefect2(theta: Relu2V): Rational {
  return theta.v.reduce((s, vj, j) => s.add(vj.mul(vj).sub(theta.W.norm2[j]!).pow(2).div(vj.mul(vj))), ZERO);
}

/**
 * V1 on θ = (W, v) whose W is an exact T1 point for v (margins 1 on every point) with
 * multipliers λ: W is KKT for the fixed-v problem, Σ λ_i = ||W||², and the joint
 * certificate has ε² <= the balance defect, τ = δ = 0 (so ε = 0 when balanced).
 */
export function claimV1(data: Dataset, G: Gram, theta: Relu2V, lambda: readonly Rational[]): Check[] {
  const all = data.x.map((_, i) => i);
  // T1's multipliers in the fixed-v problem (only the Clarke choices are optimized)
  const fixed = certify(contextV(data, G, theta.v), theta.W, all, { lambda });
  const joint = certifyV(data, G, theta, all);
  const defect2 = balanceDefect2(theta);
  return [
    eq('V1(b)', 'epsilon2 (fixed v)', fixed.epsilon2, ZERO),
    eq('V1(c)', 'Σ λ - ||W||²', lambda.reduce((s, l) => s.add(l), ZERO).sub(theta.W.normSquared), ZERO),
    le('V1(b)', 'epsilon2 (joint)', joint.epsilon2, defect2),
    eq('V1(b)', 'tau', joint.tau, ZERO),
    eq('V1(b)', 'delta', joint.delta, ZERO),
  ];
}

export interface RunV {
  data: Dataset;
  G: Gram;
  forget: number[];
  retained: number[];
  theta: Relu2V;
  /** θ's certificate w.r.t. all points: optimal, or with the construction's λ (its λ sets c_r = κ λ_r) */
  before: Certificate;
  ga: GAStepV;
  /** τ(θ~) on R (θ alone decides it: no certificate needed) */
  tauAfter: Rational;
  /** θ~'s inherited certificate w.r.t. R (λ_R fixed, Clarke choices optimal) */
  inherited: Certificate;
}

/**
 * Certificate before, batch GA step, inherited certificate after. With `lambda` (e.g. the
 * T1 multipliers of a polished point) the before-certificate keeps it and only optimizes
 * the Clarke choices: exact, and it skips the full QP whose multipliers need not be unique.
 */
export function runV(
  data: Dataset,
  G: Gram,
  theta: Relu2V,
  forget: number[],
  step: Step,
  gradient: Gradient = 'autodiff',
  lambda?: readonly Rational[],
): RunV {
  const n = data.x.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const retained = retainedOf(n, forget);
  const before = certifyV(data, G, theta, all, lambda ? { lambda } : {});
  const ga = gaStepV(data, G, theta, forget, step, before, gradient);
  const q = marginsV(ga.theta, data.y);
  const inherited = certifyV(data, G, ga.theta, retained, { lambda: retained.map((i) => before.lambda[i]!) });
  return { data, G, forget, retained, theta, before, ga, tauAfter: tauOf(retained.map((i) => q[i]!)), inherited };
}

/** D_ij = Σ_{r in F} c_r g_jr |<x_r, x_i>|, so |<w~_j - w_j, x_i>| <= |v_j| D_ij. */
function reachOf(run: RunV): Rational[][] {
  const { G, forget: F, ga } = run;
  return run.theta.v.map((_, j) =>
    run.data.x.map((_, i) => F.reduce((s, r, a) => s.add(ga.c[a]!.mul(ga.g[a]![j]!).mul(G[r]![i]!.abs())), ZERO)),
  );
}

/** pull_i = Σ_j [v_j² D_ij + |ν_j| σ(p_ji) + |ν_j| |v_j| D_ij] (V2(a)). */
function pullV(run: RunV): Rational[] {
  const D = reachOf(run);
  const { v, W } = run.theta;
  return run.data.x.map((_, i) =>
    v.reduce((s, vj, j) => {
      const nu = run.ga.nu[j]!.abs();
      return s
        .add(vj.pow(2).mul(D[j]![i]!))
        .add(nu.mul(relu(W.pre[j]![i]!)))
        .add(nu.mul(vj.abs()).mul(D[j]![i]!));
    }, ZERO),
  );
}

/** The pieces of V2(b), (c): EA2 (exact), B2 (v-block drift), Φ2 (flips), flips among stable pairs. */
export function stationarityTermsV(run: RunV): {
  EA2: Rational;
  B2: Rational;
  Phi2: Rational;
  flips: number;
  stableFlips: number;
} {
  const { data, G, forget: F, retained: R, before, ga } = run;
  const { v, W } = run.theta;
  const model = contextV(data, G, v).model;
  const lam = before.lambda;
  const D = reachOf(run);
  const n = data.x.length;
  const y = (i: number) => Rational.of(data.y[i]!);
  const s = (j: number, i: number): Rational => {
    const a = activation(model, W.pre[j]![i]!);
    if (a !== 'kink') return a === 'on' ? Rational.ONE : ZERO;
    return before.kinks.find((k) => k.block === j && k.point === i)?.s ?? ZERO;
  };

  let EA2 = ZERO;
  let B2 = ZERO;
  v.forEach((vj, j) => {
    // E_j = v_j Σ_F y_r (λ_r s_jr - c_r g_jr) x_r - ν_j Σ_R λ_i y_i s_ji x_i, as coefficients on the points
    const e = new Array<Rational>(n).fill(ZERO);
    F.forEach((r, a) => (e[r] = vj.mul(y(r)).mul(lam[r]!.mul(s(j, r)).sub(ga.c[a]!.mul(ga.g[a]![j]!)))));
    for (const i of R) e[i] = ga.nu[j]!.neg().mul(lam[i]!).mul(y(i)).mul(s(j, i));
    let norm2 = ZERO;
    for (let i = 0; i < n; i++) {
      if (e[i]!.isZero()) continue;
      for (let k = 0; k < n; k++) if (!e[k]!.isZero()) norm2 = norm2.add(e[i]!.mul(e[k]!).mul(G[i]![k]!));
    }
    // a^v_j = Σ_F y_r (λ_r - c_r) σ(p_jr)
    const av = F.reduce((t, r, a) => t.add(y(r).mul(lam[r]!.sub(ga.c[a]!)).mul(relu(W.pre[j]![r]!))), ZERO);
    EA2 = EA2.add(norm2).add(av.pow(2));
    // β_j = |v_j| Σ λ_i D_ij over retained pairs whose σ can move (not: inactive and stable)
    const beta = R.reduce((t, i) => {
      const p = W.pre[j]![i]!;
      const frozen = p.sign() < 0 && p.abs().gt(vj.abs().mul(D[j]![i]!));
      return frozen ? t : t.add(lam[i]!.mul(D[j]![i]!));
    }, ZERO).mul(vj.abs());
    B2 = B2.add(beta.pow(2));
  });

  // Φ_j: retained pairs whose activation changed; Φ2 = Σ_j v~_j² λmax² (|Φ_j| R2max + |Φ_j|(|Φ_j|-1) φ)
  const W1 = ga.theta.W;
  const lamMax = maxOf(R.map((i) => lam[i]!));
  const R2max = maxOf(R.map((i) => G[i]![i]!));
  let phi = ZERO;
  for (const i of R) for (const k of R) if (i < k && G[i]![k]!.abs().gt(phi)) phi = G[i]![k]!.abs();
  let Phi2 = ZERO;
  let flips = 0;
  let stableFlips = 0;
  v.forEach((vj, j) => {
    const set = R.filter((i) => activation(model, W.pre[j]![i]!) !== activation(model, W1.pre[j]![i]!));
    flips += set.length;
    for (const i of set) if (W.pre[j]![i]!.abs().gt(vj.abs().mul(D[j]![i]!))) stableFlips++;
    if (set.length === 0) return;
    const f = Rational.of(set.length);
    Phi2 = Phi2.add(
      ga.theta.v[j]!.pow(2)
        .mul(lamMax.pow(2))
        .mul(f.mul(R2max).add(f.mul(f.sub(Rational.ONE)).mul(phi))),
    );
  });
  return { EA2, B2, Phi2, flips, stableFlips };
}

/** V2: margins, τ, δ (inherited), activation stability and the stationarity bound. */
export function claimV2(run: RunV): Check[] {
  const { retained: R, before } = run;
  const lam = before.lambda;
  const pull = pullV(run);
  const q0 = marginsV(run.theta, run.data.y);
  const q1 = marginsV(run.ga.theta, run.data.y);
  const checks: Check[] = R.map((i) => le('V2(a)', `|margin change[${i}]|`, q1[i]!.sub(q0[i]!).abs(), pull[i]!));
  const pullR = R.map((i) => pull[i]!);
  checks.push(
    le('V2(a)', 'tau', run.tauAfter, before.tau.add(maxOf(pullR))),
    le(
      'V2(a)',
      'delta_inherited',
      run.inherited.delta,
      before.delta.add(maxOf(R.map((i, a) => lam[i]!.mul(pullR[a]!)))),
    ),
  );
  const t = stationarityTermsV(run);
  checks.push(
    eq('V2(c)', 'flips among stable pairs', Rational.of(t.stableFlips), ZERO),
    leRoots('V2(b)', 'epsilon2_inherited', run.inherited.epsilon2, [before.epsilon2, t.EA2, t.B2, t.Phi2]),
  );
  return checks;
}
