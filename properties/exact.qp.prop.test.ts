// The exact optimizers against brute-force enumeration written here:
// (a) `certify` (D2: box-constrained least squares over λ, optional δ cap) vs enumeration
//     of active sets; (b) `maxMargin` (dual LCP) vs enumeration of support sets, including
//     non-separable data; (c) `lemke` on random PSD LCPs: exact complementarity, and
//     infeasible iff no complementary basis solves it. Each has a live twin that fails.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { ScaledVec } from '../src/exact/vec.ts';
import { solve } from '../src/exact/pivot.ts';
import { lemke } from '../src/exact/lcp.ts';
import { makeDataset, type Dataset, type Label } from '../src/data/dataset.ts';
import { Params } from '../src/models/params.ts';
import { certify } from '../src/kkt/certificate.ts';
import { maxMargin } from '../src/kkt/maxMargin.ts';
import { contextOf } from '../src/unlearn/pipeline.ts';
import { InputError, NotSeparableError } from '../src/errors.ts';

const RUNS = Number(process.env.FC_RUNS ?? 200);
const opts = { numRuns: RUNS, interruptAfterTimeLimit: 5000 };
const R = (n: number | bigint, d: number | bigint = 1) => Rational.of(n, d);
const ZERO = Rational.ZERO;

// ---- plain Rational helpers (independent of the code under test, except `solve`,
// which exact.solve.prop.test.ts checks against mathjs) ----

const dot = (a: readonly Rational[], b: readonly Rational[]) => a.reduce((s, v, k) => s.add(v.mul(b[k]!)), ZERO);
const sumOf = (a: readonly Rational[]) => a.reduce((s, v) => s.add(v), ZERO);
const matVec = (A: readonly (readonly Rational[])[], x: readonly Rational[]) => A.map((row) => dot(row, x));
const pick = <T>(xs: readonly T[], idx: readonly number[]) => idx.map((i) => xs[i]!);

// ---- data ----

interface Problem {
  x: Rational[][];
  y: Label[];
  theta: Rational[];
}

const small = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }).map((n) => R(n)) },
  {
    weight: 1,
    arbitrary: fc
      .record({ n: fc.integer({ min: -6, max: 6 }), d: fc.integer({ min: 1, max: 4 }) })
      .map(({ n, d }) => R(n, d)),
  },
);

const arbProblem: fc.Arbitrary<Problem> = fc
  .record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 4 }) })
  .chain(({ n, d }) =>
    fc.record({
      x: fc.array(fc.array(small, { minLength: d, maxLength: d }), { minLength: n, maxLength: n }),
      y: fc.array(fc.constantFrom<Label>(1, -1), { minLength: n, maxLength: n }),
      theta: fc.array(small, { minLength: d, maxLength: d }),
    }),
  )
  .map((p) => ({
    ...p,
    [fc.toStringMethod]: () => JSON.stringify({ x: p.x.map((r) => r.map(String)), y: p.y, theta: p.theta.map(String) }),
  }));

const arbDelta = fc.option(
  fc.oneof(
    fc.constant(ZERO),
    fc.record({ n: fc.integer({ min: 1, max: 6 }), d: fc.integer({ min: 1, max: 4 }) }).map(({ n, d }) => R(n, d)),
  ),
  { nil: undefined },
);

// ---- (a) box-constrained least squares by enumeration of active sets ----

interface BoxLS {
  /** a KKT point: λ and its residual ||θ - Σ λ_i y_i x_i||² */
  points: { lambda: Rational[]; eps2: Rational }[];
}

/**
 * minimize ||θ - Σ λ_i a_i||², a_i = y_i x_i, over 0 <= λ_i <= u_i (u_i = ∞ when null).
 * Each variable is at 0, at u_i, or free; the free ones solve the normal equations.
 * Some minimizer has linearly independent free columns (move along a null direction
 * until a variable hits 0), so skipping singular free sets loses no minimum.
 * `signs = false` drops all bound and gradient conditions: the unconstrained minimum.
 */
