// npm run golden: writes fixtures/golden/*.json (unlearn-kkt/golden@1: a case@1 and its
// expected certificate) through a computation path INDEPENDENT of the engine under test.
//
// Path: mathjs with number type 'Fraction' (fraction.js) for every value; no import from
// src/ at all. Max-margin multipliers and optimal certificates (min ½λᵀQλ - bᵀλ, λ >= 0,
// THEORY.md D2 on a fixed activation pattern) by brute-force support enumeration: for
// every subset S solve Q_SS λ_S = b_S with math.lusolve, keep the λ with λ_S >= 0 and
// (Qλ - b)_i >= 0 off S. Margins, τ, δ = max λ_i (q_i - 1), the GA step, and the
// inherited ε² = ||θ~ - Σ λ_i y_i h_i||² by their direct formulae. relu2 cases use the
// kink-free construction (same-class <x_i,x_k> = t², cross-class -t², see
// src/guard/fuzz.ts) and assert that no kink or sign flip occurs, so every certificate
// is the NNLS on the kernel K_ik = <x_i,x_k> Σ_j v_j² s_ji s_jk, and the retrained model
// (T3) solves K_R λ = 1 on θ's pattern. Data are linearly independent, so every λ is
// unique. β steps are left out (c is transcendental).
// Kinked relu2 cases (`kinks`): θ is THEORY.md T1 on a given 3-valued pattern (the square
// system in λ and μ_ji = λ_i s_ji, solved by lusolve and checked sign by sign), optionally
// after a rational rotation (Cayley transform of a given skew matrix: the Gram matrix is
// kept, the entries become non-dyadic). Their certificates are the QP of D2 over λ >= 0
// and 0 <= μ_ji <= λ_i by brute force over faces: every assignment λ_i in {0, free},
// μ_ji in {0, λ_i, free}, least squares on the free columns, the feasible minimum kept
// (and required unique). The clarke GA step uses g_jr = μ_jr / λ_r of θ's certificate.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { create, all, type Fraction } from 'mathjs';

const math = create(all, { number: 'Fraction' });
type F = Fraction;
const F = (v: string | number): F => math.fraction(v as string) as F;
const ZERO = F(0);
const ONE = F(1);
const add = (a: F, b: F) => math.add(a, b) as F;
const sub = (a: F, b: F) => math.subtract(a, b) as F;
const mul = (a: F, b: F) => math.multiply(a, b) as F;
const div = (a: F, b: F) => math.divide(a, b) as F;
const cmp = (a: F, b: F) => Number(math.compare(a, b));
const str = (a: F) => a.toFraction();
const dot = (a: F[], b: F[]) => a.reduce((s, ak, k) => add(s, mul(ak, b[k]!)), ZERO);
const axpy = (alpha: F, x: F[], yv: F[]) => yv.map((yk, k) => add(yk, mul(alpha, x[k]!)));
const maxOf = (xs: F[]) => xs.reduce((m, v) => (cmp(v, m) > 0 ? v : m));

interface Spec {
  name: string;
  note: string;
  model: { kind: 'linear' } | { kind: 'relu2'; v: string[] };
  x: string[][];
  y: (1 | -1)[];
  /** linear: 'max-margin' (theta null) or a multiple of w* written into the case */
  theta?: 'max-margin' | string;
  /** relu2: the class coordinate t of the kink-free construction (theta built from it) */
  forget: number[];
  kappa: string;
  gradient?: 'autodiff' | 'clarke';
  /** relu2 T1: per unit a pattern string over the points ('+' active, '-' inactive, '0' kink) */
  kinks?: string[];
  /** strictly upper part of a skew matrix S (row by row): rotate by (I - S)(I + S)^{-1} */
  rotate?: string[];
}

/** Hadamard row h of H_4, plus the class coordinate y t, times a scale s. */
const had = (h: number, s: number, y: number, t: number): string[] => {
  const H = [
    [1, 1, 1, 1],
    [1, -1, 1, -1],
    [1, 1, -1, -1],
    [1, -1, -1, 1],
  ];
  return [...H[h]!.map((e) => String(e * s)), String(y * t)];
};

/** The kinked template's data (x_0, x_1 positive with <x_0,x_1> < 0; x_2 negative, orthogonal to both), pattern and rotation. */
const KX = [
  ['1', '0', '0', '0'],
  ['-1', '1', '0', '0'],
  ['0', '0', '1', '1'],
];
const KP = ['+00', '++0', '00+'];
const KR = ['1/3', '0', '-2/3', '1/5', '1/3', '2/3'];

