// Claim expressions (src/claims/dsl.ts): random expression trees evaluate exactly like
// direct Rational arithmetic; hostile text is refused with a one-line InputError and
// never any other exception; the CLI turns a hostile claim file into exit 2.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect } from 'vitest';
import { test, fc } from '@fast-check/vitest';
import { Rational } from '../src/exact/rational.ts';
import { InputError } from '../src/errors.ts';
import { QUANTITY_NAMES } from '../src/claims/quantities.ts';
import {
  DslRuntimeError,
  NotApplicable,
  compile,
  failingComparison,
  holds,
  namesOf,
  show,
} from '../src/study/explore/dsl.ts';
import { parseClaim } from '../src/study/explore/claimFile.ts';
import { liveTwin, params, tally } from './support.ts';

// ---- random trees (plain JSON, so a twin's counterexample can be stored) ----

type Num =
  | { c: string } // a literal, e.g. "3" or "0.25"
  | { v: string } // a name
  | { neg: Num }
  | { op: '+' | '-' | '*' | '/'; a: Num; b: Num }
  | { pow: Num; e: number }
  | { fn: 'abs'; a: Num }
  | { fn: 'min' | 'max'; args: Num[] };
type Bool =
  | { cmp: '<' | '<=' | '>' | '>=' | '==' | '!='; a: Num; b: Num }
  | { and: Bool; b: Bool }
  | { or: Bool; b: Bool }
  | { not: Bool };

/** Decimal literals and their exact values, written independently of Rational.parse. */
const DECIMALS: Record<string, Rational> = {
  '0.5': Rational.of(1, 2),
  '0.1': Rational.of(1, 10),
  '1.25': Rational.of(5, 4),
  '2e-1': Rational.of(1, 5),
  '.75': Rational.of(3, 4),
  '1E1': Rational.of(10),
};

const NAMES = ['tau', 'phi', 'rho', 'kappa', 'lambda_r', 'R2min', 'n'] as const;

const { num: arbNum } = fc.letrec<{ num: Num }>((tie) => ({
  num: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc
      .oneof(fc.integer({ min: 0, max: 12 }).map(String), fc.constantFrom(...Object.keys(DECIMALS)))
      .map((c) => ({ c })),
    fc.constantFrom(...NAMES).map((v) => ({ v })),
    tie('num').map((a) => ({ neg: a })),
    fc.record({ op: fc.constantFrom('+', '-', '*', '/'), a: tie('num'), b: tie('num') }),
    fc.record({ pow: tie('num'), e: fc.integer({ min: -2, max: 3 }) }),
    tie('num').map((a) => ({ fn: 'abs' as const, a })),
    fc.record({
      fn: fc.constantFrom('min' as const, 'max' as const),
      args: fc.array(tie('num'), { minLength: 1, maxLength: 3 }),
    }),
  ),
}));

const { bool: arbBool } = fc.letrec<{ bool: Bool }>((tie) => ({
  bool: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ cmp: fc.constantFrom('<', '<=', '>', '>=', '==', '!='), a: arbNum, b: arbNum }),
    fc.record({ and: tie('bool'), b: tie('bool') }),
    fc.record({ or: tie('bool'), b: tie('bool') }),
    tie('bool').map((a) => ({ not: a })),
  ),
}));

/** Small rationals (ties are likely, so < and <= differ visibly). */
const arbEnv = fc.record(
  Object.fromEntries(NAMES.map((k) => [k, fc.tuple(fc.integer({ min: -4, max: 4 }), fc.integer({ min: 1, max: 3 }))])),
) as fc.Arbitrary<Record<(typeof NAMES)[number], [number, number]>>;

/** Fully parenthesized mathjs text. */
function textN(t: Num): string {
  if ('c' in t) return t.c;
  if ('v' in t) return t.v;
  if ('neg' in t) return `(-${textN(t.neg)})`;
  if ('op' in t) return `(${textN(t.a)} ${t.op} ${textN(t.b)})`;
  if ('pow' in t) return `(${textN(t.pow)})^${t.e < 0 ? `(${t.e})` : t.e}`;
  if (t.fn === 'abs') return `abs(${textN(t.a)})`;
  return `${t.fn}(${t.args.map(textN).join(', ')})`;
}
function textB(t: Bool): string {
  if ('cmp' in t) return `(${textN(t.a)} ${t.cmp} ${textN(t.b)})`;
  if ('and' in t) return `(${textB(t.and)} and ${textB(t.b)})`;
  if ('or' in t) return `(${textB(t.or)} or ${textB(t.b)})`;
  return `(not ${textB(t.not)})`;
}

