// src/formats/strictJson.ts: the same values as JSON.parse on JSON text (pretty or compact),
// the same accept/reject decision on mutated text, and where JSON.parse would overflow the
// stack or accept ambiguity it gives a one-line error naming the path.
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { StrictJsonError, parseStrictJson } from '../src/formats/strictJson.ts';
import { params } from './support.ts';

const lenient = { maxDepth: 1000, duplicateKeys: 'last' as const };
const outcome = (f: () => unknown): { ok: true; v: unknown } | { ok: false } => {
  try {
    return { ok: true, v: f() };
  } catch {
    return { ok: false };
  }
};

describe('strictJson', () => {
  test.prop([fc.jsonValue(), fc.constantFrom(undefined, 2)], params(200))(
    'agrees with JSON.parse on JSON text',
    (v, indent) => {
      const text = JSON.stringify(v, null, indent);
      expect(parseStrictJson(text, lenient)).toEqual(JSON.parse(text));
    },
  );

  // strings with escapes, quotes, control characters and lone surrogates (the string fast path's edges)
  const raw = fc.string({ unit: 'binary', maxLength: 12 });
  test.prop([fc.array(fc.oneof(raw, fc.dictionary(raw, raw, { maxKeys: 3 })), { maxLength: 6 })], params(200))(
    'agrees with JSON.parse on strings of any code units',
    (v) => {
      const text = JSON.stringify(v);
      expect(parseStrictJson(text, lenient)).toEqual(JSON.parse(text));
      const unescaped = text.replace(/\\(?:u00[01][0-9a-f]|[nt])/g, (e) => JSON.parse(`"${e}"`)); // raw control characters: both refuse
      expect(outcome(() => parseStrictJson(unescaped, lenient)).ok).toBe(outcome(() => JSON.parse(unescaped)).ok);
    },
  );

  // mutation: delete, insert or replace one character; both parsers must decide alike
  const mutated = fc.tuple(
    fc.jsonValue(),
    fc.nat(),
    fc.constantFrom('del', 'ins', 'rep'),
    fc.constantFrom('"', ',', ':', '[', ']', '{', '}', '0', '-', 'e', '\\', ' ', 'x', 'N'),
  );
  test.prop([mutated], params(300))(
    'mutated text: accepted and rejected exactly when JSON.parse does',
    ([v, at, op, ch]) => {
      const t = JSON.stringify(v);
      const k = at % (t.length + 1);
      const text =
        op === 'del'
          ? t.slice(0, k) + t.slice(k + 1)
          : op === 'ins'
            ? t.slice(0, k) + ch + t.slice(k)
            : t.slice(0, k) + ch + t.slice(k + 1);
      const a = outcome(() => JSON.parse(text));
      const b = outcome(() => parseStrictJson(text, lenient));
      expect(b.ok).toBe(a.ok);
      if (a.ok && b.ok) expect(b.v).toEqual(a.v);
    },
  );

  test('twin: rejecting duplicate keys makes the differential fail (the comparison is live)', () => {
    const r = fc.check(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b'), fc.integer(), { minKeys: 1 }), fc.nat(), (o, k) => {
        const keys = Object.keys(o);
        const dup = keys[k % keys.length]!;
        const text = JSON.stringify(o).replace(/}$/, `,${JSON.stringify(dup)}:1}`);
        return outcome(() => parseStrictJson(text)).ok === outcome(() => JSON.parse(text)).ok;
      }),
      { seed: 1 },
    );
    expect(r.failed).toBe(true);
  });

  test('hostile input: deep nesting, huge strings, size, duplicates, NaN; one-line errors with a path', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const err = (text: string, o = {}) => {
      try {
        parseStrictJson(text, o);
      } catch (e) {
        expect(e).toBeInstanceOf(StrictJsonError);
        expect((e as Error).message.split('\n')).toHaveLength(1);
        return e as StrictJsonError;
      }
      throw new Error('no error');
    };
    expect(err(deep).kind).toBe('depth');
    expect(err(`{"a":[1,{"b":${'['.repeat(70)}`).message).toMatch(/^at a\[1\]\.b(\[0\])+: nested deeper than 64/);
    expect(parseStrictJson('['.repeat(64) + ']'.repeat(64))).toBeDefined();
    const big = 'x'.repeat(7_000_000);
    expect(parseStrictJson(`{"note":"${big}"}`)).toEqual({ note: big });
    expect(err(`"${big}"`, { maxLength: 1000 }).kind).toBe('size');
    const dup = err('{"theta_after":[1],"x":{"k":1,"k":2}}');
    expect([dup.kind, dup.path]).toEqual(['duplicate-key', 'x.k']);
    const nan = err('{"theta_after":[0.5, NaN]}');
    expect([nan.kind, nan.path]).toEqual(['non-finite', 'theta_after[1]']);
    expect(parseStrictJson('{"note": 1e400}')).toEqual({ note: Infinity });
    expect(Object.getPrototypeOf(parseStrictJson('{"__proto__": {"polluted": 1}}'))).toBe(Object.prototype);
  });
});
