// T2F, T3F (docs/THEORY-extensions.md): one batch GA step on a forget set F for the two-layer
// network with fixed output weights, from an (ε0, δ0, τ0)-approximate KKT point with
// certificate (λ, s). The T2 bounds with the single forgotten point replaced by a sum
// over F: c_r the effective steps, g_jr the gradient choices the step used,
//   D_ij = Σ_{r in F} c_r g_jr |<x_r, x_i>|        (so |Δ_ij| <= |v_j| D_ij)
//   pull_i = Σ_j v_j² D_ij = Σ_{r in F} c_r V_r |<x_r, x_i>|.
import { Rational, maxOf } from '../exact/rational.ts';
import { activation, marginsOf } from '../models/model.ts';
import type { Dataset } from '../data/dataset.ts';
import { polish, trainToKKT } from '../kkt/polish.ts';
import { solve } from '../exact/pivot.ts';
import { closeness } from '../unlearn/retrain.ts';
import { type CaseRun, runCase } from '../unlearn/pipeline.ts';
import type { Gradient, Step } from '../unlearn/ga.ts';
import { clarkeChoice, setDistance2 } from './signedKernel.ts';
import { flipSets, pullOf } from './quantities.ts';
import { type Check, eq, le, leRoots } from './check.ts';

const ZERO = Rational.ZERO;

/** Output weights ±1 with the sign pattern of `signs` (bit j set: v_j = -1), m units. */
export function signedUnits(m: number, signs: number): Rational[] {
  return Array.from({ length: m }, (_, j) => ((signs >> j) & 1 ? Rational.ONE.neg() : Rational.ONE));
}

/**
 * The relu2 pipeline from an exact KKT point (T1's practical route, trainToKKT with
 * `trainSeed`) on data; undefined when polishing fails (count it, never pass it off).
 */
export function relu2KKTRun(
  data: Dataset,
  v: readonly Rational[],
  forget: number[],
  step: Step,
  gradient: Gradient,
  trainSeed = 0,
): CaseRun | undefined {
  const kkt = trainToKKT(data, v, { seed: trainSeed });
  if (!kkt) return undefined;
  return runCase({ model: { kind: 'relu2', v }, data, theta: kkt.params.vectors(), forget, step, gradient });
}

/** The pieces of T2F(b), (c): E2 (exact), Φ2 (flip term), flips among stable pairs. */
export function stationarityTerms(run: CaseRun): { E2: Rational; Phi2: Rational; flips: number; stableFlips: number } {
  const { ctx, forget: F, retained: R, before } = run;
  if (ctx.model.kind !== 'relu2') throw new Error('T2F is a relu2 claim');
  const v = ctx.model.v;
  const G = ctx.G;
  const p0 = run.theta.pre;
  const { c, g } = run.ga;
  const lam = before.lambda;

  // (c) a pair with |<w_j,x_i>| > |v_j| D_ij cannot flip; Φ_j = the retained pairs that did
  const flipped = flipSets(run);
  let stableFlips = 0;
  flipped.forEach((set, j) => {
    for (const i of set) {
      const D = F.reduce((s, r, a) => s.add(c[a]!.mul(g[a]![j]!).mul(G[r]![i]!.abs())), ZERO);
      if (p0[j]![i]!.abs().gt(v[j]!.abs().mul(D))) stableFlips++;
    }
  });

  // E2 = Σ_j v_j² ||Σ_{r in F} y_r (λ_r s_jr - c_r g_jr) x_r||²   (0 when Clarke-consistent at κ = 1)
  let E2 = ZERO;
  v.forEach((vj, j) => {
    const coef = F.map((r, a) =>
      lam[r]!.mul(clarkeChoice(run, j, r))
        .sub(c[a]!.mul(g[a]![j]!))
        .mul(Rational.of(ctx.data.y[r]!)),
    );
    let s = ZERO;
    F.forEach((r, a) => F.forEach((t, b) => (s = s.add(coef[a]!.mul(coef[b]!).mul(G[r]![t]!)))));
    E2 = E2.add(vj.pow(2).mul(s));
  });

  // Φ2 = Σ_j v_j² λmax² (|Φ_j| R2max + |Φ_j|(|Φ_j|-1) φ), over the retained points
  const lamMax = maxOf(R.map((i) => lam[i]!));
  const R2max = maxOf(R.map((i) => G[i]![i]!));
  let phi = ZERO;
  for (const i of R) for (const k of R) if (i < k && G[i]![k]!.abs().gt(phi)) phi = G[i]![k]!.abs();
  let Phi2 = ZERO;
  flipped.forEach((set, j) => {
    if (set.length === 0) return;
    const f = Rational.of(set.length);
    Phi2 = Phi2.add(
      v[j]!.pow(2)
        .mul(lamMax.pow(2))
        .mul(f.mul(R2max).add(f.mul(f.sub(Rational.ONE)).mul(phi))),
    );
  });
  return { E2, Phi2, flips: flipped.reduce((s, f) => s + f.length, 0), stableFlips };
}