const SPECS: Spec[] = [
  {
    name: 'linear-orthogonal',
    note: 'L3 corollary: orthogonal data, GA is exact unlearning',
    model: { kind: 'linear' },
    x: [
      ['1', '0'],
      ['0', '1'],
    ],
    y: [1, -1],
    forget: [0],
    kappa: '1',
  },
  {
    name: 'linear-support-drops',
    note: 'THEORY section 7: x_0 = (3,0) is not a support vector',
    model: { kind: 'linear' },
    x: [
      ['3', '0'],
      ['1', '1'],
    ],
    y: [1, 1],
    forget: [1],
    kappa: '1',
  },
  {
    name: 'linear-half-step',
    note: 'L2(a): κ = 1/2 leaves ε = λ_r ||x_r|| / 2',
    model: { kind: 'linear' },
    x: [
      ['2', '1', '0'],
      ['1', '2', '1'],
      ['0', '-1', '1'],
    ],
    y: [1, 1, -1],
    forget: [0],
    kappa: '1/2',
  },
  {
    name: 'linear-forget-set',
    note: 'L4: a forget set of two, κ = 3/2',
    model: { kind: 'linear' },
    x: [
      ['2', '1', '0'],
      ['1', '2', '1'],
      ['0', '-1', '1'],
    ],
    y: [1, 1, -1],
    forget: [0, 2],
    kappa: '3/2',
  },
  {
    name: 'linear-theta-scaled',
    note: 'L5: θ = (9/8) w* is not a KKT point (δ0 > 0)',
    model: { kind: 'linear' },
    x: [
      ['2', '1', '0'],
      ['1', '2', '1'],
      ['0', '-1', '1'],
    ],
    y: [1, 1, -1],
    theta: '9/8',
    forget: [1],
    kappa: '1',
  },
  {
    name: 'linear-fractions',
    note: 'fractions and decimals in x',
    model: { kind: 'linear' },
    x: [
      ['1/2', '0.25', '-1'],
      ['-0.5', '2', '1/3'],
    ],
    y: [1, -1],
    forget: [1],
    kappa: '1',
  },
  {
    name: 'linear-hadamard-flip',
    note: 'nearly orthogonal: H_4 with one flipped entry',
    model: { kind: 'linear' },
    x: [
      ['-1', '1', '1', '1'],
      ['1', '-1', '1', '-1'],
      ['1', '1', '-1', '-1'],
      ['1', '-1', '-1', '1'],
    ],
    y: [1, -1, 1, 1],
    forget: [2],
    kappa: '1',
  },
  {
    name: 'linear-ints',
    note: 'small integers, κ = 5/4',
    model: { kind: 'linear' },
    x: [
      ['3', '-1', '0', '2', '1'],
      ['1', '2', '-2', '0', '1'],
      ['0', '1', '3', '-1', '2'],
      ['-2', '0', '1', '1', '-3'],
    ],
    y: [1, -1, 1, -1],
    forget: [3],
    kappa: '5/4',
  },
  {
    name: 'relu2-shifted',
    note: 'T1 kink-free KKT point, T2 at κ = 1',
    model: { kind: 'relu2', v: ['1', '-1'] },
    x: [had(1, 1, 1, 1), had(2, 1, -1, 1), had(3, 1, 1, 1)],
    y: [1, -1, 1],
    forget: [0],
    kappa: '1',
  },
  {
    name: 'relu2-two-positive',
    note: 'two positive neurons, scaled point, κ = 1/2',
    model: { kind: 'relu2', v: ['1', '1', '-1'] },
    x: [had(0, 1, 1, 2), had(1, 1, -1, 2), had(2, 2, 1, 2)],
    y: [1, -1, 1],
    forget: [2],
    kappa: '1/2',
  },
  {
    name: 'relu2-clarke',
    note: 'v = ±1/2, gradient clarke (no kinks: same as autodiff)',
    model: { kind: 'relu2', v: ['1/2', '-1/2'] },
    x: [had(0, 1, 1, 1), had(1, 1, -1, 1), had(2, 1, 1, 1), had(3, 1, -1, 1)],
    y: [1, -1, 1, -1],
    forget: [1],
    kappa: '3/4',
    gradient: 'clarke',
  },
  // T1 kinked: unit 0 active on x_0 with a kink on x_1 (Clarke choice 3/5), unit 1 active on
  // both, unit 2 (v < 0) active on x_2 with kinks on x_0 and x_1 (not orthogonal: <x_0,x_1> = -1)
  {
    name: 'relu2-kink-clarke',
    note: 'T1 with an interior Clarke choice s = 3/5 at the forgotten x_1, gradient clarke; dyadic (floats hit the kink exactly)',
    model: { kind: 'relu2', v: ['1', '1', '-1'] },
    x: KX,
    y: [1, 1, -1],
    forget: [1],
    kappa: '1',
    gradient: 'clarke',
    kinks: KP,
  },
  {
    name: 'relu2-kink-autodiff',
    note: "the same, autodiff: ReLU'(0) = 0 leaves x_1 in unit 0 (T2(d))",
    model: { kind: 'relu2', v: ['1', '1', '-1'] },
    x: KX,
    y: [1, 1, -1],
    forget: [1],
    kappa: '1',
    gradient: 'autodiff',
    kinks: KP,
  },
  {
    name: 'relu2-kink-clarke-rotated',
    note: 'interior Clarke choice at the forgotten x_1, κ = 3/4, data rotated to non-dyadic rationals',
    model: { kind: 'relu2', v: ['1/2', '1', '-4/3'] },
    x: KX,
    y: [1, 1, -1],
    forget: [1],
    kappa: '3/4',
    gradient: 'clarke',
    kinks: KP,
    rotate: KR,
  },
  {
    name: 'relu2-kink-autodiff-rotated',
    note: 'a kink of the forgotten x_1 no binary64 computation lands on (either autodiff branch is faithful)',
    model: { kind: 'relu2', v: ['1/2', '1', '-4/3'] },
    x: KX,
    y: [1, 1, -1],
    forget: [1, 2],
    kappa: '5/4',
    gradient: 'autodiff',
    kinks: KP,
    rotate: KR,
  },
  {
    name: 'relu2-kinks-retained',
    note: 'forget x_2: unit 2 keeps exact kinks on the retained, non-orthogonal x_0 and x_1 (rotated)',
    model: { kind: 'relu2', v: ['1', '1', '-1'] },
    x: KX,
    y: [1, 1, -1],
    forget: [2],
    kappa: '1/2',
    gradient: 'autodiff',
    kinks: KP,
    rotate: KR,
  },
  {
    name: 'relu2-kink-clarke-two',
    note: "forget x_0 and x_1 under clarke (rotated): interior s on x_1, s = 0 on unit 2's kink at x_0",
    model: { kind: 'relu2', v: ['1', '1', '-1'] },
    x: KX,
    y: [1, 1, -1],
    forget: [0, 1],
    kappa: '1',
    gradient: 'clarke',
    kinks: KP,
    rotate: KR,
  },
];

