// The pipeline's skipped solves (issue 12 item 1) against the slow paths: (1) vec.ts matVec
// (one shared denominator per row) = the term-by-term Rational sum; (2) certify with a hint
// (right, e.g. the max-margin λ or the inherited λ_R, or wrong) = certify without one, in
// every rational; (3) runCase's certificates = certify run afresh without hints, and δ =
// max λ_a (q_a - 1) reduced term by term; (4) the blocked integer Gram = pairwise sums;
// (5) Rational's gcd-free paths (an integer or zero operand) = the general formula;
// (6) Params vectors on one denominator and toRationals' batched gcds = the plain routes.
// (7, 8) relu2 certificates (zero λ columns, many kinks: sparse H, the support-restricted
// canonical point) = certify({full}); (9) nullBasisSplit = null(H); (10) closeness's inner
// product on shared denominators = the term-by-term sum, and its distance² and signed cos²; (11) maxMarginPair = maxMargin on S
// and on R; (12) maxMargin's products from its dual = the Gram route; (13) the memo of
// matrices proven nonsingular spans one case (nothing carries over to the next runCase);
// (14) deltaOf (floats propose the largest term) = maxOf over reduced products, at near-ties;
// (15) face.ts's least-norm minimizer on E = {g_a = 0} = the one on the full optimal face.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { Rational as Q, gcd, maxOf } from '../src/exact/rational.ts';
import { Params } from '../src/models/params.ts';
import { ScaledVec, gcdsWith, gram, matVec } from '../src/exact/vec.ts';
import { makeDataset, type Label } from '../src/data/dataset.ts';
import { smallInts } from '../src/data/generators.ts';
import { type Context, certify, signedGram, type Certificate } from '../src/kkt/certificate.ts';
import { type MaxMargin, maxMargin } from '../src/kkt/maxMargin.ts';
import { maxMarginPair } from '../src/kkt/maxMarginPair.ts';
import { contextOf, runCase } from '../src/unlearn/pipeline.ts';
import { NotSeparableError } from '../src/errors.ts';
import { isMinimizer, leastNormMinimizer, nullBasisSplit } from '../src/exact/face.ts';
import { anyMinimizer, leastNorm, optimalFace } from '../src/exact/qp.ts';
import { closeness, innerWithCombination } from '../src/unlearn/retrain.ts';
import { rank } from '../src/exact/pivot.ts';
import { isProvenNonsingular, isProvenSource, noteNonsingular, noteNonsingularSource } from '../src/exact/modular.ts';
import { deltaOf } from '../src/kkt/deltaOf.ts';
import { intData, linearRun, params, tally } from './support.ts';

const R = (n: number, d = 1) => Rational.of(n, d);
/** maxMargin on the points, or null when they are not separable. */
function separableMaxMargin(ctx: Context, points: readonly number[]): MaxMargin | null {
  try {
    return maxMargin(ctx, points);
  } catch (e) {
    if (e instanceof NotSeparableError) return null;
    throw e;
  }
}
const strs = (v: readonly Rational[]) => v.map(String);
const certStrs = (c: Certificate) => ({
  ...c,
  margins: strs(c.margins),
  tau: String(c.tau),
  epsilon2: String(c.epsilon2),
  delta: String(c.delta),
  lambda: strs(c.lambda),
  kinks: c.kinks.map((k) => ({ ...k, s: String(k.s) })),
});

const arbRat = fc.tuple(fc.integer({ min: -6, max: 6 }), fc.constantFrom(1, 1, 1, 2, 3, 4, 6)).map(([a, b]) => R(a, b));

describe('(1) matVec = the term-by-term sum (and its kept answers)', () => {
  test.prop(
    [
      fc
        .integer({ min: 1, max: 6 })
        .chain((n) =>
          fc.tuple(
            fc.array(fc.array(arbRat, { minLength: n, maxLength: n }), { minLength: 1, maxLength: 6 }),
            fc.array(arbRat, { minLength: n, maxLength: n }),
          ),
        ),
    ],
    params(200),
  )('H z with mixed denominators and zeros', ([H, z]) => {
    const slow = H.map((row) => row.reduce((s, h, k) => s.add(h.mul(z[k]!)), Rational.ZERO));
    expect(strs(matVec(H, z))).toEqual(strs(slow));
    expect(strs(matVec(H, z, [H.length - 1]))).toEqual(strs([slow.at(-1)!]));
    // matVec keeps its last answers per H: an equal z (another array) is answered from them,
    // and a z one entry away (or a scaled z) must get its own product
    expect(strs(matVec(H, z.slice()))).toEqual(strs(slow));
    const z2 = z.map((v, k) => (k === z.length - 1 ? v.add(R(1, 3)) : v));
    const slow2 = H.map((row) => row.reduce((s, h, k) => s.add(h.mul(z2[k]!)), Rational.ZERO));
    expect(strs(matVec(H, z2))).toEqual(strs(slow2));
    const z3 = z.map((v) => v.mul(R(2)));
    expect(strs(matVec(H, z3))).toEqual(strs(slow.map((v) => v.mul(R(2)))));
    expect(strs(matVec(H, z))).toEqual(strs(slow));
  });
});