function boxLS(p: Problem, u: readonly (Rational | null)[], signs = true): BoxLS {
  const n = p.x.length;
  const a = p.x.map((xi, i) => xi.map((v) => (p.y[i] === 1 ? v : v.neg())));
  const G = a.map((ai) => a.map((ak) => dot(ai, ak)));
  const c = a.map((ai) => dot(ai, p.theta));
  const t2 = dot(p.theta, p.theta);
  const points: BoxLS['points'] = [];
  const states = new Array<0 | 1 | 2>(n).fill(0); // 0: at 0, 1: at u, 2: free
  const visit = (i: number): void => {
    if (i === n) {
      const F = states.flatMap((s, k) => (s === 2 ? [k] : []));
      const lambda = states.map((s, k) => (s === 1 ? u[k]! : ZERO));
      const rhs = F.map((f) => c[f]!.sub(dot(G[f]!, lambda)));
      const sol = solve(
        F.map((f) => F.map((g) => G[f]![g]!)),
        rhs,
      );
      if (sol === null) return;
      F.forEach((f, k) => (lambda[f] = sol[k]!));
      if (signs) {
        if (!lambda.every((l, k) => l.sign() >= 0 && (u[k] === null || l.le(u[k]!)))) return;
        const g = matVec(G, lambda).map((v, k) => v.sub(c[k]!)); // gradient/2
        if (!states.every((s, k) => (s === 0 ? g[k]!.sign() >= 0 : s === 1 ? g[k]!.sign() <= 0 : true))) return;
      }
      points.push({ lambda, eps2: t2.sub(dot(c, lambda).mul(R(2))).add(dot(lambda, matVec(G, lambda))) });
      return;
    }
    for (const s of [0, 1, 2] as const) {
      if (s === 1 && u[i] === null) continue;
      states[i] = s;
      visit(i + 1);
    }
  };
  visit(0);
  return { points };
}

/** Upper bounds of D2's (C): λ_i <= δ/(q_i - 1) when q_i > 1, with q_i = y_i <θ, x_i>. */
function upper(p: Problem, delta: Rational | undefined): (Rational | null)[] {
  return p.x.map((xi, i) => {
    if (delta === undefined) return null;
    const q = p.y[i] === 1 ? dot(xi, p.theta) : dot(xi, p.theta).neg();
    return q.gt(Rational.ONE) ? delta.div(q.sub(Rational.ONE)) : null;
  });
}

function certifyProblem(p: Problem, delta: Rational | undefined) {
  const data = makeDataset(p.x, p.y);
  const ctx = contextOf({ kind: 'linear' }, data);
  const params = Params.fromVectors([ScaledVec.fromRationals(p.theta)], data);
  const all = p.x.map((_, i) => i);
  return certify(ctx, params, all, delta === undefined ? {} : { delta });
}

/** ||θ - Σ λ_i y_i x_i||² computed directly in R^d. */
function residual(p: Problem, lambda: readonly Rational[]): Rational {
  const r = p.theta.map((t, k) =>
    p.x.reduce((s, xi, i) => s.sub(lambda[i]!.mul(p.y[i] === 1 ? xi[k]! : xi[k]!.neg())), t),
  );
  return dot(r, r);
}