/** T2F: margins, τ, δ (inherited), activation stability and the stationarity bound. */
export function claimT2F(run: CaseRun): Check[] {
  const { ctx, retained: R, before } = run;
  const lam = before.lambda;
  const pull = pullOf(run);
  const checks: Check[] = [];

  // (a) |q_i(W~) - q_i(W)| <= pull_i, σ being 1-Lipschitz; hence τ and δ
  const q0 = marginsOf(ctx.model, run.theta.pre, ctx.data.y);
  const q1 = marginsOf(ctx.model, run.ga.params.pre, ctx.data.y);
  for (const i of R) checks.push(le('T2F(a)', `|margin change[${i}]|`, q1[i]!.sub(q0[i]!).abs(), pull[i]!));
  const pullR = R.map((i) => pull[i]!);
  checks.push(
    le('T2F(a)', 'tau', run.after.tau, before.tau.add(maxOf(pullR))),
    le(
      'T2F(a)',
      'delta_inherited',
      run.inherited.delta,
      before.delta.add(maxOf(R.map((i, a) => lam[i]!.mul(pullR[a]!)))),
    ),
  );

  const t = stationarityTerms(run);
  checks.push(
    eq('T2F(c)', 'flips among stable pairs', Rational.of(t.stableFlips), ZERO),
    // (b) ε_inh <= ε0 + sqrt(E2) + sqrt(Φ2)
    leRoots('T2F(b)', 'epsilon2_inherited', run.inherited.epsilon2, [before.epsilon2, t.E2, t.Phi2]),
  );
  return checks;
}

/**
 * T3F (T3 for a forget set, kinks on R allowed): W an exact KKT point (ε0 = 0) with every
 * retained margin 1, κ = 1 with the Clarke-consistent gradient, no flips, and the retained
 * problem has the exact KKT point W*_R with W's pattern restricted to R (polished here).
 * W~ and W*_R solve T1's system on R with right-hand sides (1 - b, 0) and (1, 0), so
 * ||W~ - W*_R||² = (b, 0)ᵀ K⁻¹ (b, 0) (setDistance2 in signedKernel.ts, kink columns included).
 * undefined outside the assumption.
 */
export function claimT3F(run: CaseRun): Check[] | undefined {
  const { ctx, forget: F, retained: R, before } = run;
  if (ctx.model.kind !== 'relu2') throw new Error('T3F is a relu2 claim');
  const v = ctx.model.v;
  const p0 = run.theta.pre;
  const lam = before.lambda;
  if (!before.epsilon2.isZero()) return undefined;
  if (R.some((i) => !before.margins[i]!.eq(Rational.ONE))) return undefined;
  const s = v.map((_, j) => ctx.data.x.map((_, i) => clarkeChoice(run, j, i)));
  if (F.some((r, a) => !run.ga.c[a]!.eq(lam[r]!) || v.some((_, j) => !run.ga.g[a]![j]!.eq(s[j]![r]!))))
    return undefined;
  if (stationarityTerms(run).flips > 0) return undefined;
  const pattern = p0.map((row) => row.map((p) => activation(ctx.model, p)));
  const star = polish(ctx.data, v, pattern, { points: R, G: ctx.G });
  if (!star.ok) return undefined;

  const formula = setDistance2(run);
  if (!formula) return undefined;
  const { distance2 } = closeness(run.ga.params, star.kkt.params, star.kkt.coef);
  return [eq('T3F', 'distance2', distance2, formula)];
}