// Small integer data in d < n now and then (rank-deficient Gram: the face route), labels
// from a planted direction so the data is separable.
const arbData = fc.record({
  n: fc.integer({ min: 2, max: 7 }),
  d: fc.integer({ min: 1, max: 5 }),
  pts: fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 5, maxLength: 5 }), {
    minLength: 7,
    maxLength: 7,
  }),
  w: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 5, maxLength: 5 }),
  forget: fc.integer({ min: 1, max: 127 }),
});

function dataOf(s: { n: number; d: number; pts: number[][]; w: number[] }) {
  const x: number[][] = [];
  const y: Label[] = [];
  for (const p of s.pts.slice(0, s.n)) {
    const xi = p.slice(0, s.d);
    const m = xi.reduce((a, v, k) => a + v * s.w[k]!, 0);
    if (m === 0) continue;
    x.push(xi);
    y.push(m > 0 ? 1 : -1);
  }
  return x.length >= 2
    ? makeDataset(
        x.map((r) => r.map((v) => R(v))),
        y,
      )
    : null;
}

describe('(2, 3) hints skip solves, never change a certificate', () => {
  const stat = tally('exact.hints');
  test.prop([arbData, fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 7, maxLength: 7 })], params(80))(
    'certify(hint) = certify() for the max-margin λ, the inherited λ_R and a wrong hint; runCase = fresh certify',
    (s, junk) => {
      const data = dataOf(s);
      if (!data) return;
      const ctx = contextOf({ kind: 'linear' }, data);
      const n = data.x.length;
      const all = data.x.map((_, i) => i);
      const mm = separableMaxMargin(ctx, all);
      if (!mm) return;
      stat('run');
      const slow = certify(ctx, mm.params, all);
      expect(certStrs(certify(ctx, mm.params, all, { hint: mm.lambda }))).toEqual(certStrs(slow));
      expect(certStrs(certify(ctx, mm.params, all, { full: true }))).toEqual(certStrs(slow)); // ε² in full
      // a wrong hint (verification must reject it) gives the same certificate too
      const wrong = all.map((i) => R(junk[i]!, 2));
      expect(certStrs(certify(ctx, mm.params, all, { hint: wrong }))).toEqual(certStrs(slow));
      expect(String(slow.delta)).toBe(String(maxOf(slow.lambda.map((l, a) => l.mul(slow.margins[a]!.sub(R(1)))))));
      const forget = all.filter((i) => (s.forget >> i) & 1);
      if (forget.length === 0 || forget.length === n) return;
      let run;
      try {
        run = runCase({
          model: { kind: 'linear' },
          data,
          theta: null,
          forget,
          // κ = 1/2 too: then the inherited λ_R is no longer optimal (runCase's shortcut must not apply)
          step: { kind: 'kappa', kappa: junk[0]! % 2 ? R(1, 2) : Rational.ONE },
          gradient: 'autodiff',
        });
      } catch (e) {
        if (e instanceof NotSeparableError) return; // R need not be separable... it is (a subset), but keep the guard
        throw e;
      }
      expect(certStrs(run.before)).toEqual(certStrs(certify(run.ctx, run.theta, all)));
      expect(certStrs(run.after)).toEqual(certStrs(certify(run.ctx, run.ga.params, run.retained)));
      const inheritedLambda = run.retained.map((i) => run.before.lambda[i]!);
      expect(certStrs(run.inherited)).toEqual(
        certStrs(certify(run.ctx, run.ga.params, run.retained, { lambda: inheritedLambda })),
      );
      for (const c of [run.after, run.inherited])
        expect(String(c.delta)).toBe(String(maxOf(c.lambda.map((l, a) => l.mul(c.margins[a]!.sub(R(1)))))));
      stat('inherited optimal', run.inherited.epsilon2.eq(run.after.epsilon2));
      stat('rank-deficient', n > data.x[0]!.dim);
    },
  );
});