describe('(a) certify = box-constrained least squares (enumeration of active sets)', () => {
  const stats = { capped: 0, interior: 0, degenerate: 0, zero: 0, deltaTradeoff: 0 };
  test.prop([arbProblem, arbDelta], opts)(
    'same minimum ε²; a feasible minimizer with least δ, then least norm; δ as defined',
    (p, delta) => {
      const u = upper(p, delta);
      const bf = boxLS(p, u);
      expect(bf.points.length).toBeGreaterThan(0); // λ = 0 side of some KKT point always exists
      const min = bf.points.reduce((m, q) => (q.eps2.lt(m) ? q.eps2 : m), bf.points[0]!.eps2);
      // every KKT point of a convex problem is a minimizer: the brute force is consistent
      for (const q of bf.points) expect(q.eps2.eq(min)).toBe(true);

      const cert = certifyProblem(p, delta);
      expect(cert.epsilon2.toString()).toBe(min.toString());
      // the returned λ is feasible and attains ε²
      cert.lambda.forEach((l, i) => {
        expect(l.sign()).toBeGreaterThanOrEqual(0);
        if (u[i] !== null) expect(l.le(u[i]!)).toBe(true);
      });
      expect(residual(p, cert.lambda).eq(cert.epsilon2)).toBe(true);
      // margins, τ, δ by their definitions
      const q = p.x.map((xi, i) => (p.y[i] === 1 ? dot(xi, p.theta) : dot(xi, p.theta).neg()));
      // canonical choice (certificate.ts): among the minimizers the least clipped δ
      // t* = max(0, max_a λ_a (q_a - 1)), then the least norm among those with δ <= t*
      const clipped = (lam: readonly Rational[]) =>
        lam.reduce((m, l, i) => m.max(l.mul(q[i]!.sub(Rational.ONE))), ZERO);
      const tStar = clipped(cert.lambda);
      const n2 = dot(cert.lambda, cert.lambda);
      for (const pt of bf.points) {
        const t = clipped(pt.lambda);
        expect(tStar.le(t)).toBe(true);
        if (t.le(tStar)) expect(n2.le(dot(pt.lambda, pt.lambda))).toBe(true);
      }
      if (tStar.sign() > 0) {
        // no minimizer has δ <= 999/1000 t*: the brute force under that (tighter) cap loses
        const tighter = tStar.mul(R(999, 1000));
        const capped = boxLS(
          p,
          upper(p, tighter).map((v, i) => (v === null ? u[i]! : u[i] === null ? v : v.min(u[i]!))),
        );
        for (const pt of capped.points) expect(pt.eps2.gt(min)).toBe(true);
        stats.deltaTradeoff++;
      }
      expect(cert.margins.map(String)).toEqual(q.map(String));
      const tau = q.reduce((t, qi) => t.max(Rational.ONE.sub(qi)), ZERO);
      expect(cert.tau.eq(tau)).toBe(true);
      const prods = cert.lambda.map((l, i) => l.mul(q[i]!.sub(Rational.ONE)));
      expect(cert.delta.eq(prods.reduce((m, v) => m.max(v)))).toBe(true);
      if (delta !== undefined) expect(cert.delta.le(delta)).toBe(true);

      if (u.some((v, i) => v !== null && cert.lambda[i]!.eq(v))) stats.capped++;
      if (cert.lambda.some((l) => l.sign() > 0)) stats.interior++;
      if (bf.points.length > 1) stats.degenerate++;
      if (cert.epsilon2.isZero()) stats.zero++;
    },
  );
  test('interesting cases occurred (cap active, λ > 0, several minimizers, ε² = 0, δ > 0 forced)', () => {
    expect(stats.capped).toBeGreaterThan(0);
    expect(stats.interior).toBeGreaterThan(0);
    expect(stats.degenerate).toBeGreaterThan(0);
    expect(stats.zero).toBeGreaterThan(0);
    expect(stats.deltaTradeoff).toBeGreaterThan(0);
  });

  test('fixed example: θ outside the cone, and the δ cap', () => {
    // one point x = (1, 0), θ = (3, 1): λ = 3, ε² = 1; with δ = 1 and q = 3: λ <= 1/2, ε² = (5/2)² + 1
    const p: Problem = { x: [[R(1), R(0)]], y: [1], theta: [R(3), R(1)] };
    expect(certifyProblem(p, undefined).epsilon2.toString()).toBe('1');
    expect(certifyProblem(p, undefined).lambda.map(String)).toEqual(['3']);
    expect(certifyProblem(p, R(1)).epsilon2.toString()).toBe('29/4');
    // θ = -x: λ = 0, ε² = ||θ||²
    expect(certifyProblem({ x: [[R(1), R(2)]], y: [1], theta: [R(-1), R(-2)] }, undefined).epsilon2.toString()).toBe(
      '5',
    );
  });

  test('live twin: the unconstrained least squares (λ of any sign) is refuted', () => {
    const r = fc.check(
      fc.property(arbProblem, (p) => {
        const free = boxLS(
          p,
          p.x.map(() => null),
          false,
        );
        const min = free.points.reduce((m, q) => (q.eps2.lt(m) ? q.eps2 : m), free.points[0]!.eps2);
        return certifyProblem(p, undefined).epsilon2.eq(min);
      }),
      { numRuns: 200, seed: 1 },
    );
    expect(r.failed).toBe(true);
  });

  test('live twin: a perturbed certificate fails the checker', () => {
    const r = fc.check(
      fc.property(arbProblem, fc.nat(), (p, k) => {
        const cert = certifyProblem(p, undefined);
        const lam = cert.lambda.slice();
        lam[k % lam.length] = lam[k % lam.length]!.add(R(1, 3));
        return lam.every((l) => l.sign() >= 0) && residual(p, lam).eq(cert.epsilon2);
      }),
      { numRuns: 200, seed: 2 },
    );
    expect(r.failed).toBe(true);
  });
});

