// Seeded dataset generators: deterministic functions of their parameters, exact data.
//
// Stream layout (see random.ts): every generator draws row i from
// `new Rng(seed).fork(0).fork(i)` and the labels from `fork(1)` (hadamardFlips:
// rows' flips from fork(0).fork(i), labels fork(1), row choice fork(2)), so the
// first rows of a dataset do not depend on n (except hadamardFlips' row choice,
// a shuffle of all d rows, whose prefix of length n also does not depend on n).
//
// Names and parameters (also the `data` object of a claim@1 file, see generate()):
//   smallInts      { n, d, seed, max = 3 }        entries uniform in [-max, max], no zero row
//   rademacher     { n, d, seed }                  entries uniform in {-1, +1}
//   hadamardFlips  { n, d, flips, seed }           Sylvester Hadamard rows, `flips` entries negated per row
//   gaussianMixture{ n, d, seed, mu, sigma }       x = y mu + xi, xi ~ N(0, sigma^2 I) as binary64
// Labels are uniform +-1 in every generator.
import { Rational, lcm, splitDouble } from '../exact/rational.ts';
import { ScaledVec } from '../exact/vec.ts';
import { InputError, shown } from '../errors.ts';
import { brief } from '../exact/decimal.ts';
import type { Dataset, Label } from './dataset.ts';
import { Rng } from './random.ts';

const GENERATOR_NAMES = ['smallInts', 'rademacher', 'hadamardFlips', 'gaussianMixture'] as const;
export type GeneratorName = (typeof GENERATOR_NAMES)[number];

export interface SmallIntsParams {
  n: number;
  d: number;
  seed: number;
  max?: number;
}
export interface RademacherParams {
  n: number;
  d: number;
  seed: number;
}
export interface HadamardFlipsParams {
  n: number;
  d: number;
  flips: number;
  seed: number;
}
export interface GaussianMixtureParams {
  n: number;
  d: number;
  seed: number;
  /**
   * The class mean: d rationals (numbers are read as their exact binary64 value,
   * strings as FORMAT.md rationals), or one scalar a meaning mu = (a, 0, ..., 0)
   * (the noise is isotropic, so only ||mu|| matters; a scalar fits every d).
   */
  mu: readonly (number | string | Rational)[] | number | string | Rational;
  /** Noise standard deviation (a double; only used to sample the binary64 noise). */
  sigma: number | string | Rational;
}

// ---- validation ----

function int(v: unknown, name: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
    throw new InputError(`${name} must be an integer, got ${shown(v)}`);
  }
  if (v < min || v > max) throw new InputError(`${name} = ${v} is out of range [${min}, ${max}]`);
  return v;
}

/** Largest n * d a generator builds (guards claim files against runaway sizes; docs/LIMITS.md). */
const MAX_ENTRIES = 1 << 24;

function sizes(n: unknown, d: unknown, where: string): { n: number; d: number } {
  const nn = int(n, `${where}.n`, 1);
  const dd = int(d, `${where}.d`, 1);
  if (nn * dd > MAX_ENTRIES) throw new InputError(`${where}: n * d = ${nn * dd} exceeds ${MAX_ENTRIES}`);
  return { n: nn, d: dd };
}

function labels(rng: Rng, n: number): Label[] {
  const y: Label[] = [];
  for (let i = 0; i < n; i++) y.push(rng.nextSign());
  return y;
}

// ---- smallInts ----

/** Integer entries uniform in [-max, max]; a zero row is redrawn from the same row stream. */
export function smallInts(p: SmallIntsParams): Dataset {
  const { n, d } = sizes(p.n, p.d, 'smallInts');
  const seed = int(p.seed, 'smallInts.seed', Number.MIN_SAFE_INTEGER);
  const max = int(p.max ?? 3, 'smallInts.max', 1, 2 ** 31);
  const root = new Rng(seed);
  const rows = root.fork(0);
  const x: ScaledVec[] = [];
  for (let i = 0; i < n; i++) {
    const g = rows.fork(i);
    const row = new Float64Array(d);
    do for (let k = 0; k < d; k++) row[k] = g.nextInt(-max, max);
    while (row.every((v) => v === 0));
    x.push(ScaledVec.ofSafeInts(row));
  }
  return { x, y: labels(root.fork(1), n) };
}