describe('(4) the blocked integer Gram = pairwise dot products', () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 7 }),
      fc.integer({ min: 1, max: 9 }),
      fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 63, maxLength: 63 }),
      fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 7, maxLength: 7 }),
    ],
    params(150),
  )('odd and even n, scaled vectors', (n, d, ints, scales) => {
    const xs = Array.from({ length: n }, (_, i) =>
      ScaledVec.of(ints.slice(i * d, i * d + d).map(BigInt), R(1, scales[i]!)),
    );
    const G = gram(xs);
    const slow = xs.map((a) =>
      xs.map((b) => a.toRationals().reduce((s, v, k) => s.add(v.mul(b.get(k))), Rational.ZERO)),
    );
    expect(G.map(strs)).toEqual(slow.map(strs));
  });
});

describe('(4b) sign rows: the bit-mask Gram and ScaledVec.ofSafeInts = the BigInt routes', () => {
  const stat = tally('exact.hints.signGram');
  test.prop(
    [
      fc.integer({ min: 1, max: 6 }),
      fc.integer({ min: 1, max: 100 }),
      fc.boolean(),
      fc.array(fc.integer({ min: 0, max: 2 ** 30 }), { minLength: 600, maxLength: 600 }),
      fc.integer({ min: 1, max: 3 }),
    ],
    params(200),
  )(
    'entries in {-1, 0, 1} (with and without zeros, d across word boundaries), read as BigInts or as safe integers',
    (n, d, noZeros, bits, scale) => {
      const rows = Array.from({ length: n }, (_, i) =>
        Array.from({ length: d }, (_, t) => {
          const r = bits[(i * d + t) % 600]! >>> (t % 7);
          return noZeros ? (r & 1 ? 1 : -1) : (r % 3) - 1;
        }),
      );
      const big = rows.map((r) => ScaledVec.of(r.map(BigInt)));
      // the case reader's route; a common factor (scale) exercises its normalization
      const safe = rows.map((r) => ScaledVec.ofSafeInts(Float64Array.from(r, (v) => v * scale)));
      safe.forEach((v, i) => {
        const w = ScaledVec.of(rows[i]!.map((e) => BigInt(e * scale)));
        expect([v.dim, String(v.scale), v.maxAbs, v.ints]).toEqual([w.dim, String(w.scale), w.maxAbs, w.ints]);
      });
      const slow = big.map((a) => big.map((b) => String(a.ints.reduce((s, v, k) => s + v * b.ints[k]!, 0n))));
      expect(gram(big).map(strs)).toEqual(slow);
      expect(gram(safe).map(strs)).toEqual(slow.map((r) => r.map((v) => String(BigInt(v) * BigInt(scale * scale)))));
      stat('run');
      stat(rows.some((r) => r.includes(0)) ? 'with zeros' : 'no zeros');
      stat('more than one word', d > 32);
      stat(
        'all-zero row',
        rows.some((r) => r.every((v) => v === 0)),
      );
    },
  );
});

describe('(4c) long integer rows (binary64 data): the limb Gram = BigInt sums', () => {
  const stat = tally('exact.hints.limbGram');
  test.prop(
    [
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 70 }),
      fc.integer({ min: 30, max: 320 }),
      fc.array(fc.bigInt({ min: 0n, max: (1n << 320n) - 1n }), { minLength: 350, maxLength: 350 }),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 350, maxLength: 350 }),
    ],
    params(150),
  )('entries up to 2^bits with either sign and zeros, some rows short', (n, d, bits, raw, kinds) => {
    const rows = Array.from({ length: n }, (_, i) =>
      Array.from({ length: d }, (_, t) => {
        const j = (i * d + t) % 350;
        const kind = kinds[j]!;
        // zeros, short entries, and long ones of the row's top length (binary64-like: odd low bits)
        const v = kind === 0 ? 0n : kind < 3 ? raw[j]! % 1000n : raw[j]! % (1n << BigInt(i === 0 ? bits : bits - 7));
        return kind % 2 ? -v : v;
      }),
    );
    const xs = rows.map((r) => ScaledVec.of(r));
    const slow = xs.map((a) => xs.map((b) => String(a.ints.reduce((s, v, k) => s + v * b.ints[k]!, 0n))));
    const G = gram(xs);
    expect(G.map((r, i) => r.map((q, k) => String(q.div(xs[i]!.scale.mul(xs[k]!.scale)))))).toEqual(slow);
    stat('run');
    const c = Math.floor((53 - Math.log2(d)) / 2);
    const top = Math.max(...xs.map((x) => x.maxAbs.toString(2).length));
    stat('limb route (up to 8 limbs)', top > 26 && Math.ceil(top / c) <= 8);
    stat('BigInt route (more limbs)', Math.ceil(top / c) > 8);
  });
});