// ---- (b) max-margin by enumeration of support sets ----

interface MMProblem {
  x: Rational[][];
  y: Label[];
}

function dataOf(p: MMProblem): Dataset {
  return makeDataset(p.x, p.y);
}

/**
 * All support sets S with G_SS λ_S = 1 (G_SS nonsingular), λ_S >= 0 and every margin
 * (Gλ)_k >= 1. Non-empty iff the data is separable (some dual solution has linearly
 * independent support vectors). Returns the margins and ||w||² = 1ᵀλ of each.
 */
function bruteMaxMargin(p: MMProblem): { norm2: Rational; margins: Rational[] }[] {
  const n = p.x.length;
  const G = p.x.map((xi, i) => p.x.map((xk, k) => (p.y[i] === p.y[k] ? dot(xi, xk) : dot(xi, xk).neg())));
  const out: { norm2: Rational; margins: Rational[] }[] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const S = Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));
    const sol = solve(
      S.map((i) => pick(G[i]!, S)),
      S.map(() => Rational.ONE),
    );
    if (sol === null || sol.some((l) => l.sign() < 0)) continue;
    const lambda = new Array<Rational>(n).fill(ZERO);
    S.forEach((i, k) => (lambda[i] = sol[k]!));
    const margins = matVec(G, lambda);
    if (margins.some((m) => m.lt(Rational.ONE))) continue;
    out.push({ norm2: sumOf(sol), margins });
  }
  return out;
}

const intRows = (n: [number, number], d: [number, number], max = 3) =>
  fc.record({ n: fc.integer({ min: n[0], max: n[1] }), d: fc.integer({ min: d[0], max: d[1] }) }).chain(({ n, d }) =>
    fc.record({
      x: fc.array(fc.array(fc.integer({ min: -max, max }), { minLength: d, maxLength: d }), {
        minLength: n,
        maxLength: n,
      }),
      y: fc.array(fc.constantFrom<Label>(1, -1), { minLength: n, maxLength: n }),
    }),
  );

const asMM = (x: number[][], y: Label[]): MMProblem =>
  Object.assign({ x: x.map((r) => r.map((v) => R(v))), y }, { [fc.toStringMethod]: () => JSON.stringify({ x, y }) });

/** Random small integer data (often non-separable when n > d). */
const arbRaw = intRows([1, 6], [1, 3]).map(({ x, y }) => asMM(x, y));
/** Separable by construction: labels are sign(<w0, x>) (points on the hyperplane dropped/moved). */
const arbSeparable = fc
  .record({
    rows: intRows([1, 6], [1, 4]),
    w0: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 4, maxLength: 4 }),
  })
  .map(({ rows, w0 }) => {
    const d = rows.x[0]!.length;
    const w = w0.slice(0, d);
    if (w.every((v): boolean => v === 0)) w[0] = 1;
    const x = rows.x.map((r) => {
      const s = r.reduce((acc, v, k) => acc + v * w[k]!, 0);
      return s === 0 ? w.slice() : r;
    });
    const y = x.map((r): Label => (r.reduce((acc, v, k) => acc + v * w[k]!, 0) > 0 ? 1 : -1));
    return asMM(x, y);
  });
/** Non-separable by construction: the negation of a point with the same label, or a zero point. */
const arbNonSeparable = fc
  .record({ rows: intRows([1, 5], [1, 3]), k: fc.nat(), zero: fc.boolean() })
  .map(({ rows, k, zero }) => {
    const i = k % rows.x.length;
    const extra = zero ? rows.x[i]!.map(() => 0) : rows.x[i]!.map((v) => -v);
    return asMM([...rows.x, extra], [...rows.y, rows.y[i]!]);
  });