class DivZero extends Error {}

/** The reference: the tree evaluated directly with Rational (short-circuit like the DSL). */
function refN(t: Num, env: Record<string, Rational>): Rational {
  if ('c' in t) return DECIMALS[t.c] ?? Rational.of(BigInt(t.c));
  if ('v' in t) return env[t.v]!;
  if ('neg' in t) return refN(t.neg, env).neg();
  if ('op' in t) {
    const a = refN(t.a, env);
    const b = refN(t.b, env);
    if (t.op === '/' && b.isZero()) throw new DivZero();
    return t.op === '+' ? a.add(b) : t.op === '-' ? a.sub(b) : t.op === '*' ? a.mul(b) : a.div(b);
  }
  if ('pow' in t) {
    const a = refN(t.pow, env);
    if (t.e < 0 && a.isZero()) throw new DivZero();
    return a.pow(t.e);
  }
  if (t.fn === 'abs') return refN(t.a, env).abs();
  const vs = t.args.map((a) => refN(a, env));
  return vs.reduce((m, v) => (t.fn === 'min' ? (v.lt(m) ? v : m) : v.gt(m) ? v : m));
}
function refB(t: Bool, env: Record<string, Rational>, strictAsWeak = false): boolean {
  if ('cmp' in t) {
    const s = refN(t.a, env).cmp(refN(t.b, env));
    const op = strictAsWeak && t.cmp === '<' ? '<=' : t.cmp;
    return { '<': s < 0, '<=': s <= 0, '>': s > 0, '>=': s >= 0, '==': s === 0, '!=': s !== 0 }[op];
  }
  if ('and' in t) return refB(t.and, env, strictAsWeak) && refB(t.b, env, strictAsWeak);
  if ('or' in t) return refB(t.or, env, strictAsWeak) || refB(t.b, env, strictAsWeak);
  return !refB(t.not, env, strictAsWeak);
}

const envOf = (e: Record<string, [number, number]>) =>
  Object.fromEntries(Object.entries(e).map(([k, [p, q]]) => [k, Rational.of(p, q)]));

/** 'div0' when the evaluation divides by zero, else the truth value. */
function outcome(f: () => boolean, zero: (e: unknown) => boolean): boolean | 'div0' {
  try {
    return f();
  } catch (e) {
    if (zero(e)) return 'div0';
    throw e;
  }
}