/** min ½λᵀQλ - bᵀλ over λ >= 0 by support enumeration (Q positive definite here: unique). */
function nnls(Q: F[][], b: F[]): F[] {
  const n = b.length;
  const found: F[][] = [];
  for (let mask = 0; mask < 1 << n; mask++) {
    const S = Array.from({ length: n }, (_, i) => i).filter((i) => (mask >> i) & 1);
    const lam = new Array<F>(n).fill(ZERO);
    if (S.length) {
      let sol: F[];
      try {
        const X = math.lusolve(
          math.matrix(S.map((i) => S.map((k) => Q[i]![k]!))),
          math.matrix(S.map((i) => [b[i]!])),
        ) as unknown as { toArray(): F[][] };
        sol = X.toArray().map((r) => r[0]!);
      } catch {
        continue; // singular
      }
      if (sol.some((v) => cmp(v, ZERO) < 0)) continue;
      S.forEach((i, k) => (lam[i] = sol[k]!));
    }
    const grad = Q.map((row, i) => sub(dot(row, lam), b[i]!));
    if (Array.from({ length: n }, (_, i) => i).every((i) => ((mask >> i) & 1) === 1 || cmp(grad[i]!, ZERO) >= 0))
      found.push(lam);
  }
  if (found.length !== 1 && !found.every((l) => l.every((v, i) => cmp(v, found[0]![i]!) === 0)))
    throw new Error(`NNLS: ${found.length} different solutions`);
  if (found.length === 0) throw new Error('NNLS: no solution (impossible for a PSD Q)');
  return found[0]!;
}

interface Net {
  v: F[];
  linear: boolean;
  /** kinks allowed (T1 cases): certificates by kinkedQP */
  kinked?: boolean;
  X: F[][];
  y: F[];
}

