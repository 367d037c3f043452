// Claim files with a forget-set size (`forget`, docs/claims.md): every sample, mutation and
// shrink candidate forgets a valid set (distinct indices in range, of the claim's size, at
// least one retained point), a dropped row renumbers F onto the same rows, and the L4, T2F
// and T3F claim files read the very numbers claimL4, claimT2F and claimT3F check (pull_F is
// their τ bound, dist2_t3 T3F's prediction).
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { Rng } from '../src/data/random.ts';
import { NotSeparableError } from '../src/errors.ts';
import { claimL4 } from '../src/claims/linear.ts';
import { claimT2F, claimT3F } from '../src/claims/relu2Sets.ts';
import { type Claim, parseClaim } from '../src/study/explore/claimFile.ts';
import { NotApplicable, holds, sidesOf } from '../src/study/explore/dsl.ts';
import { type Explicit, forgetOf, sampleParams, smallExplicit } from '../src/study/explore/sample.ts';
import { caseOfSample, claimQuantities } from '../src/study/explore/evaluate.ts';
import { explicitOf, explicitShrinks, paramShrinks } from '../src/study/explore/shrink.ts';
import { mutate } from '../src/study/explore/search.ts';
import { type CaseRun, runCase } from '../src/unlearn/pipeline.ts';
import type { Rational } from '../src/exact/rational.ts';
import { runs } from './support.ts';

/** A smallInts claim with the given forget-set size (explicit rows, cheap to run). */
function withForget(forget: number | [number, number], n: [number, number] = [2, 7]): Claim {
  return parseClaim({
    format: 'unlearn-kkt/claim@1',
    name: 'forget-set sizes',
    model: 'linear',
    data: { generator: 'smallInts', n, d: [1, 4] },
    forget,
    conclude: ['tau >= 0'],
  });
}

/** Why F (r and also) is not a valid forget set of a claim on n rows, or '' when it is. */
function invalid(claim: Claim, s: { r: number; also?: number[] }, n: number, least = claim.forget!.lo): string {
  const F = forgetOf(s);
  if (s.also === undefined) return 'no also';
  if (F.some((f) => !Number.isInteger(f) || f < 0 || f >= n)) return `F = [${F}] out of [0, ${n})`;
  if (new Set(F).size !== F.length) return `F = [${F}] repeats an index`;
  if (F.length < least || F.length > claim.forget!.hi) return `|F| = ${F.length} outside the claim's size`;
  if (F.length >= n) return `F = [${F}] retains nothing of ${n} rows`;
  return '';
}

const rowKey = (e: Explicit, i: number) => `${e.y[i]}:${e.x[i]!.map(String).join(',')}`;

