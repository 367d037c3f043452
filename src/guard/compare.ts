// Compares a subject's θ~ with the exact reference of a case (docs/FORMAT-result.md).
// Every verdict is decided in exact rationals; floats only format the table.
//
// 1. Agreement: ||θ~_impl - θ~_ref||² <= rtol² S², S = ||θ~_ref|| (or ||θ|| when θ~_ref = 0).
// 2. D4 at the reference's own values: the subject's θ~, certified exactly w.r.t. the
//    retained points, must be (ε_ref + s_ε, δ_ref + s_δ, τ_ref + s_τ)-successful with
//      s_ε = rtol S,  s_τ = rtol S Rmax ||v||,  s_δ = s_τ λmax_ref
//    (Rmax = max ||x_i||, ||v|| = 1 for linear, λmax_ref the largest retained multiplier
//    of the reference). These are what an error of norm rtol S moves ε, τ and δ by under
//    the reference's own certificate, so for linear models (1) implies (2). For relu2 it
//    does not: a float cannot land ON an exact kink <w_j,x_i> = 0 of the reference, and
//    a pre-activation of 1e-17 forces s = 1 (or 0) where the certificate wanted the
//    other, so the exact ε of the float output jumps by ~λ_i |v_j| ||x_i||. Then (and
//    only then) the checks are repeated on θ' = the subject's θ~ projected exactly onto
//    those kinks (<θ'_j,x_i> = 0 for each reference kink the subject missed by at most
//    ν ||x_i||, ν = rtol S), with the projection distance added to every slack: the
//    subject passes as "snapped" when θ' (within ν of its output) is successful. This
//    is approximate stationarity with the Goldstein ν-subdifferential instead of the
//    Clarke one; the table still shows the exact values of the output itself. A unit
//    that missed a kink is projected onto ALL of its reference kinks (those it hit
//    exactly too): projecting onto the missed ones alone moves the others off zero
//    when the kink points are not orthogonal.
// 0. Forgotten kinks under rounding (autodiff): at an exact kink <w_j,x_r> = 0 of a
//    forgotten point a binary64 evaluation of a non-binary64 case may give ±1e-17, so
//    ReLU'(<w_j,x_r>) = 0 or 1 are both faithful. The branch of each such pair is read
//    from the output (one small exact solve per unit, no 2^k enumeration) and the
//    reference recomputed with it; every check below is then against that reference.
// 3. Claims: a claimed (ε, δ, τ) must hold of the subject's own θ~ with the same slacks.
import { Rational, maxOf } from '../exact/rational.ts';
import { sqrtEnclosure } from '../exact/enclosure.ts';
import type { ScaledVec } from '../exact/vec.ts';
import { solve } from '../exact/pivot.ts';
import { type Check, le, leRoots } from '../claims/check.ts';
import { activation } from '../models/model.ts';
import { Params } from '../models/params.ts';
import { type Certificate, certify } from '../kkt/certificate.ts';
import type { CaseRun } from '../unlearn/pipeline.ts';
import type { SubjectResult } from '../formats/result.ts';

/**
 * 1e-9. Measured on fuzzed cases (docs/FORMAT-result.md): float64 subjects stay below
 * 1e-12 (max 9.1e-13 in 500 cases), float32 ones reach 4e-8 (median) to 1.1e-6 (max in
 * 200), so 1e-9 separates them with room on both sides; 1e-6 would let float32 pass.
 */
export const DEFAULT_RTOL = Rational.of(1, 1_000_000_000);

export type Verdict = 'pass' | 'mismatch' | 'false-claim' | 'unsuccessful';

/** The D4 and claim checks of one parameter point. */
interface Judged {
  attained: Certificate;
  epsilon2UnderDelta: Rational;
  tauCheck: Check;
  epsCheck: Check;
  claims: Check[];
  /** the δ cap δ_ref + s_δ */
  deltaCap: Rational;
}

export interface Comparison {
  verdict: Verdict;
  /** ||Δθ||² / S² (exact) */
  relError2: Rational;
  agrees: boolean;
  /** the subject's optimal certificate w.r.t. the retained points (of its own output) */
  attained: Certificate;
  /** min ε² of the subject's θ~ under δ <= δ_ref + s_δ */
  epsilon2UnderDelta: Rational;
  /** D4 at the reference's values with slack (of the output, or of θ' when snapped) */
  successful: boolean;
  thresholds: { epsilon2: Rational; delta: Rational; tau: Rational };
  /** claims the subject made, each checked (empty when it claimed nothing) */
  claims: Check[];
  /** retained (block, point) pairs whose activation differs from the reference's */
  patternChanges: { block: number; point: number; reference: string; subject: string }[];
  /** forgotten kink pairs (autodiff) whose active branch the output took (header, 0.) */
  branches: { block: number; point: number }[];
  /** the subject's θ~ as read (exact; diagnose.ts reports it and its largest deviation) */
  output: ScaledVec[];
  /** the reference the output was compared with (the case's, or with those branches) */
  reference: { params: Params; after: Certificate };
  /** when the verdict needed the kink projection θ' (see header): its size and certificate */
  snapped?: { pairs: number; distance2: Rational; attained: Certificate };
  /** every exact check behind the verdict */
  checks: Check[];
}

