// Verdicts at exact ReLU kinks (compare.ts, docs/FORMAT-result.md "What agrees means"),
// on relu2/kinked cases (src/guard/kinked.ts: non-dyadic rotated data, a unit with two
// non-orthogonal kinks, an interior Clarke choice at a point that may be forgotten).
//  - snapping projects a unit onto ALL its reference kinks: an output that hits one kink
//    exactly and misses a non-orthogonal one by a hair passes;
//  - at an exact kink of a forgotten point, autodiff's ReLU'(0) may come out as 1 under
//    rounding: the output computed with that branch agrees (and says so); under clarke, or
//    with an error elsewhere, it does not.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import type { ScaledVec } from '../src/exact/vec.ts';
import { parseCase } from '../src/formats/case.ts';
import { DEFAULT_RTOL, compareResult } from '../src/guard/compare.ts';
import { arbFuzzParams, fuzzCase, type FuzzParams } from '../src/guard/fuzz.ts';
import { functionSubject } from '../src/guard/subjects.ts';
import { verify } from '../src/guard/verify.ts';
import { gaFromCase } from '../src/float/gaFloat.ts';
import { runCase, type CaseRun } from '../src/unlearn/pipeline.ts';
import { params, runs, tally } from './support.ts';

const kinked = (forget: number[], gradient?: 'autodiff' | 'clarke') =>
  arbFuzzParams({ families: ['relu2/kinked'] }).map(
    (p) => ({ ...p, forget, ...(gradient ? { gradient } : {}) }) as FuzzParams,
  );

function refOf(p: FuzzParams): CaseRun | undefined {
  const c = fuzzCase(p);
  return c ? runCase(parseCase(c)) : undefined;
}

/** Unit 2 of θ~_ref moved by a hair along the part of x_1 orthogonal to x_0: hits the kink on x_0, misses the one on x_1. */
function offOneKink(run: CaseRun): ScaledVec[] {
  const [x0, x1] = run.ctx.data.x as [ScaledVec, ScaledVec];
  const z = x1.addScaled(x1.dot(x0).div(x0.norm2()).neg(), x0);
  let nu2 = DEFAULT_RTOL.mul(DEFAULT_RTOL).mul(run.ga.params.normSquared);
  nu2 = nu2.div(Rational.of(100));
  let hair = DEFAULT_RTOL;
  while (hair.mul(hair).mul(z.norm2()).gt(nu2)) hair = hair.div(Rational.of(2));
  return run.ga.params.vectors().map((w, j) => (j === 2 ? w.addScaled(hair, z) : w));
}

/** θ~ with ReLU'(0) = 1 at unit 0's kink on the forgotten x_1 (the other autodiff branch), plus `extra` on unit 1. */
function otherBranch(run: CaseRun, extra = Rational.ZERO): ScaledVec[] {
  const a = run.forget.indexOf(1);
  const c = run.ga.c[a]!.mul(Rational.of(-run.ctx.data.y[1]!));
  const v = (run.ctx.model as { v: readonly Rational[] }).v;
  return run.ga.params
    .vectors()
    .map((w, j) =>
      j === 0 ? w.addScaled(c.mul(v[0]!), run.ctx.data.x[1]!) : j === 1 ? w.addScaled(extra, run.ctx.data.x[0]!) : w,
    );
}

describe('verdicts at exact kinks (relu2/kinked)', () => {
  const stat = tally('guard kinks');
  test.prop([kinked([2])], params(15))(
    'snapping: a unit hitting one kink exactly and missing a non-orthogonal one passes',
    (p) => {
      const run = refOf(p);
      fc.pre(run !== undefined);
      const pre = run!.ga.params.pre[2]!;
      expect([pre[0]!.isZero(), pre[1]!.isZero(), run!.ctx.G[0]![1]!.isZero()]).toEqual([true, true, false]);
      const cmp = compareResult(run!, { theta: offOneKink(run!), claims: {} });
      stat('run');
      expect(cmp.snapped).toBeDefined();
      expect(cmp.verdict).toBe('pass');
    },
  );

  test.prop([kinked([1], 'autodiff')], params(15))(
    'rounding at a forgotten kink: the active autodiff branch agrees, and is named',
    (p) => {
      const run = refOf(p);
      fc.pre(run !== undefined && !run.ga.c[0]!.isZero());
      const cmp = compareResult(run!, { theta: otherBranch(run!), claims: {} });
      expect(cmp.branches).toEqual([{ block: 0, point: 1 }]);
      expect(cmp.verdict).toBe('pass');
      // the case's own branch still agrees, with no note
      const own = compareResult(run!, { theta: run!.ga.params.vectors(), claims: {} });
      expect([own.verdict, own.branches.length]).toEqual(['pass', 0]);
    },
  );

  test.prop([kinked([1, 2], 'autodiff')], params(10))(
    'twin: the other branch with an error elsewhere is a mismatch',
    (p) => {
      const run = refOf(p);
      fc.pre(run !== undefined && !run.ga.c[0]!.isZero());
      const cmp = compareResult(run!, { theta: otherBranch(run!, Rational.of(1, 100)), claims: {} });
      expect(cmp.verdict).toBe('mismatch');
    },
  );

  test.prop([kinked([1], 'clarke')], params(10))(
    'twin: under clarke (interior s) neither autodiff branch agrees',
    (p) => {
      const run = refOf(p);
      fc.pre(run !== undefined && !run.ga.c[0]!.isZero());
      const s = run!.ga.g[0]![0]!;
      expect(s.sign() > 0 && s.lt(Rational.ONE)).toBe(true);
      expect(compareResult(run!, { theta: otherBranch(run!), claims: {} }).verdict).toBe('mismatch');
      // autodiff's own branch (g = 0): the reference without unit 0's step
      const zero = run!.ga.params.vectors().map((w, j) => (j === 0 ? run!.theta.vectors()[0]! : w));
      expect(compareResult(run!, { theta: zero, claims: {} }).verdict).toBe('mismatch');
    },
  );

  test('the float64 subject (src/float) passes every relu2/kinked case', async () => {
    const rep = await verify({
      subject: functionSubject('gaFromCase', gaFromCase),
      fuzz: runs(40),
      seed: 11,
      fuzzOptions: { families: ['relu2/kinked'] },
    });
    expect(rep.failed.map((r) => `${r.name} ${r.status}: ${r.message} [${r.fuzz?.describe}]`)).toEqual([]);
    console.log(
      `[stats] float subject on relu2/kinked: ${rep.reports.length} cases, ${rep.reports.filter((r) => r.comparison?.snapped).length} snapped, ${rep.skipped} skipped`,
    );
  });
});
