// Result files (FORMAT.md `unlearn-kkt/result@1`): what an implementation under test
// prints, read into exact values (JSON numbers as their binary64 value) or classified as
// one of the ways a subject can get the protocol wrong. Never throws on a subject's output.
import { Rational } from '../exact/rational.ts';
import { ScaledVec } from '../exact/vec.ts';
import { BudgetError, InputError } from '../errors.ts';
import { blocksOf, type Model } from '../models/model.ts';
import { checkSchema } from './schema.ts';
import { StrictJsonError, parseStrictJson } from '../formats/strictJson.ts';

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

export type ParsedResult =
  { ok: true; result: SubjectResult } | { ok: false; kind: ResultProblemKind; message: string };

/** The shape a result must have: the case's model and dimension. */
export interface Shape {
  model: Model;
  d: number;
}

/** Longest message kept: a subject's values are echoed as a prefix and their length. */
const MAX_MESSAGE = 300;
/** A one-line message, capped (a 7 MB bad string must not reach the table or the report whole). */
export function capped(message: string): string {
  const one = message.replace(/\s*\n\s*/g, ' ');
  return one.length <= MAX_MESSAGE ? one : `${one.slice(0, MAX_MESSAGE - 60)}… (${one.length} characters in all)`;
}

const bad = (kind: ResultProblemKind, message: string): ParsedResult => ({ ok: false, kind, message: capped(message) });

/**
 * Parse a subject's stdout text: strict JSON (src/formats/strictJson.ts) nested at most 64
 * deep; a repeated key is refused (an ambiguous result is not guessed at); bare NaN and
 * Infinity tokens (Python's json.dumps) are bad numbers.
 */
export function parseResultText(text: string, shape: Shape): ParsedResult {
  const trimmed = text.trim();
  if (trimmed === '') return bad('not-json', 'stdout is empty');
  let value: unknown;
  try {
    value = parseStrictJson(trimmed);
  } catch (e) {
    if (!(e instanceof StrictJsonError)) throw e;
    if (e.kind === 'non-finite') return bad('bad-number', `stdout is not JSON: ${e.message}`);
    if (e.kind === 'duplicate-key') return bad('wrong-format', `stdout has a ${e.message}`);
    const head = trimmed.slice(0, 40).replace(/\s+/g, ' ');
    return bad('not-json', `stdout is not JSON (${e.message}); it starts with ${JSON.stringify(head)}`);
  }
  return parseResultValue(value, shape);
}

/** A non-finite number among the keys the guard reads (in-process values; unknown keys are ignored). */
function nonFinitePath(o: Record<string, unknown>): string | null {
  const rows = Array.isArray(o.theta_after) ? o.theta_after : [];
  for (let j = 0; j < rows.length; j++) {
    const row = rows[j];
    if (typeof row === 'number' && !Number.isFinite(row)) return `theta_after[${j}] is ${row}`;
    if (Array.isArray(row)) {
      for (let k = 0; k < row.length; k++) {
        const v = row[k];
        if (typeof v === 'number' && !Number.isFinite(v)) return `theta_after[${j}][${k}] is ${v}`;
      }
    }
  }
  for (const key of ['epsilon', 'delta', 'tau']) {
    const v = o[key];
    if (typeof v === 'number' && !Number.isFinite(v)) return `${key} is ${v}`;
  }
  return null;
}

/** Parse an already JSON-parsed result (or an in-process subject's return value). */
export function parseResultValue(value: unknown, shape: Shape): ParsedResult {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return bad('wrong-format', 'the result is not a JSON object');
  const o = value as Record<string, unknown>;
  if (o.format !== RESULT_FORMAT)
    return bad('wrong-format', `format is ${JSON.stringify(o.format) ?? 'missing'}, expected "${RESULT_FORMAT}"`);
  const nf = nonFinitePath(o);
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
    if (nested)
      return bad('wrong-shape', `theta_after must be ${shape.d} numbers for a linear model, got nested arrays`);
    blocks = [rows];
  } else {
    if (!rows.every(Array.isArray))
      return bad('wrong-shape', `theta_after must be ${m} rows of ${shape.d} numbers for relu2`);
    blocks = rows as unknown[][];
    if (blocks.length !== m)
      return bad('wrong-shape', `theta_after has ${blocks.length} rows, expected ${m} (one per output weight)`);
  }
  for (let j = 0; j < blocks.length; j++) {
    if (blocks[j]!.length !== shape.d) {
      const where = shape.model.kind === 'linear' ? 'theta_after' : `theta_after[${j}]`;
      return bad('wrong-shape', `${where} has ${blocks[j]!.length} entries, expected ${shape.d}`);
    }
  }
  try {
    const theta = blocks.map((row, j) =>
      ScaledVec.fromRationals(
        row.map((v, k) =>
          Rational.parse(v, shape.model.kind === 'linear' ? `theta_after[${k}]` : `theta_after[${j}][${k}]`),
        ),
      ),
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