function diffNorm2(a: readonly ScaledVec[], b: readonly ScaledVec[]): Rational {
  let s = Rational.ZERO;
  a.forEach((v, j) => (s = s.add(v.addScaled(Rational.ONE.neg(), b[j]!).norm2())));
  return s;
}

/** A rational upper enclosure of sqrt(q) (20 digits): slacks are stated rationals. */
const sqrtUp = (q: Rational) => (q.isZero() ? q : sqrtEnclosure(q, 20).hi);

/**
 * The autodiff branch at each exact kink of a forgotten point, read from the output.
 * Unit j's reference row moves by Σ_r g_jr u_r, u_r = -c_r y_r v_j x_r, when ReLU'(0) is
 * taken as g_jr = 1; the least-squares t of (out_j - ref_j) on those u_r is one exact solve
 * (Gram of the u_r), and g_jr = 1 where t_r > 1/2. Null when no pair changes.
 */
function readBranches(run: CaseRun, out: Params): { params: Params; pairs: { block: number; point: number }[] } | null {
  const { ctx } = run;
  if (ctx.model.kind !== 'relu2' || run.ga.g.length === 0) return null;
  const v = ctx.model.v;
  const ref = run.ga.params;
  const n = ctx.data.x.length;
  const coef: Rational[][] = v.map(() => new Array<Rational>(n).fill(Rational.ZERO));
  const pairs: { block: number; point: number }[] = [];
  for (let j = 0; j < v.length; j++) {
    const K: { r: number; c: Rational }[] = [];
    run.forget.forEach((r, a) => {
      if (run.ga.g[a]![j]!.isZero() && run.theta.pre[j]![r]!.isZero() && !run.ga.c[a]!.isZero()) {
        K.push({ r, c: run.ga.c[a]!.mul(Rational.of(-ctx.data.y[r]!)).mul(v[j]!) });
      }
    });
    if (K.length === 0) continue;
    const M = K.map((p) => K.map((q) => p.c.mul(q.c).mul(ctx.G[p.r]![q.r]!)));
    const rhs = K.map((p) => p.c.mul(out.pre[j]![p.r]!.sub(ref.pre[j]![p.r]!)));
    const t = solve(M, rhs);
    if (!t) continue;
    K.forEach((p, k) => {
      if (t[k]!.gt(Rational.of(1, 2))) {
        coef[j]![p.r] = p.c;
        pairs.push({ block: j, point: p.r });
      }
    });
  }
  return pairs.length ? { params: ref.plus(coef, ctx.data, ctx.G), pairs } : null;
}

/** θ~ with each block projected (least change, exactly) onto <θ_j, x_i> = 0 for i in kinks[j]. */
function projectOntoKinks(
  theta: readonly ScaledVec[],
  p: Params,
  ctx: CaseRun['ctx'],
  kinks: number[][],
): ScaledVec[] | null {
  const out: ScaledVec[] = [];
  for (let j = 0; j < theta.length; j++) {
    const K = kinks[j]!;
    if (K.length === 0) {
      out.push(theta[j]!);
      continue;
    }
    const a = solve(
      K.map((i) => K.map((k) => ctx.G[i]![k]!)),
      K.map((i) => p.pre[j]![i]!),
    );
    if (!a) return null;
    out.push(K.reduce((w, i, t) => w.addScaled(a[t]!.neg(), ctx.data.x[i]!), theta[j]!));
  }
  return out;
}

