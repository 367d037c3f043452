// Result files (FORMAT.md `unlearn-kkt/result@1`): what an implementation under test
// prints, read into exact values (JSON numbers as their binary64 value) or classified as
// one of the ways a subject can get the protocol wrong. Never throws on a subject's output.
import { Rational } from '../exact/rational.ts';
import { ScaledVec } from '../exact/vec.ts';
import { BudgetError, InputError } from '../errors.ts';
import { blocksOf, type Model } from '../models/model.ts';
import { checkSchema } from './schema.ts';

const RESULT_FORMAT = 'unlearn-kkt/result@1';

/** What the implementation claims of its own θ~ (FORMAT.md: optional epsilon, delta, tau). */
export interface Claims {
  epsilon?: Rational;
  delta?: Rational;
  tau?: Rational;
}

export interface SubjectResult {
  /** θ~ as blocks (linear: one block), exact */
  theta: ScaledVec[];
  claims: Claims;
}

/** How a subject's stdout can fail the protocol (see runner.ts for process failures). */
export type ResultProblemKind = 'not-json' | 'wrong-format' | 'wrong-shape' | 'bad-number';

export type ParsedResult = { ok: true; result: SubjectResult } | { ok: false; kind: ResultProblemKind; message: string };

/** The shape a result must have: the case's model and dimension. */
export interface Shape {
  model: Model;
  d: number;
}

const bad = (kind: ResultProblemKind, message: string): ParsedResult => ({ ok: false, kind, message });

// Python's json.dumps writes NaN / Infinity / -Infinity as bare tokens (not JSON).
const NON_FINITE_TOKEN = /(?<![\w."])-?(?:NaN|Infinity)(?![\w"])/;

/** Parse a subject's stdout text. */
export function parseResultText(text: string, shape: Shape): ParsedResult {
  const trimmed = text.trim();
  if (trimmed === '') return bad('not-json', 'stdout is empty');
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (e) {
    if (NON_FINITE_TOKEN.test(trimmed)) {
      try {
        JSON.parse(trimmed.replace(new RegExp(NON_FINITE_TOKEN, 'g'), 'null'));
        return bad('bad-number', `stdout has ${NON_FINITE_TOKEN.exec(trimmed)![0]} entries (not a finite rational)`);
      } catch {
        /* not JSON even then: fall through */
      }
    }
    const head = trimmed.slice(0, 40).replace(/\s+/g, ' ');
    return bad('not-json', `stdout is not JSON (${(e as Error).message.split('\n')[0]}); it starts with ${JSON.stringify(head)}`);
  }
  return parseResultValue(value, shape);
}

/** Where a non-finite number sits in an in-process value (JSON text cannot hold one). */
function nonFinitePath(v: unknown, path: string): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${path} is ${v}`;
  if (Array.isArray(v)) {
    for (let k = 0; k < v.length; k++) {
      const p = nonFinitePath(v[k], `${path}[${k}]`);
      if (p) return p;
    }
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) {
      const p = nonFinitePath(x, path ? `${path}.${k}` : k);
      if (p) return p;
    }
  }
  return null;
}

/** Parse an already JSON-parsed result (or an in-process subject's return value). */
export function parseResultValue(value: unknown, shape: Shape): ParsedResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return bad('wrong-format', 'the result is not a JSON object');
  const o = value as Record<string, unknown>;
  if (o.format !== RESULT_FORMAT) return bad('wrong-format', `format is ${JSON.stringify(o.format) ?? 'missing'}, expected "${RESULT_FORMAT}"`);
  const nf = nonFinitePath(o, '');
  if (nf) return bad('bad-number', `${nf}, not a finite rational`);
  try {
    checkSchema('result@1', o);
  } catch (e) {
    if (e instanceof InputError) return bad('wrong-format', e.message);
    throw e;
  }
  const rows = o.theta_after as unknown[];
  const m = blocksOf(shape.model);
  const nested = rows.some(Array.isArray);
  let blocks: unknown[][];
  if (shape.model.kind === 'linear') {
    if (nested) return bad('wrong-shape', `theta_after must be ${shape.d} numbers for a linear model, got nested arrays`);
    blocks = [rows];
  } else {
    if (!rows.every(Array.isArray)) return bad('wrong-shape', `theta_after must be ${m} rows of ${shape.d} numbers for relu2`);
    blocks = rows as unknown[][];
    if (blocks.length !== m) return bad('wrong-shape', `theta_after has ${blocks.length} rows, expected ${m} (one per output weight)`);
  }
  for (let j = 0; j < blocks.length; j++) {
    if (blocks[j]!.length !== shape.d) {
      const where = shape.model.kind === 'linear' ? 'theta_after' : `theta_after[${j}]`;
      return bad('wrong-shape', `${where} has ${blocks[j]!.length} entries, expected ${shape.d}`);
    }
  }
  try {
    const theta = blocks.map((row, j) =>
      ScaledVec.fromRationals(row.map((v, k) => Rational.parse(v, shape.model.kind === 'linear' ? `theta_after[${k}]` : `theta_after[${j}][${k}]`))),
    );
    const claims: Claims = {};
    for (const key of ['epsilon', 'delta', 'tau'] as const) {
      if (o[key] === undefined) continue;
      const q = Rational.parse(o[key], key);
      if (q.sign() < 0) return bad('bad-number', `${key} is ${q}: a claimed ${key} must be >= 0`);
      claims[key] = q;
    }
    return { ok: true, result: { theta, claims } };
  } catch (e) {
    if (e instanceof InputError || e instanceof BudgetError) return bad('bad-number', e.message);
    throw e;
  }
}