describe('(4d) the second core: a Gram past 2^26 multiply-adds = pairwise dot products', () => {
  test('smallInts n = 64, d = 32768 (half the row pairs on a worker thread)', () => {
    const { x } = smallInts({ n: 64, d: 32768, seed: 3 });
    const G = gram(x);
    const wrong = [];
    for (let i = 0; i < x.length; i++)
      for (let k = i; k < x.length; k++) if (!G[i]![k]!.eq(x[i]!.dot(x[k]!))) wrong.push([i, k]);
    expect(wrong).toEqual([]);
  });
});

describe('(5) Rational fast paths = the general formula, reduced', () => {
  const general = {
    add: (a: Q, b: Q) => Q.of(a.num * b.den + b.num * a.den, a.den * b.den),
    sub: (a: Q, b: Q) => Q.of(a.num * b.den - b.num * a.den, a.den * b.den),
    mul: (a: Q, b: Q) => Q.of(a.num * b.num, a.den * b.den),
  };
  const arbQ = fc
    .tuple(
      fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
      fc.oneof(fc.constant(1n), fc.bigInt({ min: 1n, max: 2n ** 70n }), fc.constantFrom(2n, 4n, 6n, 12n)),
    )
    .map(([a, b]) => Q.of(a, b));
  const arbInt = fc
    .oneof(fc.constantFrom(0n, 1n, -1n, 2n, -4n, 6n, 12n), fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }))
    .map((k) => Q.of(k));
  test.prop([arbQ, fc.oneof(arbInt, arbQ), fc.boolean()], params(300))(
    'add, sub, mul with an integer or zero on either side',
    (a, b, swap) => {
      const [x, y] = swap ? [b, a] : [a, b];
      for (const op of ['add', 'sub', 'mul'] as const) {
        const got = x[op](y);
        const want = general[op](x, y);
        expect([got.num, got.den]).toEqual([want.num, want.den]);
      }
    },
  );
});

describe('(6) Params vectors and toRationals: one denominator = the term-by-term route', () => {
  const stat = tally('exact.hints.combination');
  // denominators with small and large primes, entries sharing them now and then
  const P1 = 1000003n;
  const P2 = 998244353n;
  const arbVec = fc.record({
    k: fc.array(fc.bigInt({ min: -(2n ** 40n), max: 2n ** 40n }), { minLength: 1, maxLength: 40 }),
    share: fc.array(fc.constantFrom(1n, 1n, 2n, 3n, 101n, 3n * 1021n, P1, P2, P1 * P2, 4n * P1), {
      minLength: 40,
      maxLength: 40,
    }),
    // small primes from several of gcdsWith's groups (2, 3 in the first; 101; 1021 in the last)
    den: fc.constantFrom(1n, 12n, P1, 6n * P1, P1 * P2, 2n ** 9n * P2, 7n * 1021n, 3n ** 5n * 101n * 1021n * P1),
    num: fc.bigInt({ min: 1n, max: 50n }),
  });
  test.prop([arbVec], params(200))(
    'gcdsWith = gcd one by one; toRationals = scale · entry reduced',
    ({ k, share, den, num }) => {
      const ints = k.map((x, t) => x * share[t]!);
      expect(gcdsWith(ints, den)).toEqual(ints.map((x) => gcd(x, den)));
      const v = ScaledVec.of(ints, Q.of(num, den));
      expect(strs(v.toRationals())).toEqual(strs(v.ints.map((x) => v.scale.mul(Q.of(x)))));
    },
  );
  test.prop(
    [
      fc.integer({ min: 1, max: 5 }),
      fc.integer({ min: 1, max: 6 }),
      fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 30, maxLength: 30 }),
      fc.array(arbRat, { minLength: 10, maxLength: 10 }),
      fc.boolean(),
    ],
    params(150),
  )('Params.fromCombination(...).vectors() = Σ c_r x_r by addScaled', (n, d, xs, c, signs) => {
    // signs: entries in {-1, 0, 1} (the grouped path of combination), else scaled rationals
    const entry = (v: number, i: number, t: number) => (signs ? R(Math.sign(v)) : R(v, 1 + ((i + t) % 3)));
    const data = makeDataset(
      Array.from({ length: n }, (_, i) => xs.slice(i * d, i * d + d).map((v, t) => entry(v, i, t))),
      Array.from({ length: n }, () => 1 as Label),
    );
    stat('run');
    stat('sign rows', signs && data.x.every((x) => x.maxAbs <= 1n));
    const coef = [c.slice(0, n), c.slice(5, 5 + n)];
    const P = Params.fromCombination(coef, data, gram(data.x));
    const slow = coef.map((row) => row.reduce((acc, cr, r) => acc.addScaled(cr, data.x[r]!), ScaledVec.zeros(d)));
    expect(P.vectors().map((v) => strs(v.toRationals()))).toEqual(slow.map((v) => strs(v.toRationals())));
  });
});