/** pre[j][i] = <θ_j, x_i>; activity s[j][i] (linear: 1); throws at a kink. */
function pattern(net: Net, W: F[][], points: number[], what: string): { pre: F[][]; s: number[][] } {
  const pre = W.map((w) => net.X.map((x) => dot(w, x)));
  const s = pre.map((row, j) =>
    row.map((p, i) => {
      if (net.linear) return 1;
      if (!net.kinked && points.includes(i) && cmp(p, ZERO) === 0)
        throw new Error(`${what}: kink at (${j}, ${i}); golden cases must be kink-free`);
      return cmp(p, ZERO) > 0 ? 1 : 0;
    }),
  );
  return { pre, s };
}

function marginsOf(net: Net, pre: F[][]): F[] {
  return net.X.map((_, i) =>
    mul(
      net.y[i]!,
      pre.reduce(
        (acc, row, j) => (net.linear || cmp(row[i]!, ZERO) > 0 ? add(acc, mul(net.v[j]!, row[i]!)) : acc),
        ZERO,
      ),
    ),
  );
}

/** The optimal certificate of W w.r.t. `points` (fixed pattern): λ, ε², δ, margins, τ. */
function certificate(net: Net, W: F[][], points: number[], what: string) {
  const { pre, s } = pattern(net, W, points, what);
  const q = marginsOf(net, pre);
  const kernel = (i: number, k: number) =>
    mul(
      mul(net.y[i]!, net.y[k]!),
      mul(
        dot(net.X[i]!, net.X[k]!),
        net.v.reduce((acc, vj, j) => (s[j]![i]! && s[j]![k]! ? add(acc, mul(vj, vj)) : acc), ZERO),
      ),
    );
  const Q = points.map((i) => points.map((k) => kernel(i, k)));
  const b = points.map((i) =>
    mul(
      net.y[i]!,
      net.v.reduce((acc, vj, j) => (s[j]![i]! ? add(acc, mul(vj, pre[j]![i]!)) : acc), ZERO),
    ),
  );
  const kinked = net.kinked && W.some((_, j) => points.some((i) => cmp(pre[j]![i]!, ZERO) === 0));
  const mq0 = points.map((i) => q[i]!);
  const tau0 = mq0.reduce((t, qi) => (cmp(sub(ONE, qi), t) > 0 ? sub(ONE, qi) : t), ZERO);
  if (kinked) {
    const deltaOf = (lam: F[]) => maxOf(points.map((i, a) => mul(lam[a]!, sub(q[i]!, ONE))));
    const qp = kinkedQP(net, W, points, pre);
    return {
      pre,
      s,
      clarke: qp.s,
      margins: mq0,
      tau: tau0,
      lambda: qp.lambda,
      epsilon2: qp.epsilon2,
      delta: deltaOf(qp.lambda),
      inherited: (lam: F[]) => ({ epsilon2: kinkedQP(net, W, points, pre, lam).epsilon2, delta: deltaOf(lam) }),
    };
  }
  const lambda = nnls(Q, b);
  const inherited = (lam: F[]) => {
    // ε² = ||W - Σ_i λ_i y_i v_j s_ji x_i||² directly, block by block
    const eps2 = W.reduce((acc, w, j) => {
      const r = points.reduce(
        (res, i, a) => (s[j]![i]! ? axpy(mul(mul(lam[a]!, net.y[i]!), net.v[j]!).neg(), net.X[i]!, res) : res),
        w,
      );
      return add(acc, dot(r, r));
    }, ZERO);
    const delta = maxOf(points.map((i, a) => mul(lam[a]!, sub(q[i]!, ONE))));
    return { epsilon2: eps2, delta };
  };
  const mq = points.map((i) => q[i]!);
  const tau = mq.reduce((t, qi) => (cmp(sub(ONE, qi), t) > 0 ? sub(ONE, qi) : t), ZERO);
  return { pre, s, clarke: null as F[][] | null, margins: mq, tau, lambda, ...inherited(lambda), inherited };
}

// ---------- kinked relu2 (T1 on a 3-valued pattern, certificates over the faces of D2) ----------

const solveF = (A: F[][], b: F[]): F[] | null => {
  try {
    return (math.lusolve(math.matrix(A), math.matrix(b.map((v) => [v]))) as unknown as { toArray(): F[][] })
      .toArray()
      .map((r) => r[0]!);
  } catch {
    return null; // singular
  }
};

