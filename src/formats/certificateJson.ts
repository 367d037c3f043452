// The `unlearn-kkt/certificate@1` object of FORMAT.md from a pipeline run: the exact fields,
// the decision's failing conditions, and a `summary` of the same numbers as decimals.
import type { Rational } from '../exact/rational.ts';
import type { ScaledVec } from '../exact/vec.ts';
import type { Params } from '../models/params.ts';
import type { CaseRun, Decision } from '../unlearn/pipeline.ts';
import { decimal } from '../exact/decimal.ts';

const strs = (qs: readonly Rational[]) => qs.map(String);

function thetaJson(run: CaseRun, p: Params): string[] | string[][] {
  const rows = p.vectors().map((v: ScaledVec) => v.toStrings());
  return run.ctx.model.kind === 'linear' ? rows[0]! : rows;
}

export function certificateJson(run: CaseRun): Record<string, unknown> {
  const { before, after, inherited, retrained, decision } = run;
  const out: Record<string, unknown> = {
    format: 'unlearn-kkt/certificate@1',
    before: {
      margins: strs(before.margins),
      tau: String(before.tau),
      epsilon2: String(before.epsilon2),
      delta: String(before.delta),
      lambda: strs(before.lambda),
    },
    after: {
      theta: thetaJson(run, run.ga.params),
      margins: strs(after.margins),
      tau: String(after.tau),
      epsilon2: String(after.epsilon2),
      delta: String(after.delta),
      lambda: strs(after.lambda),
      inherited: { epsilon2: String(inherited.epsilon2), delta: String(inherited.delta) },
    },
    retrained: retrained && {
      theta: thetaJson(run, retrained.params),
      distance2: String(retrained.closeness.distance2),
      cos2: String(retrained.closeness.cos2),
    },
  };
  const failing = (f: Decision['failing'][number], show: (q: Rational) => string) => ({
    condition: f.condition,
    quantity: f.quantity,
    value: show(f.value),
    bound: show(f.bound),
    by: show(f.value.sub(f.bound)),
  });
  if (decision) {
    out.decision = {
      successful: decision.successful,
      epsilon2_min_under_delta: String(decision.epsilon2MinUnderDelta),
      failing: decision.failing.map((f) => failing(f, String)),
    };
  }
  // The same numbers as decimals, for reading (6 significant digits; the exact fields decide).
  const dec = (q: Rational) => decimal(q);
  out.summary = {
    before: { epsilon2: dec(before.epsilon2), delta: dec(before.delta), tau: dec(before.tau) },
    after: {
      epsilon2: dec(after.epsilon2),
      delta: dec(after.delta),
      tau: dec(after.tau),
      inherited: { epsilon2: dec(inherited.epsilon2), delta: dec(inherited.delta) },
    },
    retrained: retrained && {
      distance2: dec(retrained.closeness.distance2),
      cos2: dec(retrained.closeness.cos2),
    },
    ...(decision && {
      decision: {
        successful: decision.successful,
        epsilon2_min_under_delta: dec(decision.epsilon2MinUnderDelta),
        failing: decision.failing.map((f) => failing(f, dec)),
      },
    }),
  };
  return out;
}