/**
 * n points with integer entries in [-max, max], labelled by the sign of <w, x> for a planted
 * integer w (points with <w, x> = 0 redrawn): separable, and rank-deficient when n > d.
 */
export function plantedInts(n: number, d: number, seed: number, max = 3): Dataset {
  const g = new Rng(seed);
  const w = Array.from({ length: d }, () => g.nextInt(-max, max));
  if (!w.some((v) => v !== 0)) w[0] = 1; // a zero w labels nothing
  const x: ScaledVec[] = [];
  const y: Label[] = [];
  while (x.length < n) {
    const p = Array.from({ length: d }, () => g.nextInt(-max, max));
    const s = p.reduce((a, v, k) => a + v * w[k]!, 0);
    if (s === 0) continue;
    x.push(ScaledVec.ofSafeInts(Float64Array.from(p)));
    y.push(s > 0 ? 1 : -1);
  }
  return { x, y };
}

// ---- rademacher ----

/** Entries uniform in {-1, +1}: ||x_i||^2 = d exactly. */
export function rademacher(p: RademacherParams): Dataset {
  const { n, d } = sizes(p.n, p.d, 'rademacher');
  const seed = int(p.seed, 'rademacher.seed', Number.MIN_SAFE_INTEGER);
  const root = new Rng(seed);
  const rows = root.fork(0);
  const x: ScaledVec[] = [];
  for (let i = 0; i < n; i++) {
    const g = rows.fork(i);
    const row = new Float64Array(d);
    for (let k = 0; k < d; k++) row[k] = g.nextSign();
    x.push(ScaledVec.ofSafeInts(row));
  }
  return { x, y: labels(root.fork(1), n) };
}

// ---- hadamardFlips ----

/** Entry (i, j) of the Sylvester Hadamard matrix: (-1)^popcount(i & j). */
export function hadamardEntry(i: number, j: number): 1 | -1 {
  let v = (i & j) >>> 0;
  let parity = 0;
  while (v !== 0) {
    parity ^= 1;
    v &= v - 1;
  }
  return parity ? -1 : 1;
}

/**
 * Proven bound on phi for hadamardFlips with d >= 2 and n >= 2:
 *   |<x_i,x_k>| <= min(4 min(f, d - f), d),  and  <x_i,x_k> = 0 (mod 4).
 * Proof. x_i = h_i with its entries on a set S_i (|S_i| = f) negated, so
 * x_i[j] x_k[j] = h_i[j] h_k[j] (-1)^[j in S_i xor j in S_k], and with <h_i,h_k> = 0,
 *   <x_i,x_k> = -2 sum_{j in S_i (+) S_k} h_i[j] h_k[j].
 * |S_i (+) S_k| = 2f - 2|S_i n S_k| is even, at most 2f, and at most 2d - 2f
 * (because |S_i n S_k| >= 2f - d); a sum of an even number of +-1 is even. Cauchy-
 * Schwarz gives <= ||x_i|| ||x_k|| = d. Every ||x_i||^2 = d, so
 *   rho <= (n - 1) min(4 min(f, d - f), d) / d,  and NO holds when 8 (n - 1) min(f, d - f) < d.
 */
export function hadamardFlipsPhiBound(flips: number, d: number): number {
  return Math.min(4 * Math.min(flips, d - flips), d);
}

/**
 * n distinct rows of the Sylvester Hadamard matrix H_d (d a power of two, n <= d;
 * the all-ones row 0 may be chosen like any other), picked by a seeded Fisher-Yates
 * shuffle of all d rows; then in each row `flips` distinct positions (seeded, per row)
 * are negated. With flips = 0 the rows are exactly orthogonal (phi = 0). See
 * hadamardFlipsPhiBound for the proven bound on phi.
 */
