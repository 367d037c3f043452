// What a person needs to act on a failing case (docs/FORMAT-result.md, .report.json): the
// reference θ~ and the subject's, the largest deviation between them, the reference step c_r
// with its κ and β, the forget set and the exact kinks. Exact values as strings, each with a
// `_decimal` beside it (6 significant digits, display only: the exact value is the verdict's).
import { Rational } from '../exact/rational.ts';
import { decimal } from '../exact/decimal.ts';
import { lossDerivativeEnclosure, midpoint } from '../exact/enclosure.ts';
import type { ScaledVec } from '../exact/vec.ts';
import { Params } from '../models/params.ts';
import type { CaseRun } from '../unlearn/pipeline.ts';
import type { Step } from '../unlearn/ga.ts';
import type { Comparison } from './compare.ts';

export interface Deviation {
  unit: number;
  coordinate: number;
  subject: Rational;
  reference: Rational;
}

/** The entry (unit j, coordinate t) where |subject - reference| is largest (first of ties); null when equal. */
export function largestDeviation(subject: readonly ScaledVec[], reference: readonly ScaledVec[]): Deviation | null {
  let best: Deviation | null = null;
  let size = Rational.ZERO;
  subject.forEach((row, j) => {
    const a = row.toRationals();
    const b = reference[j]!.toRationals();
    a.forEach((x, t) => {
      const d = x.sub(b[t]!).abs();
      if (d.gt(size)) [best, size] = [{ unit: j, coordinate: t, subject: x, reference: b[t]! }, d];
    });
  });
  return best;
}

/** "unit 1, coordinate 3: subject 0.5 vs reference 0.25" (linear: no unit). */
export function deviationText(d: Deviation, linear: boolean): string {
  return `${linear ? '' : `unit ${d.unit}, `}coordinate ${d.coordinate}: subject ${decimal(d.subject)} vs reference ${decimal(d.reference)}`;
}

const ex = (q: Rational) => q.toString();

/** { key: exact, key_decimal: 6 significant digits } (the decimal is for reading only) */
export function withDecimal(key: string, q: Rational): Record<string, string> {
  return { [key]: ex(q), [`${key}_decimal`]: decimal(q) };
}

/** θ~ as the case writes it (linear: d entries, relu2: m rows), exact and in decimals. */
function thetaPair(key: string, theta: readonly ScaledVec[], linear: boolean): Record<string, unknown> {
  const rows = theta.map((v) => v.toRationals());
  const shape = <T>(f: (q: Rational) => T) => (linear ? rows[0]!.map(f) : rows.map((r) => r.map(f)));
  return { [key]: shape(ex), [`${key}_decimal`]: shape((q) => decimal(q)) };
}

/** The β with c_r = -β ℓ'(q_r) (display only: ℓ' is transcendental; the enclosure is of -ℓ'); null if out of range. */
function betaFor(c: Rational, margin: Rational, loss: 'logistic' | 'exponential'): string | null {
  try {
    return decimal(c.div(midpoint(lossDerivativeEnclosure(loss, margin, 12))));
  } catch {
    return null;
  }
}

/** The reference step (THEORY.md D3): per forgotten point λ_r, q_r(θ), c_r, κ_r = c_r/λ_r and β_r. */
function stepJson(run: CaseRun, step: Step): Record<string, unknown> {
  const head =
    step.kind === 'kappa'
      ? { kind: 'kappa', ...withDecimal('kappa', step.kappa) }
      : { kind: 'beta', ...withDecimal('beta', step.beta), loss: step.loss };
  const points = run.forget.map((r, a) => {
    const lambda = run.before.lambda[r]!;
    const margin = run.before.margins[r]!;
    const c = run.ga.c[a]!;
    const e = run.ga.cEnclosure?.[a];
    return {
      point: r,
      ...withDecimal('lambda', lambda),
      ...withDecimal('margin', margin),
      ...withDecimal('c', c),
      ...(e && { c_enclosure: [ex(e.lo), ex(e.hi)] }),
      ...(lambda.isZero() ? { kappa: null } : withDecimal('kappa', c.div(lambda))),
      ...(step.kind === 'beta'
        ? {}
        : {
            beta_logistic_decimal: betaFor(c, margin, 'logistic'),
            beta_exponential_decimal: betaFor(c, margin, 'exponential'),
          }),
    };
  });
  return { ...head, points };
}

/** Exact kinks: of the compared reference θ~ (and how the subject read each), and of θ at forgotten points. */
function kinksJson(run: CaseRun, c: Comparison | undefined): Record<string, unknown> | undefined {
  if (run.ctx.model.kind !== 'relu2') return undefined;
  const ref = c?.reference.params ?? run.ga.params;
  const n = run.ctx.data.x.length;
  const out = c && Params.fromVectors(c.output, run.ctx.data).pre;
  const after: Record<string, unknown>[] = [];
  for (let j = 0; j < ref.blocks; j++) {
    for (let i = 0; i < n; i++) {
      if (!ref.pre[j]![i]!.isZero()) continue;
      const sub = out?.[j]![i];
      after.push({
        unit: j,
        point: i,
        retained: run.retained.includes(i),
        ...(sub && {
          subject_sign: sub.sign() > 0 ? 'on' : sub.sign() < 0 ? 'off' : 'kink',
          ...withDecimal('subject_pre', sub),
        }),
      });
    }
  }
  const forgotten: Record<string, unknown>[] = [];
  run.forget.forEach((r, a) => {
    for (let j = 0; j < run.theta.blocks; j++)
      if (run.theta.pre[j]![r]!.isZero()) forgotten.push({ unit: j, point: r, ...withDecimal('g', run.ga.g[a]![j]!) });
  });
  return {
    gradient: run.gradient,
    reference_after: after,
    theta_forgotten: forgotten,
    ...(c && { taken_active_by_rounding: c.branches.map((b) => ({ unit: b.block, point: b.point })) }),
  };
}

/** The fields a failing case's .report.json adds for diagnosis (all present ones; see the header). */
export function diagnosis(run: CaseRun, step: Step, c: Comparison | undefined): Record<string, unknown> {
  const linear = run.ctx.model.kind === 'linear';
  const ref = (c?.reference.params ?? run.ga.params).vectors();
  const dev = c && largestDeviation(c.output, ref);
  const kinks = kinksJson(run, c);
  return {
    forget: run.forget,
    reference: { ...thetaPair('theta_after', ref, linear), step: stepJson(run, step) },
    ...(c && thetaPair('subject_theta_after', c.output, linear)),
    ...(dev && {
      largest_deviation: {
        unit: dev.unit,
        coordinate: dev.coordinate,
        ...withDecimal('subject', dev.subject),
        ...withDecimal('reference', dev.reference),
        ...withDecimal('difference', dev.subject.sub(dev.reference)),
      },
    }),
    ...(kinks && { kinks }),
  };
}
