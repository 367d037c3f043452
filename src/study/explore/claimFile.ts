// Claim files (FORMAT.md `unlearn-kkt/claim@1`): parse, validate, and resolve into a Claim
// whose expressions are compiled (dsl.ts) and whose ranges are checked against the
// generator. Extensions to FORMAT.md (all optional, documented in docs/claims.md):
// ranges for step.kappa / step.beta and generator parameters, `gradient`, `train`,
// `forget` (the forget-set size), `description`.
import { Rational } from '../../exact/rational.ts';
import { brief } from '../../exact/decimal.ts';
import { InputError, shown } from '../../errors.ts';
import { checkSchema } from '../../formats/schema.ts';
import { checkStepKeys } from '../../formats/stepKeys.ts';
import { checkWork, exploreSampleWork } from '../../unlearn/workLimit.ts';
import type { GeneratorName } from '../../data/generators.ts';
import type { Gradient, Loss } from '../../unlearn/ga.ts';
import { type Compiled, compile } from './dsl.ts';

const CLAIM_FORMAT = 'unlearn-kkt/claim@1';

/** Both ends inclusive. */
export interface IntRange {
  lo: number;
  hi: number;
}
export interface QRange {
  lo: Rational;
  hi: Rational;
}

export interface ClaimData {
  generator: GeneratorName;
  n: IntRange;
  d: IntRange;
  /** smallInts: entries in [-max, max] (default 3) */
  max?: IntRange;
  /** hadamardFlips: negated entries per row (required) */
  flips?: IntRange;
  /** relu2: number of hidden units (required), v_j = +1 for even j, -1 for odd j */
  m?: IntRange;
  /** gaussianMixture: the scalar class mean (mu, 0, ..., 0) and noise deviation (required) */
  mu?: QRange;
  sigma?: QRange;
}

export type ClaimStep = { kind: 'kappa'; kappa: QRange } | { kind: 'beta'; beta: QRange; loss: Loss };

export interface Claim {
  name: string;
  description?: string;
  model: 'linear' | 'relu2';
  data: ClaimData;
  step: ClaimStep;
  /** relu2: the gradient the GA step uses at kinks (default autodiff) */
  gradient: Gradient;
  /** linear: θ from float64 gradient descent with this many steps instead of the max-margin solution */
  train?: { steps: IntRange };
  /** the forget-set size |F| (undefined: one point r, the original format) */
  forget?: IntRange;
  assume: Compiled[];
  conclude: Compiled[];
}

type Json = Record<string, unknown>;

function intRange(v: unknown, where: string): IntRange {
  const [lo, hi] = Array.isArray(v) ? (v as number[]) : [v as number, v as number];
  if (lo! > hi!) throw new InputError(`${where} is [${lo}, ${hi}]: the low end exceeds the high end`);
  return { lo: lo!, hi: hi! };
}

function qRange(v: unknown, where: string): QRange {
  if (Array.isArray(v)) {
    const lo = Rational.parse(v[0], `${where}[0]`);
    const hi = Rational.parse(v[1], `${where}[1]`);
    if (lo.gt(hi)) throw new InputError(`${where} is [${brief(lo)}, ${brief(hi)}]: the low end exceeds the high end`);
    return { lo, hi };
  }
  const q = Rational.parse(v, where);
  return { lo: q, hi: q };
}

const ONLY: Record<string, GeneratorName> = {
  max: 'smallInts',
  flips: 'hadamardFlips',
  mu: 'gaussianMixture',
  sigma: 'gaussianMixture',
};

/** Largest n * d a claim may ask for (every sample builds an n x d exact matrix). */
export const MAX_CLAIM_ENTRIES = 1 << 16;