describe('(b) maxMargin = enumeration of support sets', () => {
  const stats = { separable: 0, nonSeparable: 0, dropped: 0 };
  test.prop([fc.oneof(arbRaw, arbSeparable, arbNonSeparable)], opts)(
    'same ||w||² and margins; InputError iff no support set is feasible',
    (p) => {
      const bf = bruteMaxMargin(p);
      const data = dataOf(p);
      const ctx = contextOf({ kind: 'linear' }, data);
      const all = p.x.map((_, i) => i);
      if (bf.length === 0) {
        stats.nonSeparable++;
        expect(() => maxMargin(ctx, all)).toThrow(NotSeparableError);
        return;
      }
      stats.separable++;
      const mm = maxMargin(ctx, all);
      // w is unique: every feasible support set gives the same norm and margins
      for (const s of bf) {
        expect(s.norm2.eq(bf[0]!.norm2)).toBe(true);
        expect(s.margins.map(String)).toEqual(bf[0]!.margins.map(String));
      }
      expect(mm.params.normSquared.toString()).toBe(bf[0]!.norm2.toString());
      const margins = mm.params.pre[0]!.map((v, i) => (p.y[i] === 1 ? v : v.neg()));
      expect(margins.map(String)).toEqual(bf[0]!.margins.map(String));
      // the dual λ solves the LCP: λ >= 0, margins >= 1, complementarity, ||w||² = 1ᵀλ
      mm.lambda.forEach((l, i) => {
        expect(l.sign()).toBeGreaterThanOrEqual(0);
        expect(l.mul(margins[i]!.sub(Rational.ONE)).isZero()).toBe(true);
      });
      expect(sumOf(mm.lambda).eq(mm.params.normSquared)).toBe(true);
      // w = Σ λ_i y_i x_i in R^d
      const w = mm.params.vectors()[0]!.toRationals();
      const w2 = p.x[0]!.map((_, k) => p.x.reduce((s, xi, i) => s.add(mm.coef[0]![i]!.mul(xi[k]!)), ZERO));
      expect(w.map(String)).toEqual(w2.map(String));
      if (mm.lambda.some((l) => l.isZero())) stats.dropped++;
    },
  );
  test('separable (with dropped support vectors) and non-separable data both occurred', () => {
    expect(stats.separable).toBeGreaterThan(0);
    expect(stats.nonSeparable).toBeGreaterThan(0);
    expect(stats.dropped).toBeGreaterThan(0);
  });

  test('fixed examples (THEORY.md section 7)', () => {
    const p = asMM(
      [
        [3, 0],
        [1, 1],
      ],
      [1, 1],
    );
    const mm = maxMargin(contextOf({ kind: 'linear' }, dataOf(p)), [0, 1]);
    expect(mm.lambda.map(String)).toEqual(['0', '1/2']);
    expect(mm.params.normSquared.toString()).toBe('1/2');
    const bad = asMM(
      [
        [1, 2],
        [-1, -2],
      ],
      [1, 1],
    );
    expect(() => maxMargin(contextOf({ kind: 'linear' }, dataOf(bad)), [0, 1])).toThrow(/not separable/);
  });

  test('live twin: "every point is a support vector" (L1 without NO) is refuted', () => {
    const r = fc.check(
      fc.property(arbSeparable, (p) => {
        const G = p.x.map((xi, i) => p.x.map((xk, k) => (p.y[i] === p.y[k] ? dot(xi, xk) : dot(xi, xk).neg())));
        const lam = solve(
          G,
          p.x.map(() => Rational.ONE),
        );
        const mm = maxMargin(
          contextOf({ kind: 'linear' }, dataOf(p)),
          p.x.map((_, i) => i),
        );
        return lam !== null && sumOf(lam).eq(mm.params.normSquared);
      }),
      { numRuns: 200, seed: 3 },
    );
    expect(r.failed).toBe(true);
  });
});

// ---- (c) Lemke on PSD LCPs ----

interface LCP {
  M: Rational[][];
  q: Rational[];
}

