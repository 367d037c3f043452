// The work limit (docs/LIMITS.md): before the exact pipeline runs on a case, its cost is
// estimated from the sizes that drive it, and a case beyond the limit is refused in one
// line naming the limit, instead of running for hours or until out of memory. certify,
// verify's references and validate's samples share one limit per case; explore checks the
// largest sample its claim allows against a 256th of it (a search runs hundreds of samples)
// before it starts, and skips a sample that turns out larger (kinks are known only then).
//
// The estimate: the certificate QPs have V = n + kinks variables (one λ per point, one
// Clarke variable per exact kink) over vectors of D = d·m entries: V²·D multiply-adds for
// their Gram matrix, V³ for the solves. Units, not seconds (reports/BENCH.md has times).
import { BudgetError, InputError, shown } from '../errors.ts';

/** A case beyond the work limit: a BudgetError (the CLI's one line, exit 2; explore skips it). */
export class WorkLimitError extends BudgetError {
  override name = 'WorkLimitError';
}

export const DEFAULT_MAX_WORK = 2 ** 32;
/** explore's limit per sample, as a fraction of the per-case limit */
export const EXPLORE_SHARE = 256;

let maxWork = DEFAULT_MAX_WORK;

export function getMaxWork(): number {
  return maxWork;
}

/** --max-work W or UNLEARN_KKT_MAX_WORK (a whole number >= 1000; "1e9" style allowed). */
export function applyMaxWork(flag: string | boolean | undefined): void {
  const [v, where] =
    flag !== undefined ? [flag, '--max-work'] : [process.env.UNLEARN_KKT_MAX_WORK, 'UNLEARN_KKT_MAX_WORK'];
  if (v === undefined) {
    maxWork = DEFAULT_MAX_WORK;
    return;
  }
  const k = typeof v === 'string' && /^\d{1,20}(?:e\d{1,2})?$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(k) || k < 1000)
    throw new InputError(`${where} must be a whole number >= 1000 (work units, docs/LIMITS.md), got ${shown(v)}`);
  maxWork = k;
}

export interface WorkShape {
  n: number;
  d: number;
  /** hidden units (1 for a linear model) */
  m: number;
  /** exact kinks (unit j, point i with w_j · x_i = 0); 0 when unknown or linear */
  kinks: number;
}

export function workOf(s: WorkShape): number {
  const V = s.n + s.kinks;
  return V * V * s.d * s.m + V * V * V;
}

const sci = (x: number) => x.toExponential(1).replace('e+', 'e');

/** Throws WorkLimitError when `s` costs more than `limit`; `what` names the input in the message. */
export function checkWork(s: WorkShape, what: string, limit = maxWork, limitName = 'the work limit'): void {
  const w = workOf(s);
  if (w <= limit) return;
  const shape = `n = ${s.n}, d = ${s.d}${s.m > 1 ? `, m = ${s.m}` : ''}${s.kinks ? `, ${s.kinks} kinks` : ''}`;
  throw new WorkLimitError(
    `${what} (${shape}) needs ~${sci(w)} work units, beyond ${limitName} of ${sci(limit)} (docs/LIMITS.md; raise it with --max-work or UNLEARN_KKT_MAX_WORK)`,
  );
}

/** explore's per-sample limit. */
export function exploreSampleWork(): number {
  return Math.floor(maxWork / EXPLORE_SHARE);
}
