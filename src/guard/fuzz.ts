// Fuzzed cases for `unlearn-kkt verify`: fast-check arbitraries of plain-JSON parameters
// (so shrinking walks to small n, d, κ = 1, one forgotten point) mapped to case@1 objects.
//
// Families (all with linearly independent x, so the multipliers λ are unique and the
// reference's GA step is the only right answer):
//   linear/ints   small integers labelled by a hidden separator u (separable by construction)
//   linear/hadamard  Hadamard rows with a few flips (nearly orthogonal, exact ±1 data)
//   linear/gauss  Gaussian mixture in binary64, d up to 512 (float accumulation shows here)
//   relu2/shifted Hadamard rows h_i scaled by s_i, plus one class coordinate y_i t (t > 0):
//                 same-class <x_i,x_k> = t², cross-class -t². With neurons of both signs,
//                 w_j = v_j Σ_{y_i = sgn v_j} λ_i y_i x_i, λ_c = (V_c G_cc)^{-1} 1 (V_c =
//                 Σ_{sgn v_j = c} v_j²) is an exact KKT point with NO kinks (T1).
//   relu2/orthogonal  the same with t = 0: THEORY.md T1's closed form, kinks on every
//                 opposite-class pair (s = 0). Neuron counts and |v| are powers of two, so
//                 λ, θ and κ λ_r are dyadic and exactly representable in binary64.
//   relu2/kinked  kinked.ts: exact kinks floats cannot land on (non-dyadic, rotated data),
//                 one on a point with an interior Clarke choice 0 < s < 1, and a unit with
//                 two non-orthogonal kinks. n = 3, d = 4..6.
// Steps: κ in quarters (shrinks to 1) or β with a loss (as real code is called).
import * as fc from 'fast-check';
import { Rational } from '../exact/rational.ts';
import { ScaledVec, gram } from '../exact/vec.ts';
import { rank, solve } from '../exact/pivot.ts';
import type { Dataset, Label } from '../data/dataset.ts';
import { gaussianMixture, hadamardFlips, smallInts } from '../data/generators.ts';
import { maxMargin } from '../kkt/maxMargin.ts';
import { contextOf } from '../unlearn/pipeline.ts';
import { CASE_FORMAT } from '../formats/case.ts';
import { kinkedCase } from './kinked.ts';

export type StepParams = { kappa: number } | { beta: number; loss: 'logistic' | 'exponential' };

interface Common {
  /** raw choices, reduced modulo n (duplicates dropped, at most n - 1 kept) */
  forget: number[];
  step: StepParams;
}
export type LinearFuzz = Common & {
  model: 'linear';
  family: 'ints' | 'hadamard' | 'gauss';
  n: number;
  d: number;
  seed: number;
  /** ints: entry bound; hadamard: flips */
  extra: number;
  /** 0: theta null (the subject solves max margin); 1: θ = w*; 2: θ = (9/8) w* (not KKT) */
  theta: 0 | 1 | 2;
};
export type Relu2Fuzz = Common & {
  model: 'relu2';
  family: 'shifted' | 'orthogonal' | 'kinked';
  n: number;
  log2d: number;
  seed: number;
  /** log2 of the neuron count of each sign */
  log2mPos: number;
  log2mNeg: number;
  /** |v_j| = 2^vExp */
  vExp: number;
  /** the class coordinate t (shifted only) */
  shift: number;
  /** bit k: scale s_k = 2 instead of 1 */
  scales: number;
  gradient: 'autodiff' | 'clarke';
};
export type FuzzParams = LinearFuzz | Relu2Fuzz;

const seedArb = fc.integer({ min: 0, max: 2 ** 31 - 1 });
const forgetArb = fc.array(fc.nat({ max: 63 }), { minLength: 1, maxLength: 3 });
/** κ = (4 + k)/4 with k in [-4, 4] (κ in [0, 2]), or β = k/8 (k in 1..16). */
const stepArb: fc.Arbitrary<StepParams> = fc.oneof(
  fc.integer({ min: -4, max: 4 }).map((k) => ({ kappa: k })),
  fc.record({
    beta: fc.integer({ min: 1, max: 16 }),
    loss: fc.constantFrom('logistic' as const, 'exponential' as const),
  }),
);

export type Family =
  'linear/ints' | 'linear/hadamard' | 'linear/gauss' | 'relu2/shifted' | 'relu2/orthogonal' | 'relu2/kinked';

export interface FuzzOptions {
  models?: 'linear' | 'relu2' | 'both';
  /** only these families (overrides models) */
  families?: readonly Family[];
  /** largest d of the gauss family (default 512) */
  maxGaussD?: number;
}

