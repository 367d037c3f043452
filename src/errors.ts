// Errors a user can act on. The CLI prints `unlearn-kkt: <message>` for these and exits 2;
// anything else is a bug and keeps its stack trace.

/** Bad input: a case, claim or command-line argument that cannot be used as given. */
export class InputError extends Error {
  override name = 'InputError';
}

/** A rational outgrew the configured bit budget (ARCHITECTURE.md: never run away). */
export class BudgetError extends Error {
  override name = 'BudgetError';
}

/**
 * The data are not separable through the origin: no w has y_i <w, x_i> >= 1 (kkt/maxMargin.ts,
 * Lemke's ray termination). A mathematical outcome, not bad input: a sampler counts it as
 * "outside the claim" by catching this class, never by catching every InputError.
 */
export class NotSeparableError extends Error {
  override name = 'NotSeparableError';
}

/** T1's practical route (float training, exact polish) found no exact KKT point within its budget. */
export class NoKKTPointError extends Error {
  override name = 'NoKKTPointError';
}

/** Longest piece of an input value an error message echoes. */
export const ECHO_MAX = 48;

/**
 * A bad input value as an error message shows it: strings quoted and capped at ECHO_MAX
 * characters (with their length when cut), arrays and objects by kind and size, so that
 * one hostile value never becomes a megabyte of stderr.
 */
export function shown(v: unknown): string {
  if (typeof v === 'string') {
    return v.length <= ECHO_MAX
      ? JSON.stringify(v)
      : `${JSON.stringify(v.slice(0, ECHO_MAX))}… (${v.length} characters)`;
  }
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return typeof v;
}