describe('claim expressions evaluate exactly', () => {
  const stat = tally('dsl random trees');
  test.prop([arbBool, arbEnv], params(200))(
    'random trees: compile + holds equals direct Rational arithmetic; show() round-trips',
    (tree, e) => {
      const env = envOf(e);
      const text = textB(tree);
      const c = compile(text, 'conclude[0]');
      const want = outcome(
        () => refB(tree, env),
        (x) => x instanceof DivZero,
      );
      const got = outcome(
        () => holds(c, env),
        (x) => x instanceof DslRuntimeError,
      );
      stat('run');
      stat('division by zero', want === 'div0');
      stat('true', want === true);
      expect(got).toBe(want);
      // show() prints with minimal parentheses: mathjs must parse it back to the same value.
      expect(
        outcome(
          () => holds(compile(show(c.expr), 'x'), env),
          (x) => x instanceof DslRuntimeError,
        ),
      ).toBe(want);
      for (const name of namesOf(c)) expect(NAMES).toContain(name);
    },
  );

  test('twin: reading "<" as "<=" is caught (the trees produce ties)', () => {
    liveTwin(
      'dsl.strict-vs-weak',
      'claim@1 expressions',
      'a < b evaluates like a <= b',
      fc.tuple(arbBool, arbEnv),
      ([tree, e]) => {
        const env = envOf(e);
        try {
          return refB(tree, env) === refB(tree, env, true);
        } catch (x) {
          if (x instanceof DivZero) return true;
          throw x;
        }
      },
    );
  });

  test('literals are exact; precedence and short-circuit follow mathjs', () => {
    const t = (s: string, env: Record<string, Rational> = {}) => holds(compile(s, 'x'), env);
    expect(t('0.1 + 0.2 == 0.3')).toBe(true);
    expect(t('1/3 * 3 == 1')).toBe(true);
    expect(t('2e-1 == 1/5 and 1.25 == 5/4 and .5 == 1/2')).toBe(true);
    expect(t('-2^2 == -4 and 2^-1 == 1/2 and (1/2)^(-2) == 4')).toBe(true);
    expect(t('10 - 4 - 3 == 3 and 12 / 3 / 2 == 2 and 1 + 2 * 3 == 7')).toBe(true);
    expect(t('not (1 > 2) and 1 < 2 or 1 > 2')).toBe(true);
    expect(() => t('not 1 > 2')).toThrow(/"not" binds tighter than comparisons/); // mathjs reads (not 1) > 2
    expect(t('min(3, 1, 2) == 1 and max(-1, -5) == -1 and abs(-7/2) == 3.5')).toBe(true);
    expect(t('tau == 0.1', { tau: Rational.of(1, 10) })).toBe(true);
    // "and" short-circuits, so a guard makes a division well defined
    expect(t('phi > 0 and tau / phi < 1', { phi: Rational.ZERO, tau: Rational.ONE })).toBe(false);
    expect(() => t('tau / phi < 1', { phi: Rational.ZERO, tau: Rational.ONE })).toThrow(
      /conclude|x "tau \/ phi < 1": division by zero/,
    );
    expect(() => t('tau < dist2_retrain', { tau: Rational.ONE })).toThrow(NotApplicable);
    const f = compile('tau <= phi / 10 and rho < 1', 'conclude[2]');
    const s = failingComparison(f, { tau: Rational.ONE, phi: Rational.ONE, rho: Rational.ZERO })!;
    expect([s.text, s.lhs.toString(), s.rhs.toString()]).toEqual(['tau <= phi / 10', '1', '1/10']);
  });

  test('every FORMAT.md name is accepted', () => {
    for (const name of QUANTITY_NAMES) expect(() => compile(`${name} >= 0`, 'x')).not.toThrow();
  });
});

// ---- hostile input ----

const HOSTILE = [
  'import({evaluate: 1})',
  'import',
  'createUnit("foo")',
  'evaluate("1") > 0',
  'parse("1") > 0',
  'f(x) = x',
  'tau = 1',
  'tau.constructor',
  'tau["constructor"]',
  'phi[1] > 0',
  '{a: 1}',
  '[1, 2] > 0',
  '1:3',
  '"abc" == "abc"',
  "'a' == 'a'",
  '5 cm > 1',
  '2 tau < 1',
  'tau to cm',
  'rhoo < 1/2',
  'pi > 3',
  'e > 2',
  'Infinity > tau',
  'NaN == NaN',
  'true',
  'tau < 1 ? 1 : 0',
  'tau < 1; phi < 1',
  'tau < 1\nphi < 1',
  'tau # comment',
  'sqrt(tau) < 1',
  'exp(1) > 2',
  'tau^0.5 < 1',
  'tau^phi < 1',
  'tau^1000 < 1',
  '((tau^8)^8)^8 < 1',
  '1e-999999999 < tau',
  '1e99999 > tau',
  'tau < 1 < 2',
  'tau xor phi',
  'tau & phi',
  'tau mod 2 == 0',
  '3! == 6',
  "tau' > 0",
  'tau',
  'tau + 1',
  'not tau',
  'abs(tau < 1) > 0',
  'min() < 1',
  'abs(1, 2) < 1',
  'tau and phi',
  '(tau < 1) + 1 > 0',
  '',
  '   ',
  '(((((('.repeat(50) + 'tau' + '))))))'.repeat(50),
  '-'.repeat(5000) + 'tau < 1',
  'x'.repeat(3000),
  'tau < 1 and ' + 'phi + '.repeat(400) + '1 > 0',
  '__proto__ > 0',
  'constructor > 0',
  'toString() > 0',
  'tau.toString() > 0',
  '$tau > 0',
  '`tau` > 0',
  '@ > 0',
  '\u0000 > 0',
];