export function hadamardFlips(p: HadamardFlipsParams): Dataset {
  const { n, d } = sizes(p.n, p.d, 'hadamardFlips');
  if ((d & (d - 1)) !== 0 || d > 2 ** 30) throw new InputError(`hadamardFlips.d = ${d} must be a power of two`);
  if (n > d) throw new InputError(`hadamardFlips.n = ${n} exceeds d = ${d} (H_d has d rows)`);
  const flips = int(p.flips, 'hadamardFlips.flips', 0, d);
  const seed = int(p.seed, 'hadamardFlips.seed', Number.MIN_SAFE_INTEGER);
  const root = new Rng(seed);

  // Partial Fisher-Yates over all d row indices: the first n are the chosen rows.
  const chooser = root.fork(2);
  const order = Array.from({ length: d }, (_, j) => j);
  for (let i = 0; i < n; i++) {
    const j = chooser.nextInt(i, d - 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }

  const rows = root.fork(0);
  const pos = new Array<number>(d);
  const x: ScaledVec[] = [];
  for (let i = 0; i < n; i++) {
    const h = order[i]!;
    const ints = new Float64Array(d);
    for (let j = 0; j < d; j++) ints[j] = hadamardEntry(h, j);
    const g = rows.fork(i);
    for (let j = 0; j < d; j++) pos[j] = j;
    for (let t = 0; t < flips; t++) {
      const u = g.nextInt(t, d - 1);
      [pos[t], pos[u]] = [pos[u]!, pos[t]!];
      const j = pos[t]!;
      ints[j] = -ints[j]!;
    }
    x.push(ScaledVec.ofSafeInts(ints));
  }
  return { x, y: labels(root.fork(1), n) };
}

// ---- gaussianMixture ----

function readRational(v: unknown, where: string): Rational {
  return v instanceof Rational ? v : Rational.parse(v, where);
}

/** The exact mean vector of gaussianMixture (length d). */
export function gaussianMixtureMean(mu: GaussianMixtureParams['mu'], d: number): Rational[] {
  if (Array.isArray(mu)) {
    if (mu.length !== d) throw new InputError(`gaussianMixture.mu has ${mu.length} entries, expected d = ${d}`);
    return mu.map((v, k) => readRational(v, `gaussianMixture.mu[${k}]`));
  }
  const a = readRational(mu, 'gaussianMixture.mu');
  return Array.from({ length: d }, (_, k) => (k === 0 ? a : Rational.ZERO));
}

function readSigma(sigma: unknown): number {
  const s =
    sigma instanceof Rational
      ? sigma.toNumber()
      : typeof sigma === 'string'
        ? Rational.parse(sigma, 'gaussianMixture.sigma').toNumber()
        : sigma;
  if (typeof s !== 'number' || !Number.isFinite(s) || s < 0) {
    throw new InputError(`gaussianMixture.sigma must be a finite number >= 0, got ${shown(sigma)}`);
  }
  return s;
}

/**
 * The random draws of gaussianMixture, as doubles: labels y and noise rows
 * xi[i][k] = sigma * g (g a deterministic standard normal, see random.ts).
 * The dataset is x_i = y_i mu + xi_i, each xi entry read as its exact binary64 value.
 */
export function gaussianMixtureDraws(p: GaussianMixtureParams): { y: Label[]; xi: Float64Array[] } {
  const { n, d } = sizes(p.n, p.d, 'gaussianMixture');
  const seed = int(p.seed, 'gaussianMixture.seed', Number.MIN_SAFE_INTEGER);
  const sigma = readSigma(p.sigma);
  const root = new Rng(seed);
  const rows = root.fork(0);
  const xi: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const g = rows.fork(i);
    const row = new Float64Array(d);
    for (let k = 0; k < d; k++) row[k] = sigma * g.nextGaussian();
    xi.push(row);
  }
  return { y: labels(root.fork(1), n), xi };
}

