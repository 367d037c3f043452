// KKT points of the two-layer max-margin problem with the output layer trained too
// (docs/THEORY-extensions.md V0, V1): minimize ½(||W||² + ||v||²) s.t. y_i N(x_i; W, v) >= 1.
//
// V1: (W, v) is a KKT point iff W is a KKT point of the fixed-v problem (T1) with the same
// (λ, s) AND every unit is balanced, ||w_j||² = v_j². Balance is a quadratic condition, so
// KKT points are irrational for generic data. Two exact routes:
// - closedFormV: exactly orthogonal data, points grouped by label, each group served by its
//   own units; exact (ε = 0) whenever the group sums H_g = Σ_{i in g} 1/||x_i||² and
//   B_g / |J_g| (B_g = sqrt(H_g)) are rational squares (e.g. Hadamard rows with d = 4^k and
//   groups of 1 or 4 points); InputError otherwise.
// - balancedPolish: float64 training of (W, v) jointly (normalized GD on the exponential
//   loss from a tiny balanced init; gradient flow keeps ||w_j||² - v_j² constant) proposes
//   the pattern and v; W is polished EXACTLY for that v (T1); then v is rebalanced by the scale-free update |v_j| <- sqrt(|v_j| ||w_j||) (float proposal, read as
//   its exact binary64 value) and W re-polished EXACTLY for that v (T1). The result is an
//   (ε0, 0, 0)-approximate KKT point: margins exactly 1, W-block exact, and the v-block
//   residual under T1's certificate is the balance defect (v_j² - ||w_j||²)/v_j (V1(b)).
import { Rational } from '../exact/rational.ts';
import { sqrtEnclosure } from '../exact/enclosure.ts';
import { gram } from '../exact/vec.ts';
import { type Dataset, type Label, makeDataset } from '../data/dataset.ts';
import { hadamardEntry } from '../data/generators.ts';
import { InputError } from '../errors.ts';
import type { Activation } from '../models/model.ts';
import { Params } from '../models/params.ts';
import type { Relu2V } from '../models/relu2v.ts';
import { patternOf as floatPatternOf } from '../float/relu2Float.ts';
import { gaussian, mulberry32 } from '../float/prng.ts';
import { DEFAULT_TOLERANCES, type KKTPoint, polish } from './polish.ts';

export interface KKTPointV {
  theta: Relu2V;
  /** λ per point (the construction's certificate) */
  lambda: Rational[];
  pattern: Activation[][];
}

/** sqrt(q) when q is the square of a rational, else undefined. */
function exactSqrt(q: Rational): Rational | undefined {
  const e = sqrtEnclosure(q, 10);
  return e.lo.eq(e.hi) ? e.lo : undefined;
}

/**
 * V1(e): groups partition the points, each of one label y_g; group g gets units J_g with
 * v_j = y_g a_g, a_g² = B_g/|J_g|, w_j = v_j Σ_{i in g} λ_i y_i x_i, λ_i = 1/(B_g ||x_i||²).
 * `units[g]` fixes |J_g|; by default the least of 1..4 that makes a_g rational.
 */