describe('(7) zero λ columns fixed at 0 = the full QP', () => {
  const stat = tally('exact.hints.zerocols');
  test.prop(
    [
      fc.integer({ min: 2, max: 5 }),
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 24, maxLength: 24 }),
      fc.boolean(),
    ],
    params(150),
  )(
    'relu2 certificates (optimal, δ-capped) with points no unit is active on, kinks among them',
    (n, d, m, ints, cap) => {
      const x = Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, t) => ints[(i * d + t) % 24]! || 1));
      const theta = Array.from({ length: m }, (_, j) =>
        Array.from({ length: d }, (_, t) => R(ints[(7 + j * d + t) % 24]!)),
      );
      const data = makeDataset(
        x.map((r) => r.map((v) => R(v))),
        x.map((_, i) => (ints[(i + 3) % 24]! >= 0 ? 1 : -1) as Label),
      );
      const ctx = contextOf({ kind: 'relu2', v: theta.map((_, j) => R(j % 2 ? -1 : 1)) }, data);
      const P = Params.fromVectors(
        theta.map((t) => ScaledVec.fromRationals(t)),
        data,
      );
      const all = x.map((_, i) => i);
      const opts = cap ? { delta: R(1, 2) } : {};
      stat('run');
      stat(
        'zero column',
        all.some((i) => P.pre.every((row) => row[i]!.sign() <= 0)),
      );
      stat(
        'zero column with a kink',
        all.some((i) => P.pre.every((row) => row[i]!.sign() <= 0) && P.pre.some((row) => row[i]!.isZero())),
      );
      expect(certStrs(certify(ctx, P, all, opts))).toEqual(certStrs(certify(ctx, P, all, { ...opts, full: true })));
    },
  );
});

describe('(8) many kinks: the sparse H and any δ-LP minimizer = the full route', () => {
  const stat = tally('exact.hints.manykinks');
  test.prop(
    [
      fc.integer({ min: 2, max: 4 }),
      fc.integer({ min: 2, max: 9 }),
      fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 30, maxLength: 30 }),
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
      fc.boolean(),
    ],
    params(120),
  )(
    'relu2 in d = 2, units zero, orthogonal to a point or generic (dependent kink columns, singular H)',
    (n, m, ints, kind, cap) => {
      const x = Array.from({ length: n }, (_, i) => [ints[2 * i]! || 1, ints[2 * i + 1]!]);
      // kind 0: w_j = 0 (a kink on every point), 1-5: w_j ⟂ x_(kind mod n) (a kink there), else generic
      const theta = Array.from({ length: m }, (_, j) => {
        const k = kind[j]!;
        const s = ints[10 + j]! || 1;
        if (k === 0) return [R(0), R(0)];
        if (k <= 5) {
          const p = x[k % n]!;
          return [R(-p[1]! * s, 2), R(p[0]! * s, 2)];
        }
        return [R(s, 2), R(ints[20 + j]!, 3)];
      });
      const data = makeDataset(
        x.map((r) => r.map((v) => R(v))),
        x.map((_, i) => (ints[(i + 5) % 30]! >= 0 ? 1 : -1) as Label),
      );
      const ctx = contextOf({ kind: 'relu2', v: theta.map((_, j) => R(j % 2 ? -1 : 1)) }, data);
      const P = Params.fromVectors(
        theta.map((t) => ScaledVec.fromRationals(t)),
        data,
      );
      const all = x.map((_, i) => i);
      const opts = cap ? { delta: R(1, 3) } : {};
      const fast = certify(ctx, P, all, opts);
      stat('run');
      stat('kinks > n', fast.kinks.length > n);
      stat(
        'some s strictly inside (0, 1)',
        fast.kinks.some((k) => k.s.sign() > 0 && k.s.lt(Rational.ONE)),
      );
      stat('δ > 0', fast.delta.sign() > 0);
      expect(certStrs(fast)).toEqual(certStrs(certify(ctx, P, all, { ...opts, full: true })));
    },
  );
});

