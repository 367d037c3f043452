// The fuzzed cases of `verify` (src/guard/fuzz.ts) are what they claim to be: valid case@1
// files with linearly independent data; every relu2 theta is an exact KKT point (T1:
// ε = δ = τ = 0 before unlearning); relu2/shifted has no kink, relu2/orthogonal is T1's
// closed form (src/kkt/polish.ts closedFormKKT, an independent construction).
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { rank } from '../src/exact/pivot.ts';
import { parseCase } from '../src/formats/case.ts';
import { arbFuzzParams, fuzzCase } from '../src/guard/fuzz.ts';
import { closedFormKKT } from '../src/kkt/polish.ts';
import { activation } from '../src/models/model.ts';
import { runCase } from '../src/unlearn/pipeline.ts';
import { params, tally } from './support.ts';

describe('fuzzed cases', () => {
  const stat = tally('guard fuzz');
  test.prop([arbFuzzParams({ maxGaussD: 32 })], params(60))(
    'valid, independent data; relu2 theta an exact KKT point',
    (p) => {
      const json = fuzzCase(p);
      stat('run');
      stat('degenerate (skipped by verify)', json === null);
      fc.pre(json !== null);
      const c = parseCase(json);
      expect(rank(c.data.x.map((x) => x.toRationals()))).toBe(c.data.x.length);
      const run = runCase(c);
      stat(`β step`, c.step.kind === 'beta');
      stat('forget set > 1', c.forget.length > 1);
      if (c.model.kind === 'linear') return;
      expect([run.before.epsilon2, run.before.tau, run.before.delta].map(String)).toEqual(['0', '0', '0']);
      const kinks = run.theta.pre.flat().filter((q) => activation(c.model, q) === 'kink').length;
      if (p.model === 'relu2' && p.family === 'shifted') expect(kinks).toBe(0);
      if (p.model === 'relu2' && p.family === 'orthogonal') {
        expect(kinks).toBeGreaterThan(0);
        const cf = closedFormKKT(c.data, c.model.v, run.ctx.G);
        expect(cf.params.vectors().every((w, j) => w.equals(c.theta![j]!))).toBe(true);
      }
    },
  );

  test.prop([arbFuzzParams({ families: ['relu2/shifted'] })], params(30))(
    'twin: relu2/shifted theta is not the orthogonal closed form (the class coordinate matters)',
    (p) => {
      const json = fuzzCase(p);
      fc.pre(json !== null);
      const c = parseCase(json);
      const model = c.model;
      if (model.kind !== 'relu2') throw new Error('relu2 expected');
      expect(() => closedFormKKT(c.data, model.v)).toThrow(/orthogonal/);
    },
  );
});
