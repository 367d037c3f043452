// Case files (FORMAT.md `unlearn-kkt/case@1`): parse into exact values, and write back.
import { Rational } from '../exact/rational.ts';
import { ScaledVec } from '../exact/vec.ts';
import { InputError, shown } from '../errors.ts';
import type { Dataset, Label } from '../data/dataset.ts';
import type { Model } from '../models/model.ts';
import type { Gradient, Step } from '../unlearn/ga.ts';
import type { Case } from '../unlearn/pipeline.ts';
import { checkSchema } from './schema.ts';
import { checkStepKeys } from '../formats/stepKeys.ts';

export const CASE_FORMAT = 'unlearn-kkt/case@1';

/** The pipeline's input (unlearn/pipeline.ts owns it); this file reads and writes it. */
export type { Case };

type Json = Record<string, unknown>;

function rationalRow(row: unknown[], where: string): Rational[] {
  return row.map((v, k) => Rational.parse(v, `${where}[${k}]`));
}

/** Plain integers below 10^15: a subset of the rational grammar, read without a Rational each. */
const SMALL_INT = /^-?[1-9]\d{0,14}$|^0$/;

/**
 * A row of rationals as one vector. Rows of plain integers (generated data) skip the Rationals
 * and the BigInts (safe integers, ScaledVec.ofSafeInts), and `seen` (one per file, bounded)
 * reads each distinct entry string once: data rarely has many.
 */
function vectorRow(row: unknown[], where: string, seen: Map<unknown, number>): ScaledVec {
  const nums = new Float64Array(row.length);
  for (let k = 0; k < row.length; k++) {
    const v = row[k];
    let q = seen.get(v);
    if (q === undefined) {
      if (typeof v !== 'string' || !SMALL_INT.test(v)) return ScaledVec.fromRationals(rationalRow(row, where));
      q = Number(v);
      if (seen.size < 4096) seen.set(v, q);
    }
    nums[k] = q;
  }
  return ScaledVec.ofSafeInts(nums);
}

export function parseCase(json: unknown): Case {
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    throw new InputError('a case must be a JSON object');
  const o = json as Json;
  if (o.format !== CASE_FORMAT) throw new InputError(`format is ${shown(o.format)}, expected "${CASE_FORMAT}"`);
  checkStepKeys(o.step);
  checkSchema('case@1', o);

  const xs = o.x as unknown[][];
  const d = xs[0]!.length;
  xs.forEach((row, i) => {
    if (row.length !== d) throw new InputError(`x[${i}] has ${row.length} entries, expected ${d}`);
  });
  const n = xs.length;
  const y = o.y as Label[];
  if (y.length !== n) throw new InputError(`y has ${y.length} labels, expected ${n} (one per row of x)`);
  const seen = new Map<unknown, number>();
  const x = xs.map((row, i) => vectorRow(row, `x[${i}]`, seen));
  x.forEach((row, i) => {
    if (row.isZero()) throw new InputError(`x[${i}] is the zero vector: no margin can reach 1 on it`);
  });

  const m = o.model as Json;
  let model: Model;
  if (m.kind === 'relu2') {
    if (!Array.isArray(m.v)) throw new InputError('model.v is required for relu2 (m nonzero output weights)');
    const v = rationalRow(m.v, 'model.v');
    v.forEach((vj, j) => {
      if (vj.isZero()) throw new InputError(`model.v[${j}] is 0: output weights must be nonzero`);
    });
    model = { kind: 'relu2', v };
  } else {
    if (m.v !== undefined) throw new InputError('model.v applies to relu2 only');
    model = { kind: 'linear' };
  }

  let theta: ScaledVec[] | null = null;
  if (o.theta !== undefined && o.theta !== null) {
    const t = o.theta as unknown[];
    if (model.kind === 'linear') {
      if (t.some(Array.isArray)) throw new InputError('theta must be d rationals for a linear model');
      if (t.length !== d) throw new InputError(`theta has ${t.length} entries, expected ${d}`);
      theta = [vectorRow(t, 'theta', seen)];
    } else {
      const mm = model.v.length;
      if (t.length !== mm || !t.every(Array.isArray))
        throw new InputError(`theta must be ${mm} rows (one per output weight) of ${d} rationals`);
      theta = (t as unknown[][]).map((row, j) => {
        if (row.length !== d) throw new InputError(`theta[${j}] has ${row.length} entries, expected ${d}`);
        return vectorRow(row, `theta[${j}]`, seen);
      });
    }
  } else if (model.kind === 'relu2') {
    throw new InputError('theta is required for relu2 (the trained network before unlearning)');
  }

  const forget = o.forget as number[];
  forget.forEach((r, k) => {
    if (r >= n) throw new InputError(`forget[${k}] is ${r}, out of range for n = ${n}`);
  });
  if (forget.length >= n) throw new InputError('forget lists every point: at least one must be retained');

  const s = (o.step ?? { kappa: '1' }) as Json;
  const step: Step =
    s.kappa !== undefined
      ? { kind: 'kappa', kappa: Rational.parse(s.kappa, 'step.kappa') }
      : { kind: 'beta', beta: Rational.parse(s.beta, 'step.beta'), loss: s.loss as 'logistic' | 'exponential' };

  if (o.gradient !== undefined && model.kind !== 'relu2') throw new InputError('gradient applies to relu2 only');
  const gradient = (o.gradient ?? 'autodiff') as Gradient;

  return { model, data: { x, y }, theta, forget: forget.slice(), step, gradient };
}

/** The case as FORMAT.md JSON (rationals as reduced strings). */
export function caseToJson(c: Case): Json {
  const str = (v: ScaledVec) => v.toRationals().map(String);
  const out: Json = {
    format: CASE_FORMAT,
    model: c.model.kind === 'linear' ? { kind: 'linear' } : { kind: 'relu2', v: c.model.v.map(String) },
    x: c.data.x.map(str),
    y: c.data.y.slice(),
    theta: c.theta === null ? null : c.model.kind === 'linear' ? str(c.theta[0]!) : c.theta.map(str),
    forget: c.forget.slice(),
    step: c.step.kind === 'kappa' ? { kappa: String(c.step.kappa) } : { beta: String(c.step.beta), loss: c.step.loss },
  };
  if (c.model.kind === 'relu2') out.gradient = c.gradient;
  return out;
}
