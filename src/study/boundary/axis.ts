// The axis of a boundary search (docs/claims.md, `unlearn-kkt boundary`): a claim-file
// quantity, its range cut into equal bins (decided exactly), the assume clauses that bound
// it set aside, and the search claim: the claim without those clauses, with generator
// ranges that let samples reach the whole range.
import { Rational } from '../../exact/rational.ts';
import { InputError } from '../../errors.ts';
import { QUANTITY_NAMES, type QuantityName } from '../../claims/quantities.ts';
import { type CmpOp, type Compiled, type Expr, namesOf, show, valueOf } from '../explore/dsl.ts';
import { type Claim, type IntRange, MAX_CLAIM_ENTRIES } from '../explore/claimFile.ts';

export interface Bin {
  /** lo <= v < hi; the last bin also holds hi */
  lo: Rational;
  hi: Rational;
}

export interface Axis {
  name: QuantityName;
  lo: Rational;
  hi: Rational;
  bins: Bin[];
}

/** A set-aside clause `axis < c`, `axis <= c` or `axis == c`: the stated threshold c. */
export interface Threshold {
  op: CmpOp;
  value: Rational;
}

export const MAX_BINS = 20;
/** Quantities that take integer values only: bins of integer width. */
const INTEGER_AXES: ReadonlySet<string> = new Set(['n', 'd', 'm', 'flips', 'kinks_r', 'kinks_R']);

export function axisName(name: unknown): QuantityName {
  if (typeof name !== 'string' || !(QUANTITY_NAMES as readonly string[]).includes(name)) {
    throw new InputError(
      `--axis ${JSON.stringify(name ?? '')} is not a claim-file quantity (one of ${QUANTITY_NAMES.join(', ')})`,
    );
  }
  return name as QuantityName;
}

/** "LO:HI" with exact rationals, LO < HI (or LO = HI: one bin). */
export function parseRange(text: string): { lo: Rational; hi: Rational } {
  const parts = text.split(':');
  if (parts.length !== 2) throw new InputError(`--range ${JSON.stringify(text)}: expected LO:HI, e.g. 0:2 or 1/4:3/2`);
  const lo = Rational.parse(parts[0], '--range LO');
  const hi = Rational.parse(parts[1], '--range HI');
  if (lo.gt(hi)) throw new InputError(`--range ${text}: LO exceeds HI`);
  return { lo, hi };
}

export function makeAxis(name: QuantityName, lo: Rational, hi: Rational): Axis {
  const span = hi.sub(lo);
  let count = MAX_BINS;
  if (span.isZero()) count = 1;
  else if (INTEGER_AXES.has(name) && span.den === 1n && span.num < BigInt(MAX_BINS)) count = Number(span.num);
  const bins = Array.from({ length: count }, (_, k) => ({
    lo: lo.add(span.mul(Rational.of(k, count))),
    hi: lo.add(span.mul(Rational.of(k + 1, count))),
  }));
  return { name, lo, hi, bins };
}

export function inRange(axis: Axis, v: Rational): boolean {
  return v.ge(axis.lo) && v.le(axis.hi);
}

/** The bin of v, or -1 outside the range; exact. */
export function binOf(axis: Axis, v: Rational): number {
  if (!inRange(axis, v)) return -1;
  const { bins } = axis;
  let k =
    bins.length === 1
      ? 0
      : Math.min(bins.length - 1, Math.floor(v.sub(axis.lo).div(axis.hi.sub(axis.lo)).toNumber() * bins.length));
  // the float guess above is only a start: the edges decide
  while (k > 0 && v.lt(bins[k]!.lo)) k--;
  while (k < bins.length - 1 && v.ge(bins[k]!.hi)) k++;
  return k;
}

// ---- setting assume clauses aside ----

/** Top-level conjuncts of an expression: "a and b" sets aside a alone when only a bounds the axis. */
function conjuncts(e: Expr): Expr[] {
  return e.k === 'and' ? [...conjuncts(e.a), ...conjuncts(e.b)] : [e];
}

export interface SplitAssume {
  kept: Compiled[];
  setAside: Compiled[];
  threshold?: Threshold;
}