export function closedFormV(
  data: Dataset,
  groups: readonly (readonly number[])[],
  units?: readonly number[],
  G0?: readonly (readonly Rational[])[],
): KKTPointV {
  const n = data.x.length;
  const G = G0 ?? gram(data.x);
  for (let i = 0; i < n; i++) {
    for (let k = i + 1; k < n; k++)
      if (!G[i]![k]!.isZero())
        throw new InputError(`closedFormV: <x[${i}], x[${k}]> = ${G[i]![k]} != 0 (needs orthogonal data)`);
  }
  const seen = new Array<boolean>(n).fill(false);
  groups.forEach((g, a) => {
    if (g.length === 0) throw new InputError(`closedFormV: group ${a} is empty`);
    for (const i of g) {
      if (!Number.isInteger(i) || i < 0 || i >= n || seen[i])
        throw new InputError(`closedFormV: point ${i} of group ${a} is out of range or repeated`);
      if (data.y[i] !== data.y[g[0]!]) throw new InputError(`closedFormV: group ${a} mixes labels`);
      seen[i] = true;
    }
  });
  if (seen.includes(false)) throw new InputError(`closedFormV: point ${seen.indexOf(false)} is in no group`);

  const v: Rational[] = [];
  const coef: Rational[][] = [];
  const lambda = new Array<Rational>(n).fill(Rational.ZERO);
  const unitGroup: number[] = [];
  groups.forEach((g, a) => {
    const H = g.reduce((s, i) => s.add(Rational.ONE.div(G[i]![i]!)), Rational.ZERO);
    const B = exactSqrt(H);
    if (!B) throw new InputError(`closedFormV: group ${a} has H = ${H}, not a rational square`);
    const choices = units ? [units[a]!] : [1, 2, 3, 4];
    let k = 0;
    let amp: Rational | undefined;
    for (const c of choices) {
      amp = exactSqrt(B.div(Rational.of(c)));
      if (amp) {
        k = c;
        break;
      }
    }
    if (!amp)
      throw new InputError(
        `closedFormV: group ${a} has B = ${B}; B/|J| is not a rational square for |J| in ${choices.join(',')}`,
      );
    const y = Rational.of(data.y[g[0]!]!);
    for (const i of g) lambda[i] = Rational.ONE.div(B.mul(G[i]![i]!));
    for (let u = 0; u < k; u++) {
      const vj = amp.mul(y);
      v.push(vj);
      unitGroup.push(a);
      // w_j = v_j Σ_{i in g} λ_i y_i x_i
      coef.push(Array.from({ length: n }, (_, i) => (g.includes(i) ? vj.mul(lambda[i]!).mul(y) : Rational.ZERO)));
    }
  });
  const pattern = unitGroup.map((a) =>
    Array.from({ length: n }, (_, i): Activation => (groups[a]!.includes(i) ? 'on' : 'kink')),
  );
  return { theta: { W: Params.fromCombination(coef, data, G), v }, lambda, pattern };
}

export interface BalancedOptions {
  /** seed of the float training that proposes the pattern */
  seed?: number;
  /** float training steps (default 3000) */
  steps?: number;
  /** rebalancing rounds (default 4: any defect is fine for the bounds, which take ε0) */
  rounds?: number;
  G?: readonly (readonly Rational[])[];
}

export type Balanced = KKTPointV & {
  /** Σ_j (v_j² - ||w_j||²)² / v_j²: the squared v-block residual of T1's certificate */
  defect2: Rational;
  rounds: number;
};

/**
 * Float64 GD on Σ_i exp(-q_i) over (W, v), the gradient divided by the loss and by ||θ||
 * (2-homogeneity: ∇L/L grows like ||θ||, so this keeps the growth linear, as normalized GD
 * does for 1-homogeneous models). W is kept as W0 + A X (pre-activations P = P0 + A G, a step
 * costs O(m n²)); v_j starts at sign_j ||w0_j|| (balanced). Returns doubles: a proposal only.
 */