/** Q = (I - S)(I + S)^{-1}, S skew from its strictly upper part: a rational orthogonal matrix. */
function cayley(upper: string[], d: number): F[][] {
  const S: F[][] = Array.from({ length: d }, () => new Array<F>(d).fill(ZERO));
  let t = 0;
  for (let i = 0; i < d; i++)
    for (let k = i + 1; k < d; k++) {
      S[i]![k] = F(upper[t++]!);
      S[k]![i] = mul(F(-1), S[i]![k]!);
    }
  const I = (i: number, k: number) => (i === k ? ONE : ZERO);
  const inv = math.inv(math.matrix(S.map((r, i) => r.map((v, k) => add(I(i, k), v))))) as unknown as {
    toArray(): F[][];
  };
  const P = inv.toArray();
  return S.map((r, i) => P.map((_, k) => r.reduce((acc, v, u) => add(acc, mul(sub(I(i, u), v), P[u]![k]!)), ZERO)));
}

/** T1: w_j = v_j Σ_i y_i c_ji x_i, c = λ_i on '+', 0 on '-', μ_ji on '0'; q_k = 1 and <w_j,x_k> = 0 on kinks. */
function t1(net: Net, pat: string[]): F[][] {
  const n = net.X.length;
  const kinks: [number, number][] = [];
  pat.forEach((row, j) => [...row].forEach((c, i) => c === '0' && kinks.push([j, i])));
  const nv = n + kinks.length;
  // coefficient of unknown u in c_ji
  const cOf = (j: number, i: number, u: number): F => {
    const c = pat[j]![i]!;
    if (c === '+') return u === i ? ONE : ZERO;
    if (c === '0') return u === n + kinks.findIndex(([a, b]) => a === j && b === i) ? ONE : ZERO;
    return ZERO;
  };
  // <w_j, x_k> as a row over the unknowns
  const preRow = (j: number, k: number) =>
    Array.from({ length: nv }, (_, u) =>
      net.X.reduce((acc, x, i) => add(acc, mul(mul(net.v[j]!, mul(net.y[i]!, cOf(j, i, u))), dot(x, net.X[k]!))), ZERO),
    );
  const rows: F[][] = [];
  const rhs: F[] = [];
  for (let k = 0; k < n; k++) {
    const r = new Array<F>(nv).fill(ZERO);
    pat.forEach((p, j) => {
      if (p[k] === '+') preRow(j, k).forEach((v, u) => (r[u] = add(r[u]!, mul(mul(net.y[k]!, net.v[j]!), v))));
    });
    rows.push(r);
    rhs.push(ONE);
  }
  for (const [j, k] of kinks) {
    rows.push(preRow(j, k));
    rhs.push(ZERO);
  }
  const z = solveF(rows, rhs);
  if (!z) throw new Error('T1: singular system');
  const W = pat.map((_, j) =>
    net.X.reduce(
      (w, x, i) =>
        axpy(
          mul(
            net.v[j]!,
            mul(
              net.y[i]!,
              z.reduce((acc, zu, u) => add(acc, mul(zu, cOf(j, i, u))), ZERO),
            ),
          ),
          x,
          w,
        ),
      net.X[0]!.map(() => ZERO),
    ),
  );
  z.slice(0, n).forEach((l) => {
    if (cmp(l, ZERO) < 0) throw new Error('T1: negative λ');
  });
  kinks.forEach(([, i], t) => {
    const mu = z[n + t]!;
    if (cmp(mu, ZERO) < 0 || cmp(mu, z[i]!) > 0) throw new Error('T1: μ outside [0, λ]');
  });
  W.forEach((w, j) =>
    net.X.forEach((x, i) => {
      const sg = cmp(dot(w, x), ZERO);
      if (sg !== { '+': 1, '-': -1, '0': 0 }[pat[j]![i]! as '+' | '-' | '0'])
        throw new Error(`T1: sign of <w_${j}, x_${i}> is not the pattern's`);
    }),
  );
  return W;
}

/**
 * min ||W - Σ_i λ_i y_i Σ_j v_j s_ji x_i||² over λ >= 0 (or λ fixed) and 0 <= μ_ji = λ_i s_ji <= λ_i at kinks,
 * by least squares on every face. Returns λ, the Clarke choices s at kinks, and ε².
 */