describe('(9) nullBasisSplit = the null space of H (exact), for orthogonal groups after the first variables', () => {
  const stat = tally('exact.hints.nullsplit');
  test.prop(
    [
      fc.integer({ min: 0, max: 4 }),
      fc.array(fc.integer({ min: 1, max: 3 }), { minLength: 1, maxLength: 5 }),
      fc.array(fc.integer({ min: -2, max: 2 }), { minLength: 60, maxLength: 60 }),
    ],
    params(150),
  )('H = BᵀB, R columns dense, each group on its own rows of B (d = 2 each), repeats and zeros', (nR, sizes, ints) => {
    const rowsPer = 2;
    const nRows = rowsPer * sizes.length;
    let t = 0;
    const next = () => ints[t++ % 60]!;
    const cols: Rational[][] = [];
    for (let r = 0; r < nR; r++) cols.push(Array.from({ length: nRows }, () => R(next())));
    sizes.forEach((size, g) => {
      for (let c = 0; c < size; c++) {
        const col = new Array<Rational>(nRows).fill(R(0));
        // a repeat of an R column's restriction now and then makes the Schur complement singular
        const src = nR > 0 && next() === 2 ? cols[0]! : null;
        for (let k = 0; k < rowsPer; k++) col[g * rowsPer + k] = src ? src[g * rowsPer + k]! : R(next());
        cols.push(col);
      }
    });
    const H = cols.map((a) => cols.map((b) => a.reduce((s, v, k) => s.add(v.mul(b[k]!)), R(0))));
    const split = nullBasisSplit(H, nR);
    stat('run');
    stat('null (an unlucky prime: the caller falls back)', split === null);
    if (!split) return;
    const basis = split;
    const N = H.length;
    stat('null space', basis.length > 0);
    stat(
      'a null vector with a λ coordinate',
      basis.some((v) => v.slice(0, nR).some((x) => !x.isZero())),
    );
    for (const v of basis) expect(matVec(H, v).every((x) => x.isZero())).toBe(true);
    expect(basis.length).toBe(N - rank(H));
    if (basis.length > 0) expect(rank(basis)).toBe(basis.length);
  });
});

describe('(10) closeness: <θ~, Σ c x> on shared denominators = the term-by-term sum', () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 3 }),
      fc.integer({ min: 1, max: 5 }),
      fc.array(arbRat, { minLength: 40, maxLength: 40 }),
      fc.array(arbRat, { minLength: 15, maxLength: 15 }),
    ],
    params(150),
  )('random blocks, points and coefficients (zeros included)', (m, n, vals, coefs) => {
    const d = 2;
    const data = makeDataset(
      Array.from({ length: n }, (_, i) => Array.from({ length: d }, (_, t) => vals[(i * d + t) % 40]!)),
      Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) as Label),
    );
    const P = Params.fromVectors(
      Array.from({ length: m }, (_, j) =>
        ScaledVec.fromRationals(Array.from({ length: d }, (_, t) => vals[(20 + j * d + t) % 40]!)),
      ),
      data,
    );
    const coefB = Array.from({ length: m }, (_, j) => Array.from({ length: n }, (_, i) => coefs[(j * n + i) % 15]!));
    let slow = Rational.ZERO;
    coefB.forEach((row, j) => row.forEach((c, i) => (slow = slow.add(c.mul(P.pre[j]![i]!)))));
    expect(String(innerWithCombination(P, coefB))).toBe(String(slow));
    // and closeness against θ_b = Σ c x (a Params from the combination): distance² and the
    // signed cos², Rational op by op (the inner product of either sign occurs)
    const Pb = Params.fromCombination(coefB, data, gram(data.x));
    const { distance2, cos2 } = closeness(P, Pb, coefB);
    const [aa, bb] = [P.normSquared, Pb.normSquared];
    expect(String(distance2)).toBe(String(aa.sub(slow.mul(R(2))).add(bb)));
    const want = aa.isZero() || bb.isZero() ? Rational.ZERO : slow.mul(slow.abs()).div(aa.mul(bb));
    expect(String(cos2)).toBe(String(want));
  });
});