export function trainV(
  X: readonly (readonly number[])[],
  y: readonly number[],
  signs: readonly number[],
  seed: number,
  steps: number,
): { W: number[][]; v: number[] } {
  const n = X.length;
  const m = signs.length;
  const d = X[0]?.length ?? 0;
  const g = gaussian(mulberry32(seed));
  const W0 = Array.from({ length: m }, () => Array.from({ length: d }, () => (1e-6 / Math.sqrt(Math.max(d, 1))) * g()));
  const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, t, k) => s + t * b[k]!, 0);
  const w2 = W0.map((w) => dot(w, w));
  const v = w2.map((t, j) => signs[j]! * Math.sqrt(t));
  const G = X.map((a) => X.map((b) => dot(a, b)));
  const P = W0.map((w) => X.map((x) => dot(w, x)));
  const A = W0.map(() => new Array<number>(n).fill(0));
  const lr = 1 / Math.max(...X.map((x) => Math.sqrt(dot(x, x))));
  const dA = new Array<number>(n);
  for (let t = 0; t < steps; t++) {
    const q = y.map((yi, i) => yi * v.reduce((s, vj, j) => s + (P[j]![i]! > 0 ? vj * P[j]![i]! : 0), 0));
    const qmin = Math.min(...q);
    const e = q.map((qi) => Math.exp(qmin - qi));
    const Z = e.reduce((s, u) => s + u, 0);
    const norm = Math.sqrt(w2.reduce((s, u) => s + u, 0) + v.reduce((s, u) => s + u * u, 0));
    const eta = lr / (Z * norm);
    const dv = v.map((_, j) => eta * y.reduce((s, yi, i) => s + (P[j]![i]! > 0 ? e[i]! * yi * P[j]![i]! : 0), 0));
    for (let j = 0; j < m; j++) {
      const Pj = P[j]!;
      for (let i = 0; i < n; i++) dA[i] = Pj[i]! > 0 ? eta * e[i]! * y[i]! * v[j]! : 0;
      // ||w_j + Σ dA_i x_i||² from the old pre-activations
      let inc = 0;
      for (let i = 0; i < n; i++) {
        if (dA[i] === 0) continue;
        inc += 2 * dA[i]! * Pj[i]!;
        for (let k = 0; k < n; k++) inc += dA[i]! * dA[k]! * G[i]![k]!;
      }
      w2[j]! += inc;
      for (let i = 0; i < n; i++) {
        if (dA[i] === 0) continue;
        A[j]![i]! += dA[i]!;
        for (let k = 0; k < n; k++) Pj[k]! += dA[i]! * G[i]![k]!;
      }
      v[j]! += dv[j]!;
    }
  }
  const W = W0.map((w0, j) => w0.map((u, k) => u + A[j]!.reduce((s, a, i) => s + a * X[i]![k]!, 0)));
  return { W, v };
}

function defect2Of(kkt: KKTPoint, v: readonly Rational[]): Rational {
  return v.reduce((s, vj, j) => s.add(vj.mul(vj).sub(kkt.params.norm2[j]!).pow(2).div(vj.mul(vj))), Rational.ZERO);
}

const FROM_FLOAT: Record<number, Activation> = { 1: 'on', 0: 'kink', [-1]: 'off' };

/** A proposal for v_j as an exact binary32 value: short denominators keep the T1 solves small. */
const propose = (x: number): Rational => Rational.fromDouble(Math.fround(x));