function kinkedQP(net: Net, W: F[][], points: number[], pre: F[][], fixed?: F[]) {
  const m = W.length;
  const d = W[0]!.length;
  const kinks: [number, number][] = [];
  for (let j = 0; j < m; j++) for (const i of points) if (cmp(pre[j]![i]!, ZERO) === 0) kinks.push([j, i]);
  const flat = (blocks: F[][]) => blocks.flat();
  const target = flat(W);
  // column of λ_i (active units only) and of μ_ji (unit j only), as flattened m x d blocks
  const lamCol = (i: number) =>
    flat(
      Array.from({ length: m }, (_, j) =>
        cmp(pre[j]![i]!, ZERO) > 0
          ? net.X[i]!.map((e) => mul(mul(net.y[i]!, net.v[j]!), e))
          : new Array<F>(d).fill(ZERO),
      ),
    );
  const muCol = (j: number, i: number) =>
    flat(
      Array.from({ length: m }, (_, t) =>
        t === j ? net.X[i]!.map((e) => mul(mul(net.y[i]!, net.v[j]!), e)) : new Array<F>(d).fill(ZERO),
      ),
    );
  const nP = points.length;
  let best: { eps2: F; lam: F[]; mu: F[] } | null = null;
  const minimizers: { lam: F[]; mu: F[] }[] = [];
  const lamStates = fixed ? [(1 << nP) - 1] : Array.from({ length: 1 << nP }, (_, k) => k);
  for (const lmask of lamStates) {
    const free = (a: number) => ((lmask >> a) & 1) === 1;
    const ks = kinks.filter(([, i]) => free(points.indexOf(i)));
    for (let code = 0; code < 3 ** ks.length; code++) {
      // state per kink: 0 (μ = 0), 1 (μ = λ), 2 (free)
      const st = ks.map((_, t) => Math.floor(code / 3 ** t) % 3);
      const cols: F[][] = [];
      const rhs0 = target.slice();
      const lamIdx: number[] = [];
      points.forEach((i, a) => {
        if (!free(a)) return;
        let col = lamCol(i);
        ks.forEach(([j, ki], t) => ki === i && st[t] === 1 && (col = col.map((c, u) => add(c, muCol(j, i)[u]!))));
        if (fixed) rhs0.forEach((_, u) => (rhs0[u] = sub(rhs0[u]!, mul(fixed[a]!, col[u]!))));
        else {
          lamIdx[a] = cols.length;
          cols.push(col);
        }
      });
      const muIdx = ks.map((jk, t) => (st[t] === 2 ? (cols.push(muCol(jk[0], jk[1])), cols.length - 1) : -1));
      let z: F[] = [];
      if (cols.length) {
        const sol = solveF(
          cols.map((c) => cols.map((e) => dot(c, e))),
          cols.map((c) => dot(c, rhs0)),
        );
        if (!sol) continue;
        z = sol;
      }
      const lam = points.map((_, a) => (fixed ? fixed[a]! : free(a) ? z[lamIdx[a]!]! : ZERO));
      const mu = kinks.map(([j, i]) => {
        const t = ks.findIndex(([a, b]) => a === j && b === i);
        if (t < 0) return ZERO;
        return st[t] === 0 ? ZERO : st[t] === 1 ? lam[points.indexOf(i)]! : z[muIdx[t]!]!;
      });
      if (
        lam.some((l) => cmp(l, ZERO) < 0) ||
        mu.some((u, t) => cmp(u, ZERO) < 0 || cmp(u, lam[points.indexOf(kinks[t]![1])]!) > 0)
      )
        continue;
      let r = target.slice();
      points.forEach((i, a) => (r = r.map((e, u) => sub(e, mul(lam[a]!, lamCol(i)[u]!)))));
      kinks.forEach(([j, i], t) => (r = r.map((e, u) => sub(e, mul(mu[t]!, muCol(j, i)[u]!)))));
      const eps2 = dot(r, r);
      const c = best ? cmp(eps2, best.eps2) : -1;
      if (c < 0) {
        best = { eps2, lam, mu };
        minimizers.length = 0;
      }
      if (c <= 0) minimizers.push({ lam, mu });
    }
  }
  if (!best) throw new Error('kinked QP: no feasible face');
  if (!minimizers.every((z) => z.lam.every((l, a) => cmp(l, best!.lam[a]!) === 0)))
    throw new Error('kinked QP: λ is not unique (not golden material)');
  const s = W.map(() => net.X.map(() => ZERO));
  kinks.forEach(([j, i], t) => {
    const l = best!.lam[points.indexOf(i)]!;
    s[j]![i] = cmp(l, ZERO) === 0 ? ZERO : div(best!.mu[t]!, l);
  });
  return { epsilon2: best.eps2, lambda: best.lam, s };
}