/** Split claim.assume into the conjuncts that read the axis (set aside) and the rest. */
export function splitAssume(claim: Claim, axis: QuantityName): SplitAssume {
  const out: SplitAssume = { kept: [], setAside: [] };
  for (const c of claim.assume) {
    const parts = conjuncts(c.expr);
    for (const e of parts) {
      const part: Compiled = parts.length === 1 ? c : { text: show(e), where: c.where, expr: e };
      if (!namesOf(part).has(axis)) {
        out.kept.push(part);
        continue;
      }
      out.setAside.push(part);
      // `axis < c` with c free of names ("1/2" parses as a division): the stated threshold
      if (
        !out.threshold &&
        e.k === 'cmp' &&
        e.a.k === 'name' &&
        e.a.name === axis &&
        ['<', '<=', '=='].includes(e.op)
      ) {
        const rhs: Compiled = { ...part, expr: { k: 'cmp', op: '==', a: e.b, b: e.b } };
        if (namesOf(rhs).size === 0) out.threshold = { op: e.op, value: valueOf(part, e.b, {}) };
      }
    }
  }
  return out;
}

// ---- the search claim ----

function intSpan(lo: Rational, hi: Rational, floor: number, what: string): IntRange {
  const ceil = (q: Rational) => Number((q.num + q.den - 1n) / q.den);
  const r = { lo: Math.max(floor, lo.sign() < 0 ? floor : ceil(lo)), hi: Number(hi.num / hi.den) };
  if (r.lo > r.hi) throw new InputError(`--range ${lo}:${hi} holds no ${what} >= ${floor}`);
  return r;
}

/**
 * The claim the samples are drawn for: assume without the set-aside clauses; the axis's own
 * range where the axis is a size or the step (n, d, m, kappa); otherwise the generator
 * parameters that move geometric quantities widened (hadamardFlips flips up to d; smallInts
 * entries up to 6 unless the claim states max), so that samples reach past the stated threshold.
 */
export function searchClaim(claim: Claim, axis: Axis, kept: Compiled[]): Claim {
  const data = { ...claim.data };
  const c: Claim = { ...claim, data, assume: kept };
  const { name, lo, hi } = axis;
  if (name === 'n') data.n = intSpan(lo, hi, 2, 'n');
  else if (name === 'd') data.d = intSpan(lo, hi, 1, 'd');
  else if (name === 'm') {
    if (!data.m) throw new InputError('--axis m applies to relu2 claims only');
    data.m = intSpan(lo, hi, 1, 'm');
  } else if (name === 'kappa') {
    if (claim.step.kind !== 'kappa')
      throw new InputError('--axis kappa needs a claim whose step gives kappa (not beta)');
    if (lo.sign() < 0) throw new InputError('--range for kappa must start at 0 or above');
    c.step = { kind: 'kappa', kappa: { lo, hi } };
  } else {
    if (data.flips) data.flips = { lo: 0, hi: data.d.hi };
    if (data.generator === 'smallInts' && !data.max) data.max = { lo: 1, hi: 6 }; // a stated max is kept
  }
  if (data.n.hi * data.d.hi > MAX_CLAIM_ENTRIES)
    throw new InputError(`n * d up to ${data.n.hi * data.d.hi} exceeds ${MAX_CLAIM_ENTRIES}`);
  if (data.generator === 'hadamardFlips') {
    let ok = false;
    for (let d = 1; d <= data.d.hi; d *= 2) if (d >= data.d.lo && d >= data.n.lo) ok = true;
    if (!ok)
      throw new InputError(
        `d = [${data.d.lo}, ${data.d.hi}] holds no power of two >= n = ${data.n.lo} (hadamardFlips)`,
      );
  }
  return c;
}

/**
 * Without --range: from 0 (or the claim's own range for n, d, m) to 4 times a stated
 * threshold `axis < c` (so the search sees as far past it as before it), twice a fixed κ,
 * or c + 4 for `axis == c`.
 */
export function defaultRange(
  claim: Claim,
  name: QuantityName,
  threshold: Threshold | undefined,
): { lo: Rational; hi: Rational } {
  const R = (k: number) => Rational.of(k);
  if (name === 'n') return { lo: R(claim.data.n.lo), hi: R(claim.data.n.hi) };
  if (name === 'd') return { lo: R(claim.data.d.lo), hi: R(claim.data.d.hi) };
  if (name === 'm' && claim.data.m) return { lo: R(claim.data.m.lo), hi: R(claim.data.m.hi) };
  if (name === 'kappa' && claim.step.kind === 'kappa') {
    const k = claim.step.kappa;
    return { lo: Rational.ZERO, hi: k.hi.isZero() ? R(2) : k.hi.mul(R(2)) };
  }
  if (threshold && threshold.op !== '==' && threshold.value.sign() > 0)
    return { lo: Rational.ZERO, hi: threshold.value.mul(R(4)) };
  if (threshold && threshold.op === '==')
    return { lo: threshold.value.min(Rational.ZERO), hi: threshold.value.add(R(4)) };
  throw new InputError(`no assume clause "${name} < c" states a threshold for --axis ${name}: give --range LO:HI`);
}
