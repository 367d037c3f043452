// JSON-schema validation of input files (schemas/*.json) with one-line error messages.
// ajv checks the structure; callers check what a schema cannot say (shapes, indices).
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError, shown } from '../errors.ts';
import { ROOT } from '../root.ts';

// The schemas are this repository's files, checked against the meta-schema by a test
// (properties/formats.schemas.test.ts), so a process does not check them again: compiling
// without that (and without ajv's optional code pass, the same checks) halves the start-up cost.
const ajv = new Ajv({ allErrors: false, strict: false, validateSchema: false, code: { optimize: false } });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const url = new URL(`schemas/${name}.schema.json`, ROOT);
    v = ajv.compile(JSON.parse(readFileSync(url, 'utf8')));
    compiled.set(name, v);
  }
  return v;
}

/** "/x/3/1" -> "x[3][1]" */
function pathOf(instancePath: string): string {
  return instancePath
    .split('/')
    .slice(1)
    .map((p, k) => (/^\d+$/.test(p) ? `[${p}]` : k === 0 ? p : `.${p}`))
    .join('');
}

function describe(e: ErrorObject): string {
  const where = pathOf(e.instancePath) || 'the file';
  if (e.keyword === 'required')
    return `${where === 'the file' ? '' : where + ': '}missing "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === 'enum')
    return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'const')
    return `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  if (e.keyword === 'additionalProperties')
    return `${where} has an unknown key ${shown((e.params as { additionalProperty: string }).additionalProperty)}`;
  if (e.keyword === 'type') {
    const t = (e.params as { type: string | string[] }).type;
    const types = Array.isArray(t) ? t : String(t).split(',');
    if (types.includes('string') && types.includes('number'))
      return `${where} must be a rational (a string such as "3/4", or a number)`;
    return `${where} must be ${types.map((x) => (x === 'object' || x === 'array' || x === 'integer' ? `an ${x}` : `a ${x}`)).join(' or ')}`;
  }
  return `${where} ${e.message ?? 'is invalid'}`;
}

/**
 * The error to report. ajv lists the failures of every branch of a oneOf before the oneOf
 * itself; the first is often the wrong branch's ("theta must be null" for a nested theta,
 * `missing "kappa"` for a bad loss). The deepest failure is the one inside the branch the
 * value was meant for; at equal depth an unknown key or a bad value beats a missing key or a
 * wrong type.
 */
export function bestError(errors: readonly ErrorObject[]): ErrorObject {
  const rank = (e: ErrorObject) =>
    e.keyword === 'oneOf' ? 0 : e.keyword === 'type' ? 1 : e.keyword === 'required' ? 2 : 3;
  const depth = (e: ErrorObject) => e.instancePath.split('/').length + (e.keyword === 'additionalProperties' ? 1 : 0);
  return errors.reduce((a, b) => (depth(b) > depth(a) || (depth(b) === depth(a) && rank(b) > rank(a)) ? b : a));
}

/** Throws InputError with the schema violation that explains it best, as one line. */
export function checkSchema(name: string, value: unknown): void {
  const v = validatorFor(name);
  if (!v(value)) throw new InputError(describe(bestError(v.errors!)));
}
