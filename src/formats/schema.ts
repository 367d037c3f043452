// JSON-schema validation of input files (schemas/*.json) with one-line error messages.
// ajv checks the structure; callers check what a schema cannot say (shapes, indices).
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { InputError } from '../errors.ts';

const ajv = new Ajv({ allErrors: false, strict: false });
const compiled = new Map<string, ValidateFunction>();

function validatorFor(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const url = new URL(`../../schemas/${name}.schema.json`, import.meta.url);
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
  if (e.keyword === 'required') return `${where === 'the file' ? '' : where + ': '}missing "${(e.params as { missingProperty: string }).missingProperty}"`;
  if (e.keyword === 'enum') return `${where} must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'const') return `${where} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`;
  if (e.keyword === 'additionalProperties') return `${where} has an unknown key "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  return `${where} ${e.message ?? 'is invalid'}`;
}

/** Throws InputError with the first schema violation, as one line. */
export function checkSchema(name: string, value: unknown): void {
  const v = validatorFor(name);
  if (!v(value)) throw new InputError(describe(v.errors![0]!));
}