export function arbFuzzParams(o: FuzzOptions = {}): fc.Arbitrary<FuzzParams> {
  const models = o.models ?? 'both';
  const lin = (
    family: LinearFuzz['family'],
    n: fc.Arbitrary<number>,
    d: fc.Arbitrary<number>,
    extra: fc.Arbitrary<number>,
  ) =>
    fc
      .record({
        n,
        d,
        seed: seedArb,
        extra,
        theta: fc.constantFrom(0 as const, 1 as const, 2 as const),
        forget: forgetArb,
        step: stepArb,
      })
      .map((r): FuzzParams => ({ model: 'linear', family, ...r }));
  const relu2 = (family: Relu2Fuzz['family']) =>
    fc
      .record({
        n: fc.integer({ min: 2, max: 6 }),
        log2d: fc.integer({ min: 2, max: 5 }),
        seed: seedArb,
        log2mPos: fc.integer({ min: 0, max: 2 }),
        log2mNeg: fc.integer({ min: 0, max: 2 }),
        vExp: fc.integer({ min: -1, max: 1 }),
        shift: fc.integer({ min: 1, max: 2 }),
        scales: fc.nat({ max: 63 }),
        gradient: fc.constantFrom('autodiff' as const, 'clarke' as const),
        forget: forgetArb,
        step: stepArb,
      })
      .map((r): FuzzParams => ({ model: 'relu2', family, ...r }));
  const all: [Family, fc.Arbitrary<FuzzParams>][] = [
    [
      'linear/ints',
      lin('ints', fc.integer({ min: 2, max: 5 }), fc.integer({ min: 2, max: 6 }), fc.integer({ min: 1, max: 4 })),
    ],
    [
      'linear/hadamard',
      lin('hadamard', fc.integer({ min: 2, max: 6 }), fc.integer({ min: 3, max: 6 }), fc.integer({ min: 0, max: 3 })),
    ],
    [
      'linear/gauss',
      lin('gauss', fc.integer({ min: 2, max: 6 }), fc.integer({ min: 8, max: o.maxGaussD ?? 512 }), fc.constant(0)),
    ],
    ['relu2/shifted', relu2('shifted')],
    ['relu2/orthogonal', relu2('orthogonal')],
    ['relu2/kinked', relu2('kinked')],
  ];
  const wanted = o.families ?? all.map(([f]) => f).filter((f) => models === 'both' || f.startsWith(models));
  const chosen = all.filter(([f]) => wanted.includes(f));
  if (chosen.length === 0) throw new RangeError('arbFuzzParams: no family selected');
  // linear and relu2 equally likely overall
  const lins = chosen.filter(([f]) => f.startsWith('linear')).map(([, a]) => a);
  const rels = chosen.filter(([f]) => f.startsWith('relu2')).map(([, a]) => a);
  const groups = [lins, rels].filter((g) => g.length).map((g) => fc.oneof(...g));
  return groups.length === 1 ? groups[0]! : fc.oneof(...groups);
}

const str = (v: ScaledVec) => v.toRationals().map(String);

function forgetOf(raw: readonly number[], n: number): number[] {
  const out: number[] = [];
  for (const r of raw) {
    const i = r % n;
    if (!out.includes(i) && out.length < n - 1) out.push(i);
  }
  return out;
}

function stepJson(s: StepParams): Record<string, string> {
  return 'kappa' in s
    ? { kappa: String(Rational.of(4 + s.kappa, 4)) }
    : { beta: String(Rational.of(s.beta, 8)), loss: s.loss };
}

function independent(data: Dataset): boolean {
  return rank(data.x.map((v) => v.toRationals())) === data.x.length;
}

function linearData(p: LinearFuzz): Dataset {
  if (p.family === 'gauss') return gaussianMixture({ n: p.n, d: p.d, seed: p.seed, mu: 1, sigma: 1 });
  if (p.family === 'hadamard') {
    const d = 2 ** p.d;
    return hadamardFlips({ n: Math.min(p.n, d), d, flips: p.extra, seed: p.seed });
  }
  // ints: labels from a hidden separator u; a point orthogonal to u is moved by u.
  const { x } = smallInts({ n: p.n, d: p.d, seed: p.seed, max: p.extra });
  const u = smallInts({ n: 1, d: p.d, seed: p.seed + 1, max: 3 }).x[0]!;
  const y: Label[] = [];
  const xs = x.map((xi) => {
    const s = xi.dot(u).sign();
    y.push(s < 0 ? -1 : 1);
    return s === 0 ? xi.addScaled(Rational.ONE, u) : xi;
  });
  return { x: xs, y };
}

/** The case@1 object of a fuzz parameter set, or null when it is degenerate (dependent x). */
export function fuzzCase(p: FuzzParams): Record<string, unknown> | null {
  return p.model === 'linear' ? linearCase(p) : relu2Case(p);
}

