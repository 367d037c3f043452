// The input schemas (schemas/*.schema.json) are valid JSON Schemas: src/formats/schema.ts
// compiles them without ajv's meta-schema check (start-up time), so the check is made here.
// Twin: a schema with a wrong keyword type is rejected, so the check is not vacuous.
import { describe, expect, test } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';

const DIR = fileURLToPath(new URL('../schemas/', import.meta.url));
const names = readdirSync(DIR).filter((f) => f.endsWith('.schema.json'));

describe('schemas', () => {
  test('there are schemas to check', () => expect(names.length).toBeGreaterThanOrEqual(4));
  test.each(names)('%s is a valid JSON Schema', (name) => {
    const ajv = new Ajv({ strict: false });
    const schema = JSON.parse(readFileSync(DIR + name, 'utf8'));
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
  });
  test('twin: a schema with "type": 3 is rejected', () => {
    expect(new Ajv({ strict: false }).validateSchema({ type: 3 })).toBe(false);
  });
});
