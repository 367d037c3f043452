// One checked inequality of a claim: what was measured, the bound, and the verdict,
// all exact. Reports use measured/bound; verdicts never use floats.
import { Rational } from '../exact/rational.ts';
import { sqrtSumLe, sqrtSumSquaredUpper } from '../exact/sqrtCompare.ts';

export type Relation = '<=' | '=' | '>=';

export interface Check {
  /** THEORY.md claim id, e.g. "L2(b)" */
  claim: string;
  /** what is compared, e.g. "tau" or "epsilon2_inherited" */
  quantity: string;
  measured: Rational;
  bound: Rational;
  relation: Relation;
  holds: boolean;
}

export function le(claim: string, quantity: string, measured: Rational, bound: Rational): Check {
  return { claim, quantity, measured, bound, relation: '<=', holds: measured.le(bound) };
}

export function ge(claim: string, quantity: string, measured: Rational, bound: Rational): Check {
  return { claim, quantity, measured, bound, relation: '>=', holds: measured.ge(bound) };
}

export function eq(claim: string, quantity: string, measured: Rational, expected: Rational): Check {
  return { claim, quantity, measured, bound: expected, relation: '=', holds: measured.eq(expected) };
}

/** measured2 <= (Σ sqrt(terms2))^2, decided exactly; the bound shown is an upper enclosure. */
export function leRoots(claim: string, quantity: string, measured2: Rational, terms2: readonly Rational[]): Check {
  return {
    claim,
    quantity,
    measured: measured2,
    bound: sqrtSumSquaredUpper(terms2),
    relation: '<=',
    holds: sqrtSumLe(measured2, terms2),
  };
}

export function failed(checks: readonly Check[]): Check[] {
  return checks.filter((c) => !c.holds);
}

export function describeCheck(c: Check): string {
  return `${c.claim} ${c.quantity}: ${c.measured} ${c.relation} ${c.bound} ${c.holds ? 'holds' : 'FAILS'}`;
}
