// The two-layer claims of THEORY.md section 5 (T2, T3), one function per claim. Each
// returns the exact checks of its bound on a pipeline run of a relu2 case with a single
// forgotten point r and effective step c = κ λ_r. T1 is checked by the polisher itself
// (src/kkt/polish.ts verifies every point it returns) and by the certificate engine.
import { Rational, maxOf } from '../exact/rational.ts';
import type { Geometry } from '../data/geometry.ts';
import { marginsOf, outWeight } from '../models/model.ts';
import type { CaseRun } from '../unlearn/pipeline.ts';
import { type Check, eq, ge, le, leRoots } from './check.ts';
import { flipSets, flipsOf, vOf } from './quantities.ts';
import { clarkeChoice, quadInverse, signedKernel, t3Distance2 } from './signedKernel.ts';

const ONE = Rational.ONE;

function single(run: CaseRun) {
  if (run.ctx.model.kind !== 'relu2') throw new Error('a two-layer claim on a linear run');
  if (run.forget.length !== 1) throw new Error('single-point claim on a forget set');
  const r = run.forget[0]!;
  const lambdaR = run.before.lambda[r]!;
  const lambdaMaxR = maxOf(run.retained.map((i) => run.before.lambda[i]!));
  return { r, lambdaR, lambdaMaxR, m: run.theta.blocks };
}

/** GA used the certificate's Clarke choices at x_r (g_j = s_jr for every unit). */
export function clarkeConsistent(run: CaseRun): boolean {
  const r = run.forget[0]!;
  return run.ga.g[0]!.every((g, j) => g.eq(clarkeChoice(run, j, r)));
}

/** T2(a): margins move by at most κ λ_r |<x_r,x_i>| V_r; τ and δ_inherited follow. */
export function claimT2a(run: CaseRun, geom: Geometry, kappa: Rational): Check[] {
  const { ctx } = run;
  const { r, lambdaR, lambdaMaxR } = single(run);
  const Vr = vOf(run, 0);
  const q0 = marginsOf(ctx.model, run.theta.pre, ctx.data.y);
  const q1 = marginsOf(ctx.model, run.ga.params.pre, ctx.data.y);
  const step = kappa.mul(lambdaR).mul(Vr);
  const checks = run.retained.map((i) =>
    le('T2(a)', `|margin shift[${i}]|`, q1[i]!.sub(q0[i]!).abs(), step.mul(ctx.G[r]![i]!.abs())),
  );
  const pull = step.mul(geom.phi_r);
  checks.push(
    le('T2(a)', 'tau', run.after.tau, run.before.tau.add(pull)),
    le('T2(a)', 'delta_inherited', run.inherited.delta, run.before.delta.add(pull.mul(lambdaMaxR))),
  );
  return checks;
}

/**
 * T2(b): ε_inherited <= ε0 + λ_r ||x_r|| sqrt(Σ_j v_j² (s_jr - κ g_j)²)
 *                     + sqrt(Σ_j v_j² λmax² (|Φ_j| R2max + |Φ_j|(|Φ_j|-1) φ)).
 */
export function claimT2b(run: CaseRun, geom: Geometry, kappa: Rational): Check[] {
  const { ctx } = run;
  const { r, lambdaR, lambdaMaxR, m } = single(run);
  const g = run.ga.g[0]!;
  let share = Rational.ZERO;
  let flipped = Rational.ZERO;
  const phi = flipSets(run);
  for (let j = 0; j < m; j++) {
    const v2 = outWeight(ctx.model, j).pow(2);
    share = share.add(v2.mul(clarkeChoice(run, j, r).sub(kappa.mul(g[j]!)).pow(2)));
    const f = Rational.of(phi[j]!.length);
    flipped = flipped.add(v2.mul(f.mul(geom.R2max).add(f.mul(f.sub(ONE)).mul(geom.phi))));
  }
  return [
    leRoots('T2(b)', 'epsilon2_inherited', run.inherited.epsilon2, [
      run.before.epsilon2,
      lambdaR.pow(2).mul(ctx.G[r]![r]!).mul(share),
      lambdaMaxR.pow(2).mul(flipped),
    ]),
  ];
}

/**
 * T2(c): a pair with |<w_j,x_i>| > κ λ_r |v_j| g_j |<x_r,x_i>| does not flip; with no flip,
 * a Clarke-consistent gradient and κ = 1, ε_inherited <= ε0.
 */
export function claimT2c(run: CaseRun, kappa: Rational): Check[] {
  const { ctx } = run;
  const { r, lambdaR, m } = single(run);
  const g = run.ga.g[0]!;
  const phi = flipSets(run);
  let stableFlipped = 0;
  for (let j = 0; j < m; j++) {
    const reach = kappa.mul(lambdaR).mul(outWeight(ctx.model, j).abs()).mul(g[j]!);
    for (const i of phi[j]!) if (run.theta.pre[j]![i]!.abs().gt(reach.mul(ctx.G[r]![i]!.abs()))) stableFlipped++;
  }
  const checks = [eq('T2(c)', 'flips among stable pairs', Rational.of(stableFlipped), Rational.ZERO)];
  if (flipsOf(run) === 0 && clarkeConsistent(run) && kappa.eq(ONE)) {
    checks.push(le('T2(c)', 'epsilon2_inherited', run.inherited.epsilon2, run.before.epsilon2));
  }
  return checks;
}

