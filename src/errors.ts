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