describe('claim files with a forget-set size', () => {
  test('without `forget`, samples have no also; forget 1..n-1 are accepted, 0 and n.lo are not', () => {
    const old = parseClaim({ ...JSON.parse(readFileSync('fixtures/claims/L2b.tau-bound.json', 'utf8')) });
    expect(old.forget).toBeUndefined();
    expect(sampleParams(old, new Rng(1)).also).toBeUndefined();
    expect(withForget([1, 3], [4, 6]).forget).toEqual({ lo: 1, hi: 3 });
    expect(() => withForget(0)).toThrow(/forget must be >= 1/);
    expect(() => withForget(2, [2, 5])).toThrow(/retains a point/);
  });

  test('samples, explicit draws and mutations forget sets of the claim size, distinct and in range', () => {
    const claim = withForget([2, 4], [3, 7]);
    const sizes = new Set<number>();
    for (let k = 0; k < runs(300); k++) {
      const rng = new Rng(k);
      const p = sampleParams(claim, rng);
      const least = Math.min(claim.forget!.lo, p.n - 1);
      expect(invalid(claim, p, p.n, least), `sample ${k}`).toBe('');
      sizes.add(forgetOf(p).length);
      const c = caseOfSample(claim, p);
      expect(c?.forget).toEqual(forgetOf(p));
      const q = mutate(claim, p, rng);
      expect(invalid(claim, q, q.n, Math.min(claim.forget!.lo, q.n - 1)), `mutation of ${k}`).toBe('');
      const e = smallExplicit(claim, rng);
      expect(invalid(claim, e, e.x.length), `explicit ${k}`).toBe('');
    }
    expect([...sizes].sort()).toEqual([2, 3, 4]);
  });

  test('every shrink candidate forgets a valid set; a dropped row keeps F on the same rows', () => {
    const claim = withForget([1, 3], [2, 7]);
    let dropped = 0;
    for (let k = 0; k < runs(200); k++) {
      const rng = new Rng(1000 + k);
      const p = sampleParams(claim, rng);
      for (const s of paramShrinks(claim, p)) expect(invalid(claim, s, s.n), `param shrink of ${k}`).toBe('');
      const e = rng.nextInt(0, 1) ? explicitOf(claim, p) : smallExplicit(claim, rng);
      const before = forgetOf(e).map((f) => rowKey(e, f));
      for (const s of explicitShrinks(claim, e)) {
        expect(invalid(claim, s, s.x.length), `explicit shrink of ${k}`).toBe('');
        if (s.x.length < e.x.length) {
          dropped++;
          expect(
            forgetOf(s).map((f) => rowKey(s, f)),
            `rows dropped from ${k}`,
          ).toEqual(before);
        }
      }
    }
    expect(dropped).toBeGreaterThan(0);
  });

  // One source of truth: each file's comparison reads the claim function's measured value and bound.
  const AGREE = [
    {
      file: 'fixtures/boundaries/L4.set-under-NO.json',
      checks: claimL4,
      of: [
        ['L4', 'epsilon2_inherited'],
        ['L4', 'tau'],
      ],
      samples: 40,
    },
    // relu2 trains per sample: a small budget
    {
      file: 'fixtures/boundaries/T2F.stable-set-is-exact.json',
      checks: claimT2F,
      of: [null, ['T2F(a)', 'tau']],
      samples: 60,
    },
    // inside the file's assumption claimT3F applies: dist2_t3 is its prediction, dist2_retrain its distance
    {
      file: 'fixtures/boundaries/T3F.set-distance.json',
      checks: (run: CaseRun) => claimT3F(run) ?? [],
      of: [['T3F', 'distance2']],
      samples: 60,
    },
  ] as const;
  for (const { file, checks: claimChecks, of, samples } of AGREE) {
    test(`${file} reads its claim function's checks`, () => {
      const claim = parseClaim(JSON.parse(readFileSync(file, 'utf8')));
      const root = new Rng(7);
      let inside = 0;
      for (let k = 0; k < runs(samples); k++) {
        const c = caseOfSample(claim, sampleParams(claim, root.fork(k)));
        if (!c) continue;
        let run;
        try {
          run = runCase(c);
        } catch (e) {
          if (e instanceof NotSeparableError) continue;
          throw e;
        }
        const q = claimQuantities(c, run) as Record<string, Rational | undefined>;
        expect(run.forget.length).toBeGreaterThanOrEqual(2);
        let inAssume: boolean;
        try {
          inAssume = claim.assume.every((a) => holds(a, q));
        } catch (e) {
          if (e instanceof NotApplicable) continue; // step_margin undefined: a kink in reach
          throw e;
        }
        if (!inAssume) continue;
        inside++;
        const checks = claimChecks(run);
        claim.conclude.forEach((conc, i) => {
          const id = of[i];
          if (!id) return; // T2F(b)'s bound is a sum of roots: the file states its corollary ε <= ε0
          const check = checks.find((ch) => ch.claim === id[0] && ch.quantity === id[1])!;
          const sides = sidesOf(conc, q)!;
          expect(sides.lhs.eq(check.measured), `sample ${k} conclude[${i}] lhs`).toBe(true);
          expect(sides.rhs.eq(check.bound), `sample ${k} conclude[${i}]: ${sides.rhs} vs ${check.bound}`).toBe(true);
          expect(holds(conc, q)).toBe(check.holds);
        });
      }
      expect(inside).toBeGreaterThan(0);
    });
  }
});
