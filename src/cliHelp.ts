// The help texts: `unlearn-kkt help [command]`, `unlearn-kkt <command> --help`.
// Limits and exit codes in full: docs/LIMITS.md; formats: docs/FORMAT.md.

const COMMON = `common options:
  --bits B     bit budget of one rational's numerator or denominator (default 65536,
               or UNLEARN_KKT_BITS; 64 .. 16777216); beyond it: exit 2, "outgrew the bit budget"
  --max-work W work limit of one case (default 2^32 work units, or UNLEARN_KKT_MAX_WORK;
               >= 1000); beyond it: exit 2, "needs ~W work units, beyond the work limit"
  --help, -h   this text
A negative value is a value, not an option: --seed -1 or --seed=-1 (where the range allows).`;

export const HELP: Record<string, string> = {
  certify: `usage: unlearn-kkt certify CASE.json [--epsilon E --delta D --tau T] [--bits B]

Computes the exact certificates of a case@1 file before and after one gradient-ascent
step (docs/FORMAT.md "certify") and prints a certificate@1 JSON object on stdout: exact
fractions (before, after with inherited, retrained), plus "summary" with the same numbers as
6-digit decimals for reading.

options:
  --epsilon E, --delta D, --tau T   rationals >= 0, all three or none: decide whether the
               unlearned model is an (E, D, T)-approximate KKT point of the retained set (D4);
               "decision" gives "successful", the least ε² under δ <= D, and "failing": each
               condition that fails, (S)+(C) or (F), with its value, bound and excess ("by")
${COMMON}

exit codes: 0 certificate printed (and successful, when decided); 1 decided and not
successful; 2 bad input or a limit reached (one line on stderr: "unlearn-kkt: ...")`,

  explore: `usage: unlearn-kkt explore CLAIM.json [--runs N] [--seed S] [--out DIR] [--save] [--bits B]

Searches for a counterexample to a claim@1 file (docs/claims.md) and, when one is found,
shrinks it and writes DIR/<claim>.counterexample.json (a case@1 file certify reads).
When the claim survives, prints what the search covered.

options:
  --runs N     samples drawn (default 300, at most 100000)
  --seed S     seed of the search (default 0; any integer in [-(2^53 - 1), 2^53 - 1])
  --out DIR    where a counterexample goes (default explore-out/)
  --save       also copy it to fixtures/counterexamples/
${COMMON}

exit codes: 0 no counterexample found; 1 counterexample found and written;
2 bad input or a limit reached (one line on stderr)`,

  boundary: `usage: unlearn-kkt boundary CLAIM.json --axis NAME [--range LO:HI] [--runs N] [--seed S]
                            [--out DIR] [--bits B]

Where a claim file stops holding along one quantity NAME (rho, phi_r, kappa, n, d, ...):
assume clauses that read NAME are set aside, samples are steered across [LO, HI], a climb
finds the least NAME at which a violation occurs, and its case is shrunk at or below it.
Writes DIR/<claim>.boundary.json (unlearn-kkt/boundary@1) and DIR/<claim>.boundary.svg.

options:
  --axis NAME    the quantity to move (required)
  --range LO:HI  exact rationals (default: 0 to 4 times a stated threshold "NAME < c";
                 0 to 2 kappa for a fixed kappa; the claim's range for n, d, m)
  --runs N       samples (default 800: 40% random, 30% filling bins, 30% frontier search;
                 at most 100000)
  --seed S       seed (default 0; [-(2^53 - 1), 2^53 - 1]); the same seed gives the same files
  --out DIR      where the two files go (default .)
${COMMON}

exit codes: 0 no violation in range; 1 a violation in range (the frontier is reported);
2 bad input or a limit reached (one line on stderr)`,

  verify: `usage: unlearn-kkt verify --impl "CMD" [--cases DIR] [--fuzz N] [--seed S] [--rtol R]
                          [--timeout MS] [--persistent] [--out DIR] [--bits B]

Runs an implementation under test (CMD reads a case@1 on stdin, prints result@1 on stdout)
on case files and fuzzed cases, and compares each result with the exact reference.

options:
  --impl CMD     the command, run with sh -c (required)
  --cases DIR    every *.json in DIR (case@1 or golden@1; *.report.json skipped)
  --fuzz N       fuzzed cases (default 20 without --cases, else 0)
  --seed S       seed of the fuzzing (default 0; in [-2^31, 2^31 - 1])
  --rtol R       relative tolerance, a rational (default 1/1000000000)
  --timeout MS   per case (default 10000); the process group is killed after it
  --persistent   one process for all cases: a case@1 per line in, a result@1 per line out;
                 restarted after a case that fails to answer (the subject is told by the
                 environment variable UNLEARN_KKT_PERSISTENT=1)
  --out DIR      failing cases and their .report.json (default verify-failures/): exact values
                 with decimals, both θ~, the step c_r, forget set, largest deviation, kinks
${COMMON}

exit codes: 0 every case agrees; 1 some case does not; 2 bad input or a limit (one line)`,

  validate: `usage: unlearn-kkt validate [--seed S] [--runs N] [--out DIR] [--bits B]

Checks every claim of the theory on generated data and every claim file in fixtures/claims,
and writes the report (REPORT.md, claims.json, plots.json, figures, counterexamples/) to DIR.
The report is written whole or not at all: into a temporary folder next to DIR, then swapped.

options:
  --seed S     seed (default 1; in [0, 2^32 - 1])
  --runs N     samples per claim (default 200, at most 100000)
  --out DIR    report folder (default reports/)
${COMMON}

exit codes: 0 the theory holds as claimed; 1 a claim refuted, or a true claim file refuted;
2 bad input or a limit reached (one line on stderr)`,
};

export const USAGE = `usage: unlearn-kkt <command> [options]

commands:
  certify CASE.json    exact certificates before and after one unlearning step
  explore CLAIM.json   search for a counterexample to a claim file
  boundary CLAIM.json  where a claim stops holding along one quantity (--axis NAME)
  verify --impl CMD    compare an implementation with the exact reference
  validate             check every claim and write the report
  help [COMMAND]       this text, or a command's

unlearn-kkt <command> --help for its options; unlearn-kkt --version for the version.
Exit codes: 0 fine, 1 a refutation or failure the command looked for, 2 bad input or a limit.
Formats: docs/FORMAT.md; limits: docs/LIMITS.md.`;