/** A hostile token is never harmless, wherever it lands among other tokens. */
const POISON = [
  'import',
  'evaluate',
  'createUnit',
  'parse',
  '{',
  '}',
  '[',
  ']',
  '"',
  "'",
  ';',
  ':',
  '?',
  '#',
  '=',
  'sqrt',
  'foo',
  'cm',
  '$',
  '@',
  '&',
  '|',
  '~',
  'xor',
];
const TOKENS = [
  'tau',
  'phi',
  'rho',
  '1',
  '0.5',
  '2',
  '+',
  '-',
  '*',
  '/',
  '^',
  '(',
  ')',
  '<',
  '<=',
  '==',
  '!=',
  'and',
  'or',
  'not',
  'abs',
  'min',
  ',',
  ' ',
];

function refusal(text: unknown): 'input' | 'accepted' {
  try {
    compile(text, 'assume[1]');
    return 'accepted';
  } catch (e) {
    if (!(e instanceof InputError)) throw e; // anything else is a bug
    expect(e.message).not.toContain('\n');
    expect(e.message.startsWith('assume[1]')).toBe(true);
    return 'input';
  }
}

describe('hostile expressions are refused with a one-line InputError', () => {
  test('the list', () => {
    const accepted = HOSTILE.filter((h) => refusal(h) === 'accepted');
    expect(accepted).toEqual([]);
    for (const v of [undefined, null, 3, {}, [], true]) expect(refusal(v)).toBe('input');
  });

  const stat = tally('dsl fuzzed hostile strings');
  test.prop(
    [fc.array(fc.constantFrom(...TOKENS), { maxLength: 12 }), fc.constantFrom(...POISON), fc.nat()],
    params(300),
  )('token soup with one poison token: always an InputError', (tokens, poison, at) => {
    const t = tokens.slice();
    t.splice(at % (t.length + 1), 0, poison);
    stat('run');
    expect(refusal(t.join(' '))).toBe('input');
  });

  test.prop([fc.string({ maxLength: 60, unit: 'binary' })], params(300))(
    'arbitrary strings: an InputError or a valid expression, never another exception',
    (s) => {
      stat('arbitrary', refusal(s) === 'accepted');
    },
  );

  test.prop([fc.array(fc.constantFrom(...TOKENS), { maxLength: 14 })], params(300))(
    'token soup: an InputError or a boolean expression over known names',
    (tokens) => {
      if (refusal(tokens.join(' ')) === 'accepted') {
        const c = compile(tokens.join(' '), 'x');
        for (const n of namesOf(c)) expect(QUANTITY_NAMES).toContain(n);
        stat('token soup accepted');
      }
    },
  );

  test('claim files name the place: assume[1]: unknown name "rhoo"', () => {
    const claim = {
      format: 'unlearn-kkt/claim@1',
      name: 'x',
      model: 'linear',
      data: { generator: 'smallInts', n: [2, 4], d: [1, 3] },
      assume: ['rho < 1/2', 'rhoo < 1'],
      conclude: ['tau <= phi'],
    };
    expect(() => parseClaim(claim)).toThrow(/^assume\[1\] "rhoo < 1": unknown name "rhoo" \(did you mean "rho"\?\)$/);
    expect(() => parseClaim({ ...claim, assume: [], conclude: ['tau <= phi', 'import({})'] })).toThrow(
      /^conclude\[1\]/,
    );
    expect(() => parseClaim({ ...claim, data: { ...claim.data, n: [1, 4] } })).toThrow(InputError);
    expect(() => parseClaim({ ...claim, step: { kappa: ['2', '1'] } })).toThrow(/step.kappa/);
  });
});

describe('the CLI refuses a hostile claim file', () => {
  const bin = fileURLToPath(new URL('../bin/unlearn-kkt.mjs', import.meta.url));
  test('exit 2, one line on stderr, nothing on stdout', () => {
    const dir = mkdtempSync(join(tmpdir(), 'claim-'));
    const file = join(dir, 'hostile.json');
    writeFileSync(
      file,
      JSON.stringify({
        format: 'unlearn-kkt/claim@1',
        name: 'hostile',
        model: 'linear',
        data: { generator: 'smallInts', n: [2, 4], d: [1, 3] },
        assume: [],
        conclude: ['import({evaluate: createUnit}) == 1'],
      }),
    );
    const out = spawnSync(process.execPath, [bin, 'explore', file, '--out', dir], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(out.status).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(out.stderr).toMatch(/^unlearn-kkt: conclude\[0\] .*not allowed/);
  });
});
