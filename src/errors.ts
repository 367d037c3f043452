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