function linearCase(p: LinearFuzz): Record<string, unknown> | null {
  const data = linearData(p);
  if (!independent(data)) return null;
  const n = data.x.length;
  let theta: string[] | null = null;
  if (p.theta !== 0) {
    const all = Array.from({ length: n }, (_, i) => i);
    const w = maxMargin(contextOf({ kind: 'linear' }, data), all).params.vectors()[0]!;
    theta = str(p.theta === 1 ? w : w.times(Rational.of(9, 8)));
  }
  return {
    format: CASE_FORMAT,
    model: { kind: 'linear' },
    x: data.x.map(str),
    y: data.y.slice(),
    theta,
    forget: forgetOf(p.forget, n),
    step: stepJson(p.step),
  };
}

function relu2Case(p: Relu2Fuzz): Record<string, unknown> | null {
  if (p.family === 'kinked') return kinkedJson(p);
  const d = 2 ** p.log2d;
  const n = Math.min(p.n, d);
  const base = hadamardFlips({ n, d, flips: 0, seed: p.seed });
  // both classes present: point 0 is +1, point 1 is -1
  const y = base.y.map((v, i): Label => (i === 0 ? 1 : i === 1 ? -1 : v));
  const t = p.family === 'shifted' ? BigInt(p.shift) : 0n;
  const x = base.x.map((h, i) => {
    const s = (p.scales >> i) & 1 ? 2n : 1n;
    return ScaledVec.of([...h.ints.map((e) => e * s), BigInt(y[i]!) * t]);
  });
  const a = Rational.of(2).pow(p.vExp);
  const mPos = 2 ** p.log2mPos;
  const mNeg = 2 ** p.log2mNeg;
  const v = [...new Array<Rational>(mPos).fill(a), ...new Array<Rational>(mNeg).fill(a.neg())];
  const G = gram(x);
  const lambda = new Array<Rational>(n).fill(Rational.ZERO);
  for (const c of [1, -1] as const) {
    const I = y.map((yi, i) => (yi === c ? i : -1)).filter((i) => i >= 0);
    const V = a.mul(a).mul(Rational.of(c === 1 ? mPos : mNeg));
    const sol = solve(
      I.map((i) => I.map((k) => G[i]![k]!.mul(V))),
      I.map(() => Rational.ONE),
    );
    if (!sol) return null; // impossible: G_cc = D + t² 11ᵀ is positive definite
    I.forEach((i, k) => (lambda[i] = sol[k]!));
  }
  const W = v.map((vj) => {
    const c = vj.sign();
    return x.reduce(
      (w, xi, i) => (y[i] === c ? w.addScaled(vj.mul(lambda[i]!).mul(Rational.of(y[i]!)), xi) : w),
      ScaledVec.zeros(d + 1),
    );
  });
  return {
    format: CASE_FORMAT,
    model: { kind: 'relu2', v: v.map(String) },
    x: x.map(str),
    y,
    theta: W.map(str),
    forget: forgetOf(p.forget, n),
    step: stepJson(p.step),
    gradient: p.gradient,
  };
}

function kinkedJson(p: Relu2Fuzz): Record<string, unknown> | null {
  const k = kinkedCase({ seed: p.seed, k: 2 + (p.log2d % 3), vExp: p.vExp, third: (p.scales & 1) as 0 | 1 });
  if (!k) return null;
  return {
    format: CASE_FORMAT,
    model: { kind: 'relu2', v: k.v.map(String) },
    x: k.x.map(str),
    y: k.y,
    theta: k.theta.map(str),
    forget: forgetOf(p.forget, 3),
    step: stepJson(p.step),
    gradient: p.gradient,
  };
}

/** One line naming the parameters (for the table and the failure files). */
export function describeFuzz(p: FuzzParams): string {
  const step =
    'kappa' in p.step
      ? `kappa=${Rational.of(4 + p.step.kappa, 4)}`
      : `beta=${Rational.of(p.step.beta, 8)}/${p.step.loss}`;
  if (p.model === 'linear')
    return `linear/${p.family} n=${p.n} d=${p.family === 'hadamard' ? 2 ** p.d : p.d} seed=${p.seed} ${step}`;
  if (p.family === 'kinked')
    return `relu2/kinked n=3 d=${4 + (p.log2d % 3)} seed=${p.seed} v0=${Rational.of(2).pow(p.vExp)} ${step} ${p.gradient} forget=${forgetOf(p.forget, 3).join(',')}`;
  return `relu2/${p.family} n=${p.n} d=${2 ** p.log2d + 1} m=${2 ** p.log2mPos}+${2 ** p.log2mNeg} seed=${p.seed} ${step} ${p.gradient}`;
}