/** max-margin θ = Σ λ_i y_i x_i over `points` (linear). */
function maxMarginLinear(net: Net, points: number[]): F[] {
  const Q = points.map((i) => points.map((k) => mul(mul(net.y[i]!, net.y[k]!), dot(net.X[i]!, net.X[k]!))));
  const lam = nnls(
    Q,
    points.map(() => ONE),
  );
  return points.reduce(
    (w, i, a) => axpy(mul(lam[a]!, net.y[i]!), net.X[i]!, w),
    net.X[0]!.map(() => ZERO),
  );
}

/** relu2 kink-free KKT point: w_j = v_j Σ_{y_i = sgn v_j} λ_i y_i x_i, λ_c = NNLS of V_c G_cc. */
function kinkFreeRelu2(net: Net): F[][] {
  const n = net.X.length;
  const lam = new Array<F>(n).fill(ZERO);
  for (const c of [1, -1]) {
    const I = Array.from({ length: n }, (_, i) => i).filter((i) => cmp(net.y[i]!, F(c)) === 0);
    const V = net.v.reduce((acc, vj) => (Math.sign(vj.valueOf() as number) === c ? add(acc, mul(vj, vj)) : acc), ZERO);
    const sol = nnls(
      I.map((i) => I.map((k) => mul(V, dot(net.X[i]!, net.X[k]!)))),
      I.map(() => ONE),
    );
    I.forEach((i, a) => (lam[i] = sol[a]!));
  }
  return net.v.map((vj) =>
    net.X.reduce(
      (w, x, i) =>
        Math.sign(vj.valueOf() as number) === (net.y[i]!.valueOf() as number)
          ? axpy(mul(mul(vj, lam[i]!), net.y[i]!), x, w)
          : w,
      net.X[0]!.map(() => ZERO),
    ),
  );
}

/** T1 on R with θ's pattern s (all of R support vectors); null unless it verifies exactly. */
function retrainRelu2(net: Net, s: number[][], R: number[]): F[][] | null {
  const K = R.map((i) =>
    R.map((k) =>
      mul(
        mul(net.y[i]!, net.y[k]!),
        mul(
          dot(net.X[i]!, net.X[k]!),
          net.v.reduce((acc, vj, j) => (s[j]![i]! && s[j]![k]! ? add(acc, mul(vj, vj)) : acc), ZERO),
        ),
      ),
    ),
  );
  let lam: F[];
  try {
    lam = (math.lusolve(math.matrix(K), math.matrix(R.map(() => [ONE]))) as unknown as { toArray(): F[][] })
      .toArray()
      .map((r) => r[0]!);
  } catch {
    return null;
  }
  if (lam.some((l) => cmp(l, ZERO) < 0)) return null;
  const W = net.v.map((vj, j) =>
    R.reduce(
      (w, i, a) => (s[j]![i]! ? axpy(mul(mul(lam[a]!, net.y[i]!), vj), net.X[i]!, w) : w),
      net.X[0]!.map(() => ZERO),
    ),
  );
  const ok = W.every((w, j) => R.every((i) => Math.sign(cmp(dot(w, net.X[i]!), ZERO)) === (s[j]![i]! ? 1 : -1)));
  return ok ? W : null;
}