describe('(11) maxMarginPair: P(S) and P(R) on one factorization = maxMargin on each', () => {
  const stat = tally('exact.hints.pair');
  let taken = 0;
  // d often >= n (every point a support vector: the pair route), sometimes not; entries with
  // denominators now and then (rows scaled by their lcm)
  const arbPair = fc.record({
    n: fc.integer({ min: 2, max: 8 }),
    d: fc.integer({ min: 1, max: 12 }),
    vals: fc.array(
      fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: -3, max: 3 }).map((v) => R(v)) },
        { weight: 1, arbitrary: arbRat },
      ),
      {
        minLength: 96,
        maxLength: 96,
      },
    ),
    w: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 12, maxLength: 12 }),
    f: fc.nat(),
  });
  test.prop([arbPair], params(150))('λ, pre-activations, ||θ||² and θ on S and on R', ({ n, d, vals, w, f }) => {
    const x: Rational[][] = [];
    const y: Label[] = [];
    for (let i = 0; i < n; i++) {
      const xi = Array.from({ length: d }, (_, t) => vals[i * 12 + t]!);
      const m = xi.reduce((s, v, t) => s.add(v.mul(R(w[t]!))), Rational.ZERO);
      if (m.isZero()) continue;
      x.push(xi);
      y.push(m.sign() > 0 ? 1 : -1);
    }
    if (x.length < 2) return;
    const data = makeDataset(x, y);
    const all = x.map((_, i) => i);
    const at = f % x.length;
    const ctx = contextOf({ kind: 'linear' }, data);
    const pair = maxMarginPair(ctx, [at]);
    stat('run');
    stat('pair route', pair !== null);
    if (!pair) return;
    taken++;
    const slow = contextOf({ kind: 'linear' }, data); // a fresh context: no memo from the pair
    const mmS = maxMargin(slow, all);
    const R_ = all.filter((i) => i !== at);
    const mmR = maxMargin(slow, R_);
    // the products it noted for matVec are H z (matVec on given rows forms them; no memo there)
    for (const [H, z] of [
      [signedGram(ctx, all), pair.S.lambda],
      [signedGram(ctx, R_), pair.R.lambda],
      [signedGram(ctx, R_), R_.map((i) => pair.S.lambda[i]!)],
    ] as const)
      expect(strs(matVec(H, z))).toEqual(
        strs(
          matVec(
            H,
            z,
            H.map((_, a) => a),
          ),
        ),
      );
    for (const [got, want] of [
      [pair.S, mmS],
      [pair.R, mmR],
    ] as const) {
      expect(strs(got.lambda)).toEqual(strs(want.lambda));
      expect(strs(got.params.pre[0]!)).toEqual(strs(want.params.pre[0]!));
      expect(String(got.params.norm2[0])).toBe(String(want.params.norm2[0]));
      expect(strs(got.params.vectors()[0]!.toRationals())).toEqual(strs(want.params.vectors()[0]!.toRationals()));
    }
  });
  // a fallback is always safe (each dual solved alone), so a route that silently stopped
  // being taken would pass the property: it must be taken
  test('the pair route was taken', () => {
    expect(taken).toBeGreaterThan(0);
  });
});

describe("(12) maxMargin's products from its dual = the Gram route", () => {
  const stat = tally('exact.hints.dualProducts');
  test.prop([arbData], params(150))(
    'pre-activations and ||w||² = Params.fromCombination; the noted Gs λ = matVec on explicit rows',
    (s) => {
      const data = dataOf(s);
      if (!data) return;
      const ctx = contextOf({ kind: 'linear' }, data);
      const all = data.x.map((_, i) => i);
      const pts = all.filter((i) => i !== s.forget % data.x.length || data.x.length === 2);
      const mm = separableMaxMargin(ctx, pts);
      if (!mm) return;
      stat('run');
      stat(
        'a point off the support',
        mm.lambda.some((l) => l.isZero()),
      );
      stat('a point outside the set', pts.length < all.length);
      const slow = Params.fromCombination(mm.coef, data, ctx.G);
      expect(strs(mm.params.pre[0]!)).toEqual(strs(slow.pre[0]!));
      expect(String(mm.params.norm2[0])).toBe(String(slow.norm2[0]));
      const Gs = signedGram(ctx, pts);
      expect(strs(matVec(Gs, mm.lambda))).toEqual(
        strs(
          matVec(
            Gs,
            mm.lambda,
            Gs.map((_, a) => a),
          ),
        ),
      );
    },
  );
});