/** M = BᵀB + K (K skew-symmetric) is positive semidefinite: zᵀMz = ||Bz||². */
const arbLCP: fc.Arbitrary<LCP> = fc
  .record({ n: fc.integer({ min: 1, max: 5 }), k: fc.integer({ min: 1, max: 5 }) })
  .chain(({ n, k }) =>
    fc.record({
      B: fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }), {
        minLength: k,
        maxLength: k,
      }),
      K: fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: n, maxLength: n }), {
        minLength: n,
        maxLength: n,
      }),
      q: fc.array(fc.record({ a: fc.integer({ min: -8, max: 4 }), b: fc.integer({ min: 1, max: 3 }) }), {
        minLength: n,
        maxLength: n,
      }),
      skew: fc.boolean(),
    }),
  )
  .map(({ B, K, q, skew }) => {
    const n = q.length;
    const M = Array.from({ length: n }, (_, i) =>
      Array.from({ length: n }, (_, j) => {
        const btb = B.reduce((s, row) => s + row[i]! * row[j]!, 0);
        return R(btb + (skew ? K[i]![j]! - K[j]![i]! : 0));
      }),
    );
    const lcp = { M, q: q.map(({ a, b }) => R(a, b)) };
    return Object.assign(lcp, {
      [fc.toStringMethod]: () => JSON.stringify({ M: M.map((r) => r.map(String)), q: lcp.q.map(String) }),
    });
  });

/** w = Mz + q, z >= 0, w >= 0, z·w = 0, exactly. */
function isLcpSolution(p: LCP, z: readonly Rational[], w: readonly Rational[]): boolean {
  const Mzq = matVec(p.M, z).map((v, i) => v.add(p.q[i]!));
  return (
    z.length === p.q.length &&
    Mzq.every((v, i) => v.eq(w[i]!)) &&
    z.every((v) => v.sign() >= 0) &&
    w.every((v) => v.sign() >= 0) &&
    dot(z, w).isZero()
  );
}

/** Some complementary basis (z_α basic, M_αα nonsingular) gives a solution. */
function bruteLcpSolvable(p: LCP): boolean {
  const n = p.q.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    const a = Array.from({ length: n }, (_, i) => i).filter((i) => mask & (1 << i));
    const sol = solve(
      a.map((i) => pick(p.M[i]!, a)),
      a.map((i) => p.q[i]!.neg()),
    );
    if (sol === null || sol.some((v) => v.sign() < 0)) continue;
    const z = new Array<Rational>(n).fill(ZERO);
    a.forEach((i, k) => (z[i] = sol[k]!));
    if (matVec(p.M, z).every((v, i) => v.add(p.q[i]!).sign() >= 0)) return true;
  }
  return false;
}

describe('(c) Lemke on PSD LCPs', () => {
  const stats = { solved: 0, infeasible: 0, trivial: 0 };
  test.prop([arbLCP], opts)('solutions are exact; ray termination iff no complementary basis works', (p) => {
    const res = lemke(p.M, p.q);
    const brute = bruteLcpSolvable(p);
    if (res.kind === 'infeasible') {
      stats.infeasible++;
      expect(brute).toBe(false);
      return;
    }
    if (p.q.every((v) => v.sign() >= 0)) stats.trivial++;
    else stats.solved++;
    expect(isLcpSolution(p, res.z, res.w)).toBe(true);
    expect(brute).toBe(true);
  });
  test('nontrivial solved and infeasible LCPs both occurred', () => {
    expect(stats.solved).toBeGreaterThan(0);
    expect(stats.infeasible).toBeGreaterThan(0);
  });

  test('fixed examples', () => {
    // 1-d: w = 2z - 4: z = 2. Infeasible: w = -z - 1 (M = [[0]] plus ... use M = [[0]], q = [-1])
    const r = lemke([[R(2)]], [R(-4)]);
    expect(r.kind === 'solved' && r.z[0]!.toString()).toBe('2');
    expect(lemke([[R(0)]], [R(-1)]).kind).toBe('infeasible');
  });

  test('live twin: a perturbed solution fails the checker', () => {
    const r = fc.check(
      fc.property(arbLCP, fc.nat(), (p, k) => {
        const res = lemke(p.M, p.q);
        if (res.kind !== 'solved') return true;
        const z = res.z.slice();
        const i = k % z.length;
        z[i] = z[i]!.add(R(1, 2));
        const w = matVec(p.M, z).map((v, t) => v.add(p.q[t]!)); // consistent w, so only z·w or signs can fail
        return isLcpSolution(p, z, w);
      }),
      { numRuns: 200, seed: 4 },
    );
    expect(r.failed).toBe(true);
  });
});