function golden(spec: Spec) {
  const linear = spec.model.kind === 'linear';
  const net: Net = {
    linear,
    kinked: spec.kinks !== undefined,
    v: linear ? [ONE] : (spec.model as { v: string[] }).v.map(F),
    X: spec.x.map((r) => r.map(F)),
    y: spec.y.map((v) => F(v)),
  };
  if (spec.rotate) {
    const Q = cayley(spec.rotate, spec.x[0]!.length);
    net.X = net.X.map((x) => Q.map((row) => dot(row, x)));
  }
  const n = spec.x.length;
  const all = Array.from({ length: n }, (_, i) => i);
  const retained = all.filter((i) => !spec.forget.includes(i));
  let W: F[][];
  let caseTheta: string[] | string[][] | null = null;
  if (linear) {
    const w = maxMarginLinear(net, all);
    W = [spec.theta && spec.theta !== 'max-margin' ? w.map((e) => mul(F(spec.theta!), e)) : w];
    if (spec.theta && spec.theta !== 'max-margin') caseTheta = W[0]!.map(str);
  } else {
    W = spec.kinks ? t1(net, spec.kinks) : kinkFreeRelu2(net);
    caseTheta = W.map((r) => r.map(str));
  }
  const before = certificate(net, W, all, 'before');
  // GA (D3): θ~_j = θ_j - Σ_r κ λ_r y_r v_j g_jr x_r, g = activity of θ at x_r
  const kappa = F(spec.kappa);
  // g_jr: 1 active, 0 inactive; at a kink 0 (autodiff) or the certificate's Clarke choice (clarke)
  const g = (j: number, r: number): F =>
    before.s[j]![r]! ? ONE : spec.gradient === 'clarke' && before.clarke ? before.clarke[j]![r]! : ZERO;
  const Wt = W.map((w, j) =>
    spec.forget.reduce(
      (acc, r) =>
        cmp(g(j, r), ZERO) !== 0
          ? axpy(mul(mul(mul(mul(kappa, before.lambda[r]!), net.y[r]!), net.v[j]!), g(j, r)).neg(), net.X[r]!, acc)
          : acc,
      w,
    ),
  );
  const after = certificate(net, Wt, retained, 'after');
  // sign flips on retained points would need Clarke choices: not golden material
  if (!linear)
    for (let j = 0; j < W.length; j++)
      for (const i of retained)
        if (cmp(before.pre[j]![i]!, ZERO) !== cmp(after.pre[j]![i]!, ZERO))
          throw new Error(`${spec.name}: activation flip at (${j}, ${i})`);
  const inherited = after.inherited(retained.map((i) => before.lambda[i]!));

  // Retraining: linear max margin on R; relu2 (T3) the KKT point of P(R) with θ's pattern
  // on R and every retained point a support vector (λ = K_R^{-1} 1), when θ is an exact KKT
  // point and that λ >= 0 reproduces the pattern exactly; else null (FORMAT.md).
  let star: F[][] | null = null;
  if (linear) star = [maxMarginLinear(net, retained)];
  else if (
    [before.epsilon2, before.tau, before.delta].every((q) => cmp(q, ZERO) === 0) &&
    !W.some((_, j) => retained.some((i) => cmp(before.pre[j]![i]!, ZERO) === 0))
  )
    star = retrainRelu2(net, before.s, retained);
  let retrained: Record<string, unknown> | null = null;
  if (star) {
    const ab = Wt.reduce((acc, a, j) => add(acc, dot(a, star![j]!)), ZERO);
    const aa = Wt.reduce((acc, a) => add(acc, dot(a, a)), ZERO);
    const bb = star.reduce((acc, b) => add(acc, dot(b, b)), ZERO);
    const distance2 = Wt.reduce((acc, a, j) => {
      const d = a.map((ak, k) => sub(ak, star![j]![k]!));
      return add(acc, dot(d, d));
    }, ZERO);
    const denom = mul(aa, bb);
    retrained = {
      theta: linear ? star[0]!.map(str) : star.map((r) => r.map(str)),
      distance2: str(distance2),
      cos2: str(cmp(denom, ZERO) === 0 ? ZERO : div(mul(ab, math.abs(ab) as F), denom)),
    };
  }
  const thetaJson = (M: F[][]) => (linear ? M[0]!.map(str) : M.map((r) => r.map(str)));
  const caseJson: Record<string, unknown> = {
    format: 'unlearn-kkt/case@1',
    model: spec.model,
    x: spec.rotate ? net.X.map((r) => r.map(str)) : spec.x,
    y: spec.y,
    theta: caseTheta,
    forget: spec.forget,
    step: { kappa: spec.kappa },
  };
  if (!linear) caseJson.gradient = spec.gradient ?? 'autodiff';
  return {
    format: 'unlearn-kkt/golden@1',
    name: spec.name,
    note: spec.note,
    source: 'scripts/golden.ts (mathjs Fractions, support enumeration; independent of src/)',
    case: caseJson,
    expected: {
      before: {
        margins: before.margins.map(str),
        tau: str(before.tau),
        epsilon2: str(before.epsilon2),
        delta: str(before.delta),
        lambda: before.lambda.map(str),
      },
      after: {
        theta: thetaJson(Wt),
        margins: after.margins.map(str),
        tau: str(after.tau),
        epsilon2: str(after.epsilon2),
        delta: str(after.delta),
        lambda: after.lambda.map(str),
        inherited: { epsilon2: str(inherited.epsilon2), delta: str(inherited.delta) },
      },
      retrained,
    },
  };
}

const dir = new URL('../fixtures/golden/', import.meta.url);
mkdirSync(dir, { recursive: true });
for (const f of readdirSync(dir)) if (f.endsWith('.json')) rmSync(new URL(f, dir));
for (const spec of SPECS) {
  const g = golden(spec);
  writeFileSync(new URL(`${spec.name}.json`, dir), JSON.stringify(g, null, 2) + '\n');
  process.stdout.write(`fixtures/golden/${spec.name}.json  ${spec.note}\n`);
}
