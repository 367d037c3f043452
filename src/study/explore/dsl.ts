// Claim expressions (FORMAT.md claim@1): mathjs syntax, evaluated over exact Rationals.
//
// mathjs only parses (a restricted instance: parse + BigNumber literals, nothing to
// evaluate with). The node tree is then checked against a whitelist and compiled into a
// small typed Expr tree, which this module evaluates with Rational. mathjs evaluate/compile
// are never called: their comparisons use a tolerance, and their scope reaches functions.
//
// Allowed: numeric literals (read exactly: "0.1" is 1/10), QUANTITY_NAMES, + - * /, unary
// minus, ^ with an integer literal exponent, abs, min, max, parentheses, < <= > >= == !=,
// and, or, not. Everything else is an InputError naming the expression.
import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs';
import { Rational } from '../../exact/rational.ts';
import { InputError } from '../../errors.ts';
import { QUANTITY_NAMES } from '../../claims/quantities.ts';

// mathjs' CommonJS entry: under the tsx loader it loads about twice as fast as the ESM one
// (the CLI pays this on every `explore`). A restricted instance: parse and BigNumber only.
const mathjs = createRequire(import.meta.url)('mathjs') as typeof import('mathjs');
const math = mathjs.create(
  { parseDependencies: mathjs.parseDependencies, bignumberDependencies: mathjs.bignumberDependencies },
  { number: 'BigNumber', precision: 64 },
);

export type CmpOp = '<' | '<=' | '>' | '>=' | '==' | '!=';
export type ArithOp = '+' | '-' | '*' | '/';

export type Expr =
  | { k: 'const'; v: Rational }
  | { k: 'name'; name: string }
  | { k: 'neg'; a: Expr }
  | { k: 'arith'; op: ArithOp; a: Expr; b: Expr }
  | { k: 'pow'; a: Expr; e: number }
  | { k: 'abs'; a: Expr }
  | { k: 'min' | 'max'; args: Expr[] }
  | { k: 'cmp'; op: CmpOp; a: Expr; b: Expr }
  | { k: 'and' | 'or'; a: Expr; b: Expr }
  | { k: 'not'; a: Expr };

/** A checked boolean expression of a claim file; `where` is e.g. `assume[1]`. */
export interface Compiled {
  readonly text: string;
  readonly where: string;
  readonly expr: Expr;
}

/** Values of the names; undefined: the quantity does not apply to this run. */
export type Env = Readonly<Partial<Record<string, Rational | undefined>>>;

/** Longest expression text; deepest nesting; largest |exponent| (also their product). */
const MAX_LENGTH = 2000;
const MAX_DEPTH = 100;
export const MAX_EXPONENT = 64;
const MAX_LITERAL_EXPONENT = 4096;

/** A quantity the expression needs is undefined for this run: the sample does not apply. */
export class NotApplicable extends Error {
  override name = 'NotApplicable';
  constructor(readonly quantity: string) {
    super(`${quantity} is not defined for this run`);
  }
}

/** Evaluation failed on one sample (division by zero): the claim is ill-posed there. */
export class DslRuntimeError extends InputError {
  override name = 'DslRuntimeError';
}

const NAMES: ReadonlySet<string> = new Set(QUANTITY_NAMES);
const ALLOWED_CHARS = /^[A-Za-z0-9_.+\-*/^()<>=!, ]*$/;

const SYNTAX: Record<string, string> = {
  FunctionAssignmentNode: 'function definition',
  AssignmentNode: 'assignment',
  AccessorNode: 'property or index access',
  IndexNode: 'indexing',
  ObjectNode: 'object',
  ArrayNode: 'array',
  RangeNode: 'range',
  BlockNode: 'several statements',
  ConditionalNode: 'conditional "?:"',
};
const CMP: Record<string, CmpOp> = {
  smaller: '<',
  smallerEq: '<=',
  larger: '>',
  largerEq: '>=',
  equal: '==',
  unequal: '!=',
};
const ARITH: Record<string, ArithOp> = { add: '+', subtract: '-', multiply: '*', divide: '/' };