describe('(13) the nonsingular memo spans one case', () => {
  test.prop([fc.integer({ min: 2, max: 6 }), fc.integer({ min: 0, max: 1000 })], params(20))(
    'a matrix noted before runCase is not proven after it (no answer carries over between cases)',
    (n, seed) => {
      const M = Array.from({ length: n }, (_, i) =>
        Array.from({ length: n }, (_, j) => BigInt(i === j ? 7 + seed : (i * j) % 3)),
      );
      noteNonsingular(M);
      const H = M.map((row) => row.map((v) => Q.of(v)));
      noteNonsingularSource(H);
      expect(isProvenNonsingular(M)).toBe(true);
      expect(isProvenSource(H)).toBe(true);
      const eye = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
      linearRun(
        intData(
          eye,
          eye.map((_, i) => (i % 2 ? 1 : -1)),
        ),
        [0],
      );
      expect(isProvenNonsingular(M)).toBe(false);
      expect(isProvenSource(H)).toBe(false);
    },
  );
});

describe('(14) deltaOf = maxOf over reduced products', () => {
  const stat = tally('exact.hints.deltaOf');
  const big = (bits: bigint) => fc.bigInt({ min: 1n, max: 1n << bits });
  test.prop(
    [
      fc.array(
        fc.record({
          l: fc.oneof(fc.constant(0n), big(300n)),
          ld: big(300n),
          v: big(300n),
          vd: big(300n),
          sign: fc.integer({ min: -1, max: 1 }),
          tie: fc.integer({ min: -2, max: 2 }),
        }),
        { maxLength: 8 },
      ),
    ],
    params(300),
  )('mixed signs, zeros, and terms equal to the first but for a few parts in 2^600', (spec) => {
    // term a is V_a = λ_a (q_a - 1): q_a = 1 + V_a / λ_a; a tie term has V_a = V_0 (1 + tie 2^-600)
    const V = spec.map((t) => Q.of(BigInt(t.sign) * t.v, t.vd));
    const lambda = spec.map((t) => Q.of(t.l, t.ld));
    const value = spec.map((t, a) =>
      t.tie !== 0 && a > 0 ? V[0]!.mul(Q.of((1n << 600n) + BigInt(t.tie), 1n << 600n)) : V[a]!,
    );
    const q = spec.map((t, a) => (lambda[a]!.isZero() ? Q.of(t.v, t.vd) : Q.ONE.add(value[a]!.div(lambda[a]!))));
    const want = maxOf(lambda.map((l, a) => l.mul(q[a]!.sub(Q.ONE))));
    expect(String(deltaOf(lambda, q))).toBe(String(want));
    stat('run');
    stat(
      'a near-tie',
      spec.some((t, a) => a > 0 && t.tie !== 0 && !lambda[a]!.isZero()),
    );
    stat('all terms negative', value.length > 0 && value.every((v, a) => v.lt(Q.ZERO) && !lambda[a]!.isZero()));
  });
});

describe('(15) the face on E = {g_a = 0} (face.ts) = the full optimal face', () => {
  const stat = tally('exact.hints.face');
  test.prop(
    [
      fc.integer({ min: 2, max: 6 }),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.integer({ min: -3, max: 3 }), { minLength: 18, maxLength: 18 }),
      fc.array(fc.integer({ min: -2, max: 4 }), { minLength: 3, maxLength: 3 }),
    ],
    params(150),
  )('H = BᵀB of rank < N (duplicate and dependent columns): the least-norm minimizer both ways', (N, r, bs, fs) => {
    const B = Array.from({ length: r }, (_, i) => Array.from({ length: N }, (_, a) => bs[(i * N + a) % 18]!));
    const H = Array.from({ length: N }, (_, a) =>
      Array.from({ length: N }, (_, c) => R(B.reduce((s, row) => s + row[a]! * row[c]!, 0))),
    );
    // f = -Bᵀc (in H's range): ½||Bz - c||² up to a constant, so dependent columns of B
    // leave a segment of minimizers
    const f = Array.from({ length: N }, (_, a) => R(-B.reduce((s, row, i) => s + row[a]! * fs[i]!, 0)));
    const res = anyMinimizer({ H, f });
    if (res.kind !== 'solved') return; // unbounded below
    const face = optimalFace(H, f, res.z);
    const full = face.A.length ? leastNorm(N, face.A, face.b) : res.z;
    const reduced = leastNormMinimizer(H, f, res.z);
    stat('run');
    stat('reduced face used', reduced !== null);
    stat('several minimizers', !full.every((v, a) => v.eq(res.z[a]!)));
    if (reduced) expect(strs(reduced)).toEqual(strs(full));
    expect(isMinimizer(H, f, full)).toBe(true);
  });
});