/** The balanced polish route (see the header); undefined when no pattern polishes. */
export function balancedPolish(
  data: Dataset,
  signs: readonly (1 | -1)[],
  opts: BalancedOptions = {},
): Balanced | undefined {
  const G = opts.G ?? gram(data.x);
  const X = data.x.map((x) => x.toRationals().map((q) => q.toNumber()));
  const float = trainV(X, [...data.y], signs, opts.seed ?? 0, opts.steps ?? 3000);
  if (float.v.some((t) => !Number.isFinite(t) || t === 0)) return undefined;
  let v = float.v.map(propose);
  let kkt: KKTPoint | undefined;
  const tried = new Set<string>();
  for (const tol of DEFAULT_TOLERANCES) {
    const pattern = floatPatternOf(float.W, X, tol).map((row) => row.map((t) => FROM_FLOAT[t]!));
    const key = pattern.map((r) => r.join()).join(';');
    if (tried.has(key)) continue;
    tried.add(key);
    const res = polish(data, v, pattern, { G });
    if (res.ok) {
      kkt = res.kkt;
      break;
    }
  }
  if (!kkt) return undefined;
  // A dead unit (w_j = 0: all kinks) is exactly KKT at (0, 0): drop it rather than keep a
  // float-sized v_j that no rebalancing can move to 0.
  const live = kkt.params.norm2.map((_, j) => j).filter((j) => !kkt!.params.norm2[j]!.isZero());
  if (live.length === 0) return undefined;
  if (live.length < v.length) {
    v = live.map((j) => v[j]!);
    const res = polish(
      data,
      v,
      live.map((j) => kkt!.pattern[j]!),
      { G },
    );
    if (!res.ok) return undefined;
    kkt = res.kkt;
  }
  // Global scale first: v -> s v maps ||W||² to ||W||²/s², so s⁴ = ||W||²/||v||² balances the
  // totals without touching the pattern.
  const ratio = kkt.params.normSquared.toNumber() / v.reduce((t, vj) => t + vj.toNumber() ** 2, 0);
  const scaled = v.map((vj) => propose(vj.toNumber() * ratio ** 0.25));
  const first = polish(data, scaled, kkt.pattern, { G });
  if (first.ok) {
    v = scaled;
    kkt = first.kkt;
  }
  let defect2 = defect2Of(kkt, v);
  let rounds = 0;
  for (let t = 0; t < (opts.rounds ?? 4) && !defect2.isZero(); t++) {
    // per unit, |v_j| <- |v_j| (||w_j|| / |v_j|)^(1/2) (invariant under v -> c v), damped
    // by halving the exponent when a round does not improve the defect
    const cur = kkt;
    let done = false;
    for (const power of [0.5, 0.25, 0.125]) {
      const next = v.map((vj, j) => {
        const a = Math.abs(vj.toNumber());
        return propose(vj.sign() * a * (Math.sqrt(cur.params.norm2[j]!.toNumber()) / a) ** power);
      });
      if (next.some((q) => q.isZero())) continue;
      const res = polish(data, next, cur.pattern, { G });
      if (!res.ok) continue;
      const d2 = defect2Of(res.kkt, next);
      if (!d2.lt(defect2)) continue;
      v = next;
      kkt = res.kkt;
      defect2 = d2;
      rounds = t + 1;
      done = true;
      break;
    }
    if (!done) break;
  }
  return { theta: { W: kkt.params, v }, lambda: kkt.lambda, pattern: kkt.pattern, defect2, rounds };
}

export interface ClosedFormInstance {
  data: Dataset;
  groups: number[][];
  kkt: KKTPointV;
}

/**
 * Data on which closedFormV is exact: the first n Sylvester-Hadamard rows of size d = 4^k
 * (||x||² = 4^k, a square), labels from the bits of `labels` (bit i set: y_i = -1), one
 * group per point, except that with `shared` the first four points of each label (when
 * there are four) form one group (H_g = 4/4^k, again a square).
 */
export function closedFormInstance(p: { k: number; n: number; labels: number; shared: boolean }): ClosedFormInstance {
  const d = 4 ** p.k;
  if (!Number.isInteger(p.k) || p.k < 1 || p.k > 4)
    throw new InputError(`closedFormInstance: k = ${p.k} must be 1..4 (d = 4^k)`);
  if (!Number.isInteger(p.n) || p.n < 1 || p.n > d)
    throw new InputError(`closedFormInstance: n = ${p.n} must be 1..${d}`);
  const x = Array.from({ length: p.n }, (_, i) =>
    Array.from({ length: d }, (_, j) => Rational.of(hadamardEntry(i, j))),
  );
  const y = x.map((_, i): Label => ((p.labels >> i) & 1 ? -1 : 1));
  const data = makeDataset(x, y);
  const groups: number[][] = [];
  for (const label of [1, -1] as const) {
    const idx = y.map((_, i) => i).filter((i) => y[i] === label);
    const head = p.shared && idx.length >= 4 ? [idx.splice(0, 4)] : [];
    groups.push(...head, ...idx.map((i) => [i]));
  }
  return { data, groups, kkt: closedFormV(data, groups) };
}