/** Edit distance, for "did you mean" hints on misspelled names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

function suggest(name: string): string {
  let best = '';
  let bestD = 3;
  for (const q of QUANTITY_NAMES) {
    const d = distance(name.toLowerCase(), q.toLowerCase());
    if (d < bestD) [best, bestD] = [q, d];
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

type Kind = 'num' | 'bool';

/** mathjs node -> Expr, checking node types, names, arity and types on the way. */
function build(node: MathNode, fail: (msg: string) => never, depth: number, powScale: number): { e: Expr; t: Kind } {
  if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH} levels`);
  const num = (n: MathNode, what: string, scale = powScale): Expr => {
    const r = build(n, fail, depth + 1, scale);
    if (r.t !== 'num') fail(`${what} needs a number, got a comparison or logical expression`);
    return r.e;
  };
  const bool = (n: MathNode, what: string): Expr => {
    const r = build(n, fail, depth + 1, powScale);
    if (r.t !== 'bool') fail(`${what} needs a comparison (e.g. "tau <= phi"), got a number`);
    return r.e;
  };
  const any = node as unknown as Record<string, unknown>;
  switch (node.type) {
    case 'ConstantNode': {
      const v = any.value as { constructor?: { name?: string }; isFinite?: () => boolean; toString(): string } | null;
      if (v === null || typeof v !== 'object' || typeof v.isFinite !== 'function') {
        fail(
          `${typeof v === 'string' ? 'strings' : `the constant ${String(v)}`} not allowed: only numbers and quantity names`,
        );
      }
      if (!v.isFinite()) fail('a number literal is out of range');
      return { e: { k: 'const', v: Rational.parse(v.toString(), 'a number literal') }, t: 'num' };
    }
    case 'SymbolNode': {
      const name = any.name as string;
      if (!NAMES.has(name)) fail(`unknown name "${name}"${suggest(name)}`);
      return { e: { k: 'name', name }, t: 'num' };
    }
    case 'ParenthesisNode':
      return build(any.content as MathNode, fail, depth + 1, powScale);
    case 'OperatorNode': {
      const fn = any.fn as string;
      const args = any.args as MathNode[];
      const op = any.op as string;
      if (any.implicit) fail(`implicit multiplication: write "*" explicitly`);
      if (fn in CMP)
        return { e: { k: 'cmp', op: CMP[fn]!, a: num(args[0]!, `"${op}"`), b: num(args[1]!, `"${op}"`) }, t: 'bool' };
      if (fn in ARITH)
        return {
          e: { k: 'arith', op: ARITH[fn]!, a: num(args[0]!, `"${op}"`), b: num(args[1]!, `"${op}"`) },
          t: 'num',
        };
      if (fn === 'unaryMinus') return { e: { k: 'neg', a: num(args[0]!, 'unary "-"') }, t: 'num' };
      if (fn === 'and' || fn === 'or')
        return { e: { k: fn, a: bool(args[0]!, `"${fn}"`), b: bool(args[1]!, `"${fn}"`) }, t: 'bool' };
      if (fn === 'not') {
        const r = build(args[0]!, fail, depth + 1, powScale);
        if (r.t !== 'bool') fail('"not" binds tighter than comparisons: write "not (a < b)"');
        return { e: { k: 'not', a: r.e }, t: 'bool' };
      }
      if (fn === 'pow') {
        const e = integerLiteral(args[1]!);
        if (e === undefined) fail('"^" needs an integer literal exponent (e.g. "phi^2")');
        if (Math.abs(e) > MAX_EXPONENT || Math.abs(e) * powScale > MAX_EXPONENT)
          fail(`exponent too large (at most ${MAX_EXPONENT} in total)`);
        return { e: { k: 'pow', a: num(args[0]!, '"^"', powScale * Math.max(1, Math.abs(e))), e }, t: 'num' };
      }
      return fail(`operator "${op}" not allowed (allowed: + - * / ^ < <= > >= == != and or not)`);
    }
    case 'FunctionNode': {
      const f = any.fn as { type?: string; name?: string };
      const name = f?.type === 'SymbolNode' ? f.name! : undefined;
      const args = any.args as MathNode[];
      if (name === 'abs') {
        if (args.length !== 1) fail(`abs takes one argument, got ${args.length}`);
        return { e: { k: 'abs', a: num(args[0]!, 'abs') }, t: 'num' };
      }
      if (name === 'min' || name === 'max') {
        if (args.length < 1) fail(`${name} needs at least one argument`);
        return { e: { k: name, args: args.map((a) => num(a, name)) }, t: 'num' };
      }
      return fail(`function ${name ? `"${name}"` : 'call'} not allowed (functions: abs, min, max)`);
    }
    case 'RelationalNode':
      return fail('chained comparisons not allowed: write "a < b and b < c"');
    default:
      return fail(
        `${SYNTAX[node.type] ?? node.type} not allowed (only numbers, names, arithmetic, comparisons, and/or/not, abs/min/max)`,
      );
  }
}

function integerLiteral(n: MathNode): number | undefined {
  const any = n as unknown as Record<string, unknown>;
  if (n.type === 'ParenthesisNode') return integerLiteral(any.content as MathNode);
  if (n.type === 'OperatorNode' && any.fn === 'unaryMinus' && !any.implicit) {
    const v = integerLiteral((any.args as MathNode[])[0]!);
    return v === undefined ? undefined : -v;
  }
  if (n.type !== 'ConstantNode') return undefined;
  const v = any.value as {
    isInteger?: () => boolean;
    abs?: () => { lte(x: number): boolean };
    toNumber?: () => number;
  } | null;
  if (v === null || typeof v !== 'object' || !v.isInteger?.()) return undefined;
  return v.abs!().lte(1e6) ? v.toNumber!() : Infinity;
}

/**
 * Parse and check one claim expression; `where` names it in errors (`assume[1]`).
 * The result must be boolean (a comparison, or and/or/not of comparisons).
 */
export function compile(text: unknown, where: string): Compiled {
  const shown = typeof text === 'string' ? JSON.stringify(text.length > 60 ? text.slice(0, 57) + '...' : text) : '';
  const fail = (msg: string): never => {
    throw new InputError(`${where}${shown ? ' ' + shown : ''}: ${msg}`);
  };
  if (typeof text !== 'string') fail(`must be a string, got ${JSON.stringify(text) ?? typeof text}`);
  const s = text as string;
  if (s.trim() === '') fail('is empty');
  if (s.length > MAX_LENGTH) fail(`longer than ${MAX_LENGTH} characters`);
  const bad = /[^A-Za-z0-9_.+\-*/^()<>=!, ]/.exec(s);
  if (bad || !ALLOWED_CHARS.test(s)) fail(`character ${JSON.stringify(bad?.[0] ?? '?')} not allowed`);
  // Literal exponents are checked on the text: mathjs' BigNumber would flush 1e-99999999 to 0.
  for (const m of s.matchAll(/(?<![A-Za-z_0-9.])(?:\d+\.?\d*|\.\d+)[eE]([+-]?\d+)/g)) {
    if (m[1]!.replace(/^[+-]/, '').replace(/^0+/, '').length > 5 || Math.abs(Number(m[1])) > MAX_LITERAL_EXPONENT) {
      fail(`number literal "${m[0]}" out of range (exponent at most ${MAX_LITERAL_EXPONENT})`);
    }
  }
  let node: MathNode;
  try {
    node = math.parse(s);
  } catch (e) {
    if (e instanceof RangeError) fail('nested too deeply');
    fail(`syntax error: ${String((e as Error).message ?? e).split('\n')[0]}`);
  }
  let built: { e: Expr; t: Kind };
  try {
    built = build(node!, fail, 0, 1);
  } catch (e) {
    if (e instanceof InputError) throw e;
    if (e instanceof RangeError) fail('nested too deeply');
    throw e;
  }
  if (built.t !== 'bool') fail('must be a comparison or a logical combination of comparisons (e.g. "tau <= phi / 10")');
  return { text: s, where, expr: built.e };
}

// ---- evaluation ----

function numberValue(e: Expr, env: Env, c: Compiled): Rational {
  switch (e.k) {
    case 'const':
      return e.v;
    case 'name': {
      const v = env[e.name];
      if (v === undefined) throw new NotApplicable(e.name);
      return v;
    }
    case 'neg':
      return numberValue(e.a, env, c).neg();
    case 'arith': {
      const a = numberValue(e.a, env, c);
      const b = numberValue(e.b, env, c);
      if (e.op === '+') return a.add(b);
      if (e.op === '-') return a.sub(b);
      if (e.op === '*') return a.mul(b);
      if (b.isZero()) throw new DslRuntimeError(`${c.where} "${c.text}": division by zero`);
      return a.div(b);
    }
    case 'pow': {
      const a = numberValue(e.a, env, c);
      if (e.e < 0 && a.isZero()) throw new DslRuntimeError(`${c.where} "${c.text}": division by zero (0^${e.e})`);
      return a.pow(e.e);
    }
    case 'abs':
      return numberValue(e.a, env, c).abs();
    case 'min':
    case 'max': {
      const vs = e.args.map((a) => numberValue(a, env, c));
      return vs.reduce((m, v) => (e.k === 'min' ? m.min(v) : m.max(v)));
    }
    default:
      throw new Error(`internal: ${e.k} is not a number expression`);
  }
}

export function compare(op: CmpOp, a: Rational, b: Rational): boolean {
  const s = a.cmp(b);
  return op === '<'
    ? s < 0
    : op === '<='
      ? s <= 0
      : op === '>'
        ? s > 0
        : op === '>='
          ? s >= 0
          : op === '=='
            ? s === 0
            : s !== 0;
}

function truth(e: Expr, env: Env, c: Compiled): boolean {
  switch (e.k) {
    case 'cmp':
      return compare(e.op, numberValue(e.a, env, c), numberValue(e.b, env, c));
    case 'and': // short-circuit, so "phi > 0 and tau / phi < 1" is well defined
      return truth(e.a, env, c) && truth(e.b, env, c);
    case 'or':
      return truth(e.a, env, c) || truth(e.b, env, c);
    case 'not':
      return !truth(e.a, env, c);
    default:
      throw new Error(`internal: ${e.k} is not a boolean expression`);
  }
}

/**
 * Exact truth value. Throws NotApplicable when a needed quantity is undefined, and
 * DslRuntimeError (an InputError) on division by zero.
 */
export function holds(c: Compiled, env: Env): boolean {
  return truth(c.expr, env, c);
}

/** The exact value of a number expression (tests, and the sides of a comparison). */
export function valueOf(c: Compiled, e: Expr, env: Env): Rational {
  return numberValue(e, env, c);
}

/** (a - b) / (|a| + |b|), a scale-free signed gap in [-1, 1]; 0 when both are 0. Guides search only. */
function relGap(a: Rational, b: Rational): number {
  const den = a.abs().add(b.abs());
  return den.isZero() ? 0 : a.sub(b).div(den).toNumber();
}

/** For an inequality, 0 <= 0 is the least informative sample (no slack to measure): -1. */
function ineqGap(a: Rational, b: Rational): number {
  return a.isZero() && b.isZero() ? -1 : relGap(a, b);
}

function score(e: Expr, env: Env, c: Compiled): number {
  switch (e.k) {
    case 'cmp': {
      const a = numberValue(e.a, env, c);
      const b = numberValue(e.b, env, c);
      switch (e.op) {
        case '<':
        case '<=':
          return ineqGap(a, b);
        case '>':
        case '>=':
          return ineqGap(b, a);
        case '==':
          return Math.abs(relGap(a, b));
        case '!=':
          return -Math.abs(relGap(a, b));
      }
      break;
    }
    case 'and':
      return Math.max(score(e.a, env, c), score(e.b, env, c));
    case 'or':
      return Math.min(score(e.a, env, c), score(e.b, env, c));
    case 'not':
      return -score(e.a, env, c);
  }
  throw new Error(`internal: ${e.k} is not a boolean expression`);
}

/**
 * How close the expression is to failing, for targeted search (like Hypothesis'
 * target()): larger is closer, > 0 roughly means it fails. A float heuristic: it steers
 * the search, never decides a verdict (holds() does).
 */
export function violation(c: Compiled, env: Env): number {
  return score(c.expr, env, c);
}

export interface Sides {
  /** the comparison's text, rebuilt */
  text: string;
  op: CmpOp;
  lhs: Rational;
  rhs: Rational;
}

/** The comparison that makes a false expression false (through and/or), with its sides. */
export function failingComparison(c: Compiled, env: Env): Sides | undefined {
  const walk = (e: Expr): Sides | undefined => {
    if (e.k === 'cmp') {
      const lhs = numberValue(e.a, env, c);
      const rhs = numberValue(e.b, env, c);
      return compare(e.op, lhs, rhs) ? undefined : { text: `${show(e.a)} ${e.op} ${show(e.b)}`, op: e.op, lhs, rhs };
    }
    if (e.k === 'and') return truth(e.a, env, c) ? walk(e.b) : walk(e.a);
    if (e.k === 'or') return walk(e.a) ?? walk(e.b);
    return undefined;
  };
  return walk(c.expr);
}

/** The sides of a top-level comparison (for cross-checks against the claim functions). */
export function sidesOf(c: Compiled, env: Env): Sides | undefined {
  const e = c.expr;
  if (e.k !== 'cmp') return undefined;
  return { text: show(e), op: e.op, lhs: numberValue(e.a, env, c), rhs: numberValue(e.b, env, c) };
}

/** The quantity names an expression reads. */
export function namesOf(c: Compiled): Set<string> {
  const out = new Set<string>();
  const walk = (e: Expr): void => {
    if (e.k === 'name') out.add(e.name);
    else if (e.k === 'min' || e.k === 'max') e.args.forEach(walk);
    else if ('a' in e) {
      walk(e.a);
      if ('b' in e) walk(e.b);
    }
  };
  walk(c.expr);
  return out;
}

const PREC: Record<string, number> = { or: 1, and: 2, cmp: 4, '+': 5, '-': 5, '*': 6, '/': 6, neg: 7, pow: 8 };

/** Expr back to fully readable mathjs text (parenthesized where precedence needs it). */
export function show(e: Expr): string {
  const wrap = (x: Expr, min: number) => {
    const p = x.k === 'arith' ? PREC[x.op]! : x.k in PREC ? PREC[x.k]! : 9;
    return p < min ? `(${show(x)})` : show(x);
  };
  switch (e.k) {
    case 'const':
      return e.v.den === 1n ? e.v.toString() : `(${e.v.toString()})`;
    case 'name':
      return e.name;
    case 'neg':
      return `-${wrap(e.a, 8)}`;
    case 'arith':
      return `${wrap(e.a, PREC[e.op]!)} ${e.op} ${wrap(e.b, PREC[e.op]! + 1)}`;
    case 'pow':
      return `${wrap(e.a, 9)}^${e.e < 0 ? `(${e.e})` : e.e}`;
    case 'abs':
      return `abs(${show(e.a)})`;
    case 'min':
    case 'max':
      return `${e.k}(${e.args.map(show).join(', ')})`;
    case 'cmp':
      return `${wrap(e.a, 5)} ${e.op} ${wrap(e.b, 5)}`;
    case 'and':
    case 'or':
      return `${wrap(e.a, PREC[e.k]!)} ${e.k} ${wrap(e.b, PREC[e.k]! + 1)}`;
    case 'not': // mathjs' "not" binds tighter than comparisons
      return `not (${show(e.a)})`;
  }
}
