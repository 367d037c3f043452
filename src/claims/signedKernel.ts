// The signed kernel of THEORY.md section 5 (a fixed pattern makes relu2 linear in W) and
// T3's and T3F's predicted distance to retraining: shared by claimT3 (relu2.ts), claimT3F
// (relu2Sets.ts) and the claim-file quantity dist2_t3 (quantities.ts).
import { Rational } from '../exact/rational.ts';
import { solve } from '../exact/pivot.ts';
import { activation, outWeight } from '../models/model.ts';
import type { CaseRun } from '../unlearn/pipeline.ts';

/** s_ji of the certificate before: 1 on, 0 off, the Clarke choice at a kink. */
export function clarkeChoice(run: CaseRun, j: number, i: number): Rational {
  const a = activation(run.ctx.model, run.theta.pre[j]![i]!);
  if (a === 'on') return Rational.ONE;
  if (a === 'off') return Rational.ZERO;
  return run.before.kinks.find((k) => k.block === j && k.point === i)?.s ?? Rational.ZERO;
}

/** The signed kernel y_i y_k <x_i,x_k> Σ_j v_j² s_ji s_jk with the certificate's choices. */
export function signedKernel(run: CaseRun, rows: readonly number[], cols: readonly number[]): Rational[][] {
  const { ctx } = run;
  const m = run.theta.blocks;
  const s = Array.from({ length: m }, (_, j) => ctx.data.x.map((_, i) => clarkeChoice(run, j, i)));
  return rows.map((i) =>
    cols.map((k) => {
      let t = Rational.ZERO;
      for (let j = 0; j < m; j++) t = t.add(outWeight(ctx.model, j).pow(2).mul(s[j]![i]!).mul(s[j]![k]!));
      const v = t.mul(ctx.G[i]![k]!);
      return ctx.data.y[i] === ctx.data.y[k] ? v : v.neg();
    }),
  );
}

/** aᵀ K⁻¹ b, or undefined when K is singular. */
export function quadInverse(K: Rational[][], a: readonly Rational[], b: readonly Rational[]): Rational | undefined {
  const z = solve(K, b);
  return z?.reduce((s, zi, t) => s.add(zi.mul(a[t]!)), Rational.ZERO);
}

/**
 * T3F's prediction (b, 0)ᵀ K⁻¹ (b, 0) for ||W~ - W*_R||² (docs/THEORY-extensions.md), shared by
 * claimT3F (relu2Sets.ts) and, through t3Distance2, by claimT3 and dist2_t3. The certificate's
 * columns on R (λ columns h_i over the units on at i, and one column v_j y_k x_k in block j per
 * kink pair (j, k), k in R) have Gram matrix K, T1's system matrix on R; b_k =
 * Σ_{r in F} λ_r y_k y_r <x_k,x_r> Σ_{j on at k} v_j² s_jr on the λ columns, 0 on the kink ones.
 * With F = {r} and no kinks on R, K = K_R and b = λ_r k: T3's λ_r² kᵀ K_R⁻¹ k. undefined for
 * linear runs and when K is singular.
 */
export function setDistance2(run: CaseRun): Rational | undefined {
  const { ctx, forget: F, retained: R } = run;
  if (ctx.model.kind !== 'relu2') return undefined;
  const v = ctx.model.v;
  const lam = run.before.lambda;
  const state = run.theta.pre.map((row) => row.map((p) => activation(ctx.model, p)));
  const unit = (j: number) => v.map((_, t) => (t === j ? Rational.ONE : Rational.ZERO));
  // columns: (point, weight per unit); <col_a, col_b> = y_a y_b G_ab Σ_j w_aj w_bj v_j²
  const cols = [
    ...R.map((i) => ({ point: i, w: v.map((_, j) => (state[j]![i] === 'on' ? Rational.ONE : Rational.ZERO)) })),
    ...R.flatMap((k) =>
      v
        .map((_, j) => j)
        .filter((j) => state[j]![k] === 'kink')
        .map((j) => ({ point: k, w: unit(j) })),
    ),
  ];
  const inner = (a: { point: number; w: Rational[] }, b: { point: number; w: Rational[] }) => {
    const t = v.reduce((acc, vj, j) => acc.add(vj.pow(2).mul(a.w[j]!).mul(b.w[j]!)), Rational.ZERO);
    const g = ctx.G[a.point]![b.point]!.mul(t);
    return ctx.data.y[a.point] === ctx.data.y[b.point] ? g : g.neg();
  };
  const K = cols.map((a) => cols.map((b) => inner(a, b)));
  const forgotten = F.map((r) => ({ point: r, w: v.map((_, j) => clarkeChoice(run, j, r)) }));
  const b = cols.map((c, a) =>
    a < R.length
      ? F.reduce((acc, r, t) => acc.add(lam[r]!.mul(inner(c, forgotten[t]!))), Rational.ZERO)
      : Rational.ZERO,
  );
  return quadInverse(K, b, b);
}

/**
 * T3's prediction for ||W~ - W*_R||² where T3's retraining happened (run.retrained set: an exact
 * KKT θ with no kinks on R), for a single forgotten point λ_r² kᵀ K_R⁻¹ k (k_i = y_i y_r K_ir),
 * for a forget set T3F's (b, 0)ᵀ K⁻¹ (b, 0) (setDistance2; no kink columns there); undefined
 * elsewhere, for linear runs, and when K_R is singular.
 */
export function t3Distance2(run: CaseRun): Rational | undefined {
  return run.retrained ? setDistance2(run) : undefined;
}