/** ||x_r - P x_r||² for P the projection onto span{x_i : i in K}, from the Gram matrix. */
function dist2ToSpan(G: readonly (readonly Rational[])[], r: number, K: readonly number[]): Rational {
  // Gram-Schmidt on coefficient vectors over the indices [...K, r]
  const idx = [...K, r];
  const basis: { c: Rational[]; n2: Rational }[] = [];
  const inner = (a: Rational[], b: Rational[]) => {
    let s = Rational.ZERO;
    a.forEach((ai, p) => {
      if (ai.isZero()) return;
      b.forEach((bk, t) => {
        if (!bk.isZero()) s = s.add(ai.mul(bk).mul(G[idx[p]!]![idx[t]!]!));
      });
    });
    return s;
  };
  let last = Rational.ZERO;
  idx.forEach((_, p) => {
    const c = idx.map((__, t) => (t === p ? ONE : Rational.ZERO));
    for (const b of basis) {
      const f = inner(c, b.c).div(b.n2);
      b.c.forEach((bv, t) => (c[t] = c[t]!.sub(f.mul(bv))));
    }
    const n2 = inner(c, c);
    if (!n2.isZero()) basis.push({ c, n2 });
    last = n2;
  });
  return last;
}

/**
 * T2(d), exact input (ε0 = 0): row j of the residual is λ_r y_r v_j (s_jr - κ g_j) x_r plus
 * points of K_j (retained points with a kink before or after, or a flip, on unit j), so
 *   ε²_inherited >= Σ_j λ_r² v_j² (s_jr - κ g_j)² dist²(x_r, span K_j),
 * with equality to the stated λ_r² ||x_r||² Σ_j v_j² (s_jr - κ g_j)² when nothing flipped
 * and K_j is empty wherever the coefficient is nonzero. Under autodiff at κ = 1 the sum
 * runs over the kinks of x_r: the extra term λ_r ||x_r|| sqrt(Σ_kinks v_j² s_jr²) is real.
 */
export function claimT2d(run: CaseRun, kappa: Rational): Check[] {
  const { ctx } = run;
  const { r, lambdaR, m } = single(run);
  if (!run.before.epsilon2.isZero()) return [];
  const g = run.ga.g[0]!;
  const phi = flipSets(run);
  let lower = Rational.ZERO;
  let stated = Rational.ZERO;
  let exact = flipsOf(run) === 0;
  for (let j = 0; j < m; j++) {
    const coefj = clarkeChoice(run, j, r).sub(kappa.mul(g[j]!));
    if (coefj.isZero()) continue;
    const K = run.retained.filter(
      (i) => run.theta.pre[j]![i]!.isZero() || run.ga.params.pre[j]![i]!.isZero() || phi[j]!.includes(i),
    );
    if (K.length > 0) exact = false;
    const w = lambdaR.pow(2).mul(outWeight(ctx.model, j).pow(2)).mul(coefj.pow(2));
    lower = lower.add(w.mul(dist2ToSpan(ctx.G, r, K)));
    stated = stated.add(w.mul(ctx.G[r]![r]!));
  }
  const checks = [ge('T2(d)', 'epsilon2_inherited (projected extra term)', run.inherited.epsilon2, lower)];
  if (exact) checks.push(eq('T2(d)', 'epsilon2_inherited (extra term)', run.inherited.epsilon2, stated));
  return checks;
}

/**
 * T3: θ exact KKT, no kinks on R, retraining keeps the pattern on R (run.retrained set);
 * with κ = 1, a Clarke-consistent step and every retained margin exactly 1:
 *   ||W~ - W*_R||² = λ_r² kᵀ K_R⁻¹ k,  ||W*_R||² = 1ᵀ K_R⁻¹ 1,  and cos² >= 1 - η² (η < 1).
 * Empty where T3 does not apply.
 */
export function claimT3(run: CaseRun, kappa: Rational): Check[] {
  single(run);
  if (!run.retrained || !kappa.eq(ONE) || !clarkeConsistent(run)) return [];
  const R = run.retained;
  if (!R.every((i) => run.before.margins[i]!.eq(ONE))) return [];
  const KR = signedKernel(run, R, R);
  const ones = R.map(() => ONE);
  const predicted = t3Distance2(run);
  const starPredicted = quadInverse(KR, ones, ones);
  if (predicted === undefined || starPredicted === undefined) throw new Error('K_R is singular');
  const { distance2, cos2 } = run.retrained.closeness;
  const star2 = run.retrained.params.normSquared;
  const checks = [eq('T3', 'distance2', distance2, predicted), eq('T3', '||W*_R||^2', star2, starPredicted)];
  const eta2 = distance2.div(star2);
  if (eta2.lt(ONE)) checks.push(ge('T3', 'cos2', cos2, ONE.sub(eta2)));
  return checks;
}