export function compareResult(run: CaseRun, result: SubjectResult, rtol: Rational = DEFAULT_RTOL): Comparison {
  const { ctx, retained } = run;
  const p = Params.fromVectors(result.theta, ctx.data);
  let branch = run.gradient === 'autodiff' ? readBranches(run, p) : null;
  // a branch read from an output that agrees with neither reference says nothing: judge against the case's
  if (branch && !diffNorm2(result.theta, branch.params.vectors()).le(rtol.mul(rtol).mul(branch.params.normSquared)))
    branch = null;
  const ref = branch?.params ?? run.ga.params;
  const refAfter = branch ? certify(ctx, ref, retained) : run.after;
  let scale2 = ref.normSquared;
  if (scale2.isZero()) scale2 = run.theta.normSquared;
  if (scale2.isZero()) scale2 = Rational.ONE;
  const diff2 = diffNorm2(result.theta, ref.vectors());
  const nu2 = rtol.mul(rtol).mul(scale2);
  const agreeCheck = le('verify', '||theta_impl - theta_ref||^2', diff2, nu2);

  // Slacks (see header) for a point within distance² e2 of the output: ν grows to ν + sqrt(e2).
  const R2max = maxOf(retained.map((i) => ctx.G[i]![i]!));
  const v2 =
    ctx.model.kind === 'linear' ? Rational.ONE : ctx.model.v.reduce((s, vj) => s.add(vj.mul(vj)), Rational.ZERO);
  const lambdaMax = maxOf(refAfter.lambda);
  const c = result.claims;

  const judgeAt = (params: Params, extra2: Rational): Judged => {
    const nuTerms = [nu2, extra2];
    const nuUp = nuTerms.reduce((s, t) => s.add(sqrtUp(t)), Rational.ZERO);
    const sTau = nuUp.isZero() ? nuUp : nuUp.mul(sqrtUp(R2max.mul(v2)));
    const sDelta = sTau.mul(lambdaMax);
    const T = refAfter.tau.add(sTau);
    const D = maxOf([refAfter.delta, Rational.ZERO]).add(sDelta);
    const attained = certify(ctx, params, retained);
    // The uncapped optimum already has the least δ among minimizers: no second QP when it fits.
    const underDelta = (cap: Rational) =>
      attained.delta.le(cap) ? attained.epsilon2 : certify(ctx, params, retained, { delta: cap }).epsilon2;
    const epsilon2UnderDelta = underDelta(D);
    const tauCheck = le('D4', 'tau (<= tau_ref + s_tau)', attained.tau, T);
    const epsCheck = leRoots(
      'D4',
      'epsilon2 under delta_ref + s_delta (<= (epsilon_ref + s_eps)^2)',
      epsilon2UnderDelta,
      [refAfter.epsilon2, ...nuTerms],
    );
    const claims: Check[] = [];
    if (c.tau) claims.push(le('claim', 'tau (<= claimed tau + s_tau)', attained.tau, c.tau.add(sTau)));
    if (c.epsilon) {
      const e2 = c.delta ? underDelta(c.delta.add(sDelta)) : attained.epsilon2;
      const what = c.delta ? 'epsilon2 under claimed delta + s_delta' : 'epsilon2';
      claims.push(
        leRoots('claim', `${what} (<= (claimed epsilon + s_eps)^2)`, e2, [c.epsilon.mul(c.epsilon), ...nuTerms]),
      );
    }
    return { attained, epsilon2UnderDelta, tauCheck, epsCheck, claims, deltaCap: D };
  };
  const holds = (j: Judged) => j.tauCheck.holds && j.epsCheck.holds && j.claims.every((k) => k.holds);

  const own = judgeAt(p, Rational.ZERO);

  const patternChanges: Comparison['patternChanges'] = [];
  if (ctx.model.kind === 'relu2') {
    for (let j = 0; j < p.blocks; j++) {
      for (const i of retained) {
        const a = activation(ctx.model, ref.pre[j]![i]!);
        const b = activation(ctx.model, p.pre[j]![i]!);
        if (a !== b) patternChanges.push({ block: j, point: i, reference: a, subject: b });
      }
    }
  }

  // Kinks of the reference the output missed by at most ν ||x_i||: project onto them.
  let judged = own;
  let snapped: Comparison['snapped'];
  const missed = patternChanges.filter(
    (ch) => ch.reference === 'kink' && p.pre[ch.block]![ch.point]!.pow(2).le(nu2.mul(ctx.G[ch.point]![ch.point]!)),
  );
  if (agreeCheck.holds && !holds(own) && missed.length > 0) {
    // every reference kink of a unit that missed one (the exact zeros included)
    const kinks = Array.from({ length: p.blocks }, (_, j) =>
      missed.some((ch) => ch.block === j) ? retained.filter((i) => ref.pre[j]![i]!.isZero()) : [],
    );
    const theta2 = projectOntoKinks(result.theta, p, ctx, kinks);
    if (theta2) {
      const distance2 = diffNorm2(theta2, result.theta);
      if (distance2.le(nu2)) {
        const at = judgeAt(Params.fromVectors(theta2, ctx.data), distance2);
        if (holds(at)) {
          judged = at;
          snapped = { pairs: missed.length, distance2, attained: at.attained };
        }
      }
    }
  }

  const successful = judged.tauCheck.holds && judged.epsCheck.holds;
  const claimsHold = judged.claims.every((k) => k.holds);
  const verdict: Verdict = !agreeCheck.holds
    ? 'mismatch'
    : !claimsHold
      ? 'false-claim'
      : !successful
        ? 'unsuccessful'
        : 'pass';
  return {
    verdict,
    relError2: diff2.div(scale2),
    agrees: agreeCheck.holds,
    attained: own.attained,
    epsilon2UnderDelta: own.epsilon2UnderDelta,
    successful,
    thresholds: { epsilon2: judged.epsCheck.bound, delta: judged.deltaCap, tau: judged.tauCheck.bound },
    claims: judged.claims,
    patternChanges,
    branches: branch?.pairs ?? [],
    output: result.theta,
    reference: { params: ref, after: refAfter },
    snapped,
    checks: [agreeCheck, judged.tauCheck, judged.epsCheck, ...judged.claims],
  };
}