/**
 * y uniform +-1, x = y mu + xi with xi ~ N(0, sigma^2 I_d) sampled in binary64; the
 * doubles are the data: x_i[k] = y_i mu_k + (exact value of the double xi_i[k]).
 * The mean is kept exact (not rounded to a double), so x_i - y_i mu is exactly the
 * sampled noise. Rows are built as integers over one common denominator
 * D * 2^-emin (D = lcm of mu's denominators) without per-entry Rational objects.
 */
export function gaussianMixture(p: GaussianMixtureParams): Dataset {
  const { d } = sizes(p.n, p.d, 'gaussianMixture');
  const mu = gaussianMixtureMean(p.mu, d);
  const { y, xi } = gaussianMixtureDraws(p);
  let D = 1n;
  for (const q of mu) D = lcm(D, q.den);
  const muInts = mu.map((q) => q.num * (D / q.den)); // mu_k = muInts[k] / D
  const x = xi.map((row, i) => {
    const parts = Array.from(row, splitDouble);
    let emin = 0; // x_i[k] = (y muInts[k] + mant_k 2^(e_k) D) / D, brought to 2^emin
    for (const { mant, exp } of parts) if (mant !== 0n && exp < emin) emin = exp;
    const yi = BigInt(y[i]!);
    const ints = parts.map(
      ({ mant, exp }, k) => yi * muInts[k]! * (1n << BigInt(-emin)) + mant * D * (1n << BigInt(exp - emin)),
    );
    return ScaledVec.of(ints, Rational.of(1n, D * (1n << BigInt(-emin))));
  });
  return { x, y };
}

// ---- by name ----

const KEYS: Record<GeneratorName, readonly string[]> = {
  smallInts: ['n', 'd', 'seed', 'max'],
  rademacher: ['n', 'd', 'seed'],
  hadamardFlips: ['n', 'd', 'flips', 'seed'],
  gaussianMixture: ['n', 'd', 'seed', 'mu', 'sigma'],
};

function isGeneratorName(name: unknown): name is GeneratorName {
  return typeof name === 'string' && (GENERATOR_NAMES as readonly string[]).includes(name);
}

/**
 * Run a generator by name with concrete parameters (a claim@1 `data` object with its
 * ranges already resolved). A `generator` key is ignored; any other unknown key is an
 * InputError (it catches typos such as "flip"); `seed` defaults to 0.
 */
export function generate(name: string, params: object): Dataset {
  if (!isGeneratorName(name)) {
    throw new InputError(`unknown generator "${name}", expected one of ${GENERATOR_NAMES.join(', ')}`);
  }
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    throw new InputError(`${name}: parameters must be an object`);
  }
  for (const key of Object.keys(params)) {
    if (key !== 'generator' && !KEYS[name].includes(key)) {
      throw new InputError(`${name} has no parameter "${key}" (parameters: ${KEYS[name].join(', ')})`);
    }
  }
  const q = { seed: 0, ...params } as Record<string, unknown>;
  switch (name) {
    case 'smallInts':
      return smallInts(q as unknown as SmallIntsParams);
    case 'rademacher':
      return rademacher(q as unknown as RademacherParams);
    case 'hadamardFlips':
      return hadamardFlips(q as unknown as HadamardFlipsParams);
    case 'gaussianMixture':
      if (q.mu === undefined) throw new InputError('gaussianMixture needs "mu"');
      if (q.sigma === undefined) throw new InputError('gaussianMixture needs "sigma"');
      return gaussianMixture(q as unknown as GaussianMixtureParams);
  }
}

/** A readable call form, e.g. `rademacher(n=3,d=8,seed=12)` (keys in the generator's order). */
export function describeGenerator(name: string, p: object): string {
  const params = p as Readonly<Record<string, unknown>>;
  const order = isGeneratorName(name) ? KEYS[name] : Object.keys(params).sort();
  const fmt = (v: unknown): string =>
    v instanceof Rational
      ? brief(v)
      : Array.isArray(v)
        ? `[${v.map(fmt).join(',')}]`
        : typeof v === 'string'
          ? v
          : String(v);
  const parts = order.filter((k) => params[k] !== undefined).map((k) => `${k}=${fmt(params[k])}`);
  return `${name}(${parts.join(',')})`;
}
