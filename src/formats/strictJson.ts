// A JSON parser for input that may be hostile (a subject's stdout, files from elsewhere):
// iterative (an explicit stack, so 10^5-deep nesting cannot overflow the call stack), with a
// nesting-depth limit, a size limit, optional rejection of duplicate keys, and one-line
// errors that name where they happened ("at theta_after[3]: ..."). Accepts exactly RFC 8259
// JSON; bare NaN / Infinity tokens (Python's json.dumps) are reported as their own kind.
// Keys are own data properties ("__proto__" included, as JSON.parse makes them).

export interface StrictJsonOptions {
  /** deepest nesting of arrays/objects allowed (default 64) */
  maxDepth?: number;
  /** longest text allowed, in UTF-16 code units (default 16 Mi) */
  maxLength?: number;
  /** 'reject' (default): a repeated key in one object is an error; 'last': the last one wins (JSON.parse) */
  duplicateKeys?: 'reject' | 'last';
}

export type StrictJsonErrorKind = 'syntax' | 'depth' | 'size' | 'duplicate-key' | 'non-finite';

export class StrictJsonError extends Error {
  constructor(
    readonly kind: StrictJsonErrorKind,
    /** where: "theta_after[3]", "model.v", or "" for the top level */
    readonly path: string,
    /** offset in the text */
    readonly offset: number,
    what: string,
  ) {
    super(`${path ? `at ${path}: ` : ''}${what} (offset ${offset})`);
    this.name = 'StrictJsonError';
  }
}

type Frame =
  | { arr: unknown[]; obj?: undefined; key?: undefined; keys?: undefined }
  | { obj: Record<string, unknown>; key: string; keys: Set<string> | null; arr?: undefined };

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING_STOP = /["\\\u0000-\u001f]/g;
const ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const shown = (s: string) => JSON.stringify(s.length > 20 ? s.slice(0, 20) + '…' : s);

/** Parse `text` as JSON; throws StrictJsonError (one line) on anything else. */
export function parseStrictJson(text: string, opts: StrictJsonOptions = {}): unknown {
  const maxDepth = opts.maxDepth ?? 64;
  const maxLength = opts.maxLength ?? 16 * 1024 * 1024;
  const rejectDup = (opts.duplicateKeys ?? 'reject') === 'reject';
  const stack: Frame[] = [];
  let pos = 0;

  const path = () => stack.map((f, k) => (f.arr ? `[${f.arr.length}]` : k === 0 ? f.key : `.${f.key}`)).join('');
  const fail = (kind: StrictJsonErrorKind, what: string): never => {
    throw new StrictJsonError(kind, path(), pos, what);
  };
  if (text.length > maxLength) fail('size', `text is ${text.length} characters, over the limit of ${maxLength}`);

  const ws = () => {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 32 || c === 10 || c === 13 || c === 9) pos++;
      else return;
    }
  };
  const expect = (ch: string, what: string) => {
    ws();
    if (text[pos] !== ch)
      fail('syntax', `expected ${what}, found ${pos < text.length ? shown(text.slice(pos, pos + 10)) : 'the end'}`);
    pos++;
  };
  const string = (): string => {
    pos++; // the opening quote
    // Most strings have no escape: scan to the closing quote and slice once.
    const start = pos;
    for (let c = text.charCodeAt(pos); c >= 32 && c !== 92; c = text.charCodeAt(++pos)) {
      if (c === 34) return text.slice(start, pos++);
    }
    pos = start;
    let out = '';
    for (;;) {
      STRING_STOP.lastIndex = pos;
      const m = STRING_STOP.exec(text);
      if (!m) {
        pos = text.length;
        return fail('syntax', 'unterminated string');
      }
      out += text.slice(pos, m.index);
      pos = m.index;
      const c = text[pos]!;
      if (c === '"') {
        pos++;
        return out;
      }
      if (c !== '\\') fail('syntax', 'control character in a string');
      const e = text[pos + 1];
      if (e === 'u') {
        const hex = text.slice(pos + 2, pos + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('syntax', 'bad \\u escape');
        out += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
        pos += 2;
      } else fail('syntax', 'bad escape in a string');
    }
  };
  const key = (frame: { keys: Set<string> | null; obj: Record<string, unknown>; key: string }): string => {
    ws();
    if (text[pos] !== '"') fail('syntax', 'expected a key string');
    const k = string();
    if (frame.keys) {
      if (frame.keys.has(k)) {
        frame.key = k;
        fail('duplicate-key', `duplicate key ${shown(k)}`);
      }
      frame.keys.add(k);
    }
    expect(':', '":"');
    return k;
  };
  const open = () => {
    if (stack.length >= maxDepth) fail('depth', `nested deeper than ${maxDepth}`);
  };

  for (;;) {
    // ---- one value at pos ----
    ws();
    let value: unknown;
    const c = text[pos];
    if (c === '{') {
      open();
      pos++;
      ws();
      if (text[pos] === '}') {
        pos++;
        value = {};
      } else {
        const frame = { obj: {} as Record<string, unknown>, key: '', keys: rejectDup ? new Set<string>() : null };
        stack.push(frame);
        frame.key = key(frame);
        continue;
      }
    } else if (c === '[') {
      open();
      pos++;
      ws();
      if (text[pos] === ']') {
        pos++;
        value = [];
      } else {
        stack.push({ arr: [] });
        continue;
      }
    } else if (c === '"') value = string();
    else if (text.startsWith('true', pos)) ((value = true), (pos += 4));
    else if (text.startsWith('false', pos)) ((value = false), (pos += 5));
    else if (text.startsWith('null', pos)) ((value = null), (pos += 4));
    else if (text.startsWith('NaN', pos) || text.startsWith('Infinity', pos) || text.startsWith('-Infinity', pos)) {
      fail(
        'non-finite',
        `${text.startsWith('NaN', pos) ? 'NaN' : text[pos] === '-' ? '-Infinity' : 'Infinity'} is not JSON (not a finite number)`,
      );
    } else {
      NUMBER.lastIndex = pos;
      const m = NUMBER.exec(text);
      if (!m)
        fail(
          'syntax',
          pos < text.length ? `unexpected ${shown(text.slice(pos, pos + 10))}` : 'unexpected end of the text',
        );
      value = Number(m![0]);
      pos += m![0].length;
    }

    // ---- hand it to the enclosing containers, closing those that end here ----
    for (;;) {
      const top = stack[stack.length - 1];
      if (!top) {
        ws();
        if (pos < text.length) fail('syntax', `unexpected ${shown(text.slice(pos, pos + 10))} after the value`);
        return value;
      }
      ws();
      if (top.arr) {
        top.arr.push(value);
        if (text[pos] === ',') {
          pos++;
          break;
        }
        if (text[pos] !== ']') fail('syntax', 'expected "," or "]"');
        pos++;
        value = top.arr;
      } else {
        Object.defineProperty(top.obj, top.key, { value, enumerable: true, writable: true, configurable: true });
        if (text[pos] === ',') {
          pos++;
          top.key = key(top);
          break;
        }
        if (text[pos] !== '}') fail('syntax', 'expected "," or "}"');
        pos++;
        value = top.obj;
      }
      stack.pop();
    }
  }
}
