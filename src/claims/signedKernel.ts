// The signed kernel of THEORY.md section 5 (a fixed pattern makes relu2 linear in W) and
// T3's predicted distance to retraining, λ_r² kᵀ K_R⁻¹ k: shared by claimT3 (relu2.ts) and
// the claim-file quantity dist2_t3 (quantities.ts).
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
 * T3's prediction λ_r² kᵀ K_R⁻¹ k (k_i = y_i y_r K_ir) for ||W~ - W*_R||², where T3's retraining
 * happened (run.retrained set, single forgotten point r); undefined elsewhere, for linear
 * runs, and when K_R is singular. `KR`: K_R if the caller has it.
 */
export function t3Distance2(run: CaseRun, KR?: Rational[][]): Rational | undefined {
  if (run.ctx.model.kind !== 'relu2' || run.forget.length !== 1 || !run.retrained) return undefined;
  const r = run.forget[0]!;
  const R = run.retained;
  const k = signedKernel(run, R, [r]).map((row) => row[0]!);
  return quadInverse(KR ?? signedKernel(run, R, R), k, k)?.mul(run.before.lambda[r]!.pow(2));
}