function parseData(o: Json, model: 'linear' | 'relu2'): ClaimData {
  const generator = o.generator as GeneratorName;
  const data: ClaimData = { generator, n: intRange(o.n, 'data.n'), d: intRange(o.d, 'data.d') };
  if (data.n.lo < 2)
    throw new InputError(`data.n starts at ${data.n.lo}: a claim needs n >= 2 (one point forgotten, one retained)`);
  if (data.d.lo < 1) throw new InputError('data.d must be >= 1');
  if (data.n.hi * data.d.hi > MAX_CLAIM_ENTRIES)
    throw new InputError(`data: n * d up to ${data.n.hi * data.d.hi} exceeds ${MAX_CLAIM_ENTRIES}`);
  // the real cost (unlearn/workLimit.ts): n², m; kinks are checked per sample
  const m = model === 'relu2' && o.m !== undefined ? intRange(o.m, 'data.m').hi : 1;
  checkWork(
    { n: data.n.hi, d: data.d.hi, m, kinks: 0 },
    'data: the largest sample',
    exploreSampleWork(),
    "explore's per-sample limit",
  );
  for (const [key, gen] of Object.entries(ONLY)) {
    if (o[key] !== undefined && generator !== gen)
      throw new InputError(`data.${key} applies to the ${gen} generator only`);
  }
  if (o.m !== undefined && model !== 'relu2') throw new InputError('data.m applies to relu2 claims only');
  if (o.max !== undefined) {
    data.max = intRange(o.max, 'data.max');
    if (data.max.lo < 1) throw new InputError('data.max must be >= 1');
  }
  if (generator === 'hadamardFlips') {
    if (o.flips === undefined)
      throw new InputError('data.flips is required for hadamardFlips (0 gives exactly orthogonal rows)');
    data.flips = intRange(o.flips, 'data.flips');
    let ok = false;
    for (let d = 1; d <= data.d.hi; d *= 2) if (d >= data.d.lo && d >= data.n.lo) ok = true;
    if (!ok)
      throw new InputError(
        `data.d = [${data.d.lo}, ${data.d.hi}] holds no power of two >= n = ${data.n.lo} (hadamardFlips)`,
      );
  }
  if (generator === 'gaussianMixture') {
    if (o.mu === undefined || o.sigma === undefined)
      throw new InputError('data.mu and data.sigma are required for gaussianMixture');
    if (Array.isArray(o.mu) && o.mu.length !== 2) throw new InputError('data.mu must be a scalar or a range [lo, hi]');
    data.mu = qRange(o.mu, 'data.mu');
    data.sigma = qRange(o.sigma, 'data.sigma');
    if (data.sigma.lo.sign() < 0) throw new InputError('data.sigma must be >= 0');
  }
  if (model === 'relu2') {
    if (o.m === undefined) throw new InputError('data.m (hidden units) is required for relu2 claims');
    data.m = intRange(o.m, 'data.m');
    if (data.m.lo < 1) throw new InputError('data.m must be >= 1');
  }
  return data;
}

function compileAll(list: unknown, key: string): Compiled[] {
  return ((list ?? []) as unknown[]).map((t, i) => compile(t, `${key}[${i}]`));
}

/** Parse a claim@1 object; `file` (optional) only prefixes nothing, it is kept for reports. */
export function parseClaim(json: unknown): Claim {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new InputError('a claim must be a JSON object');
  const o = json as Json;
  if (o.format !== CLAIM_FORMAT) throw new InputError(`format is ${shown(o.format)}, expected "${CLAIM_FORMAT}"`);
  // Friendlier than ajv's oneOf message for the common mistakes in `step`.
  const s = o.step as Json | undefined;
  checkStepKeys(s);
  checkSchema('claim@1', o);

  const model = o.model as 'linear' | 'relu2';
  const data = parseData(o.data as Json, model);
  const step: ClaimStep =
    s === undefined
      ? { kind: 'kappa', kappa: { lo: Rational.ONE, hi: Rational.ONE } }
      : s.kappa !== undefined
        ? { kind: 'kappa', kappa: qRange(s.kappa, 'step.kappa') }
        : { kind: 'beta', beta: qRange(s.beta, 'step.beta'), loss: s.loss as Loss };
  const range = step.kind === 'kappa' ? step.kappa : step.beta;
  if (range.lo.sign() < 0) throw new InputError(`step.${step.kind} must be >= 0`);
  if (o.gradient !== undefined && model !== 'relu2') throw new InputError('gradient applies to relu2 claims only');
  let train: Claim['train'];
  if (o.train !== undefined) {
    if (model !== 'linear')
      throw new InputError('train applies to linear claims only (relu2 always trains to a KKT point)');
    train = { steps: intRange((o.train as Json).steps, 'train.steps') };
    if (train.steps.lo < 1) throw new InputError('train.steps must be >= 1');
  }
  let forget: IntRange | undefined;
  if (o.forget !== undefined) {
    forget = intRange(o.forget, 'forget');
    if (forget.lo < 1) throw new InputError('forget must be >= 1 (a forget set is not empty)');
    // sizes above n - 1 are cut per sample; the smallest must leave a retained point
    if (forget.lo >= data.n.lo)
      throw new InputError(`forget starts at ${forget.lo} but data.n at ${data.n.lo}: a claim retains a point`);
  }
  return {
    name: o.name as string,
    description: o.description as string | undefined,
    model,
    data,
    step,
    gradient: (o.gradient ?? 'autodiff') as Gradient,
    train,
    forget,
    assume: compileAll(o.assume, 'assume'),
    conclude: compileAll(o.conclude, 'conclude'),
  };
}
