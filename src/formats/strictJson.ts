// A JSON parser for input files (RFC 8259) that JSON.parse cannot be made into: it refuses
// duplicate keys (JSON.parse keeps the last one silently), caps the nesting depth and the
// size, and says where the text is wrong. Values are what JSON.parse returns (numbers as
// doubles), with "__proto__" an ordinary own key. Errors are InputError, one line.
import { InputError } from '../errors.ts';

export interface StrictJsonOptions {
  /** deepest nesting of arrays/objects (default 64) */
  maxDepth?: number;
  /** longest text, in UTF-16 code units (default 64 MiB) */
  maxBytes?: number;
  /** a key repeated in one object: an error (default) or the last one wins, as JSON.parse */
  duplicateKeys?: 'error' | 'last';
  /** names the input in messages (a file name) */
  where?: string;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const PLAIN = /[^"\\\u0000-\u001f]*/y;
const WS = /[ \t\n\r]*/y;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function parseJsonStrict(text: string, opts: StrictJsonOptions = {}): unknown {
  const maxDepth = opts.maxDepth ?? 64;
  const maxBytes = opts.maxBytes ?? 64 << 20;
  const where = opts.where ?? 'the input';
  const dupError = (opts.duplicateKeys ?? 'error') === 'error';
  if (text.length > maxBytes) throw new InputError(`${where} has ${text.length} characters, more than the limit of ${maxBytes}`);
  let i = 0;

  const fail = (what: string, at = i): never => {
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const col = at - before.lastIndexOf('\n');
    throw new InputError(`${where} is not valid JSON: ${what} at line ${line} column ${col}`);
  };
  const ws = () => {
    WS.lastIndex = i;
    WS.exec(text);
    i = WS.lastIndex;
  };
  const found = () => (i >= text.length ? 'end of input' : JSON.stringify(text[i]));

  const string = (): string => {
    i++; // opening quote
    let out = '';
    for (;;) {
      PLAIN.lastIndex = i;
      PLAIN.exec(text);
      out += text.slice(i, PLAIN.lastIndex);
      i = PLAIN.lastIndex;
      const c = text[i];
      if (c === '"') {
        i++;
        return out;
      }
      if (c === undefined) fail('unterminated string');
      if (c !== '\\') fail('control character in a string');
      const e = text[i + 1];
      if (e === 'u') {
        const hex = text.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        i += 2;
      } else fail('bad escape in a string');
    }
  };

  const value = (depth: number): unknown => {
    ws();
    const c = text[i];
    if (c === '{' || c === '[') {
      if (depth >= maxDepth) throw new InputError(`${where}: nested deeper than the limit of ${maxDepth} levels (at offset ${i})`);
      i++;
      ws();
      if (c === '[') {
        const arr: unknown[] = [];
        if (text[i] === ']') {
          i++;
          return arr;
        }
        for (;;) {
          arr.push(value(depth + 1));
          ws();
          if (text[i] === ',') i++;
          else if (text[i] === ']') {
            i++;
            return arr;
          } else fail(`expected "," or "]", found ${found()}`);
        }
      }
      const obj: Record<string, unknown> = {};
      if (text[i] === '}') {
        i++;
        return obj;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a key, found ${found()}`);
        const at = i;
        const key = string();
        ws();
        if (text[i] !== ':') fail(`expected ":", found ${found()}`);
        i++;
        const v = value(depth + 1);
        if (Object.hasOwn(obj, key)) {
          if (dupError) {
            const shownKey = key.length > 40 ? `${JSON.stringify(key.slice(0, 40))}…` : JSON.stringify(key);
            fail(`duplicate key ${shownKey}`, at);
          }
        }
        Object.defineProperty(obj, key, { value: v, writable: true, enumerable: true, configurable: true });
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') {
          i++;
          return obj;
        } else fail(`expected "," or "}", found ${found()}`);
      }
    }
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text);
      if (!m) fail('bad number');
      i = NUMBER.lastIndex;
      return Number(m![0]);
    }
    for (const [word, v] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return v;
      }
    }
    return fail(c === undefined ? 'unexpected end of input' : `unexpected ${found()}`);
  };

  if (text.charCodeAt(0) === 0xfeff) i = 1; // a byte-order mark
  const v = value(0);
  ws();
  if (i < text.length) fail(`unexpected ${found()} after the value`);
  return v;
}
