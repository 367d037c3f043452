// SIGTERM and SIGINT stop the whole process tree (docs/LIMITS.md).
// - The CLI installs no handler while it computes: the default action ends node at once,
//   even inside synchronous exact arithmetic (a JS handler would wait for the work).
// - While a subject (verify's --impl) runs in its own process group, a handler is in place
//   that kills those groups first, then ends node with the signal's exit status.
// - Run by npm (`npm run validate`), a parent that is gone means the run was stopped: files
//   are not written after that (orphanCheck), so nothing rewrites reports/ after a signal.

const groups = new Set<number>();
const SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP'] as const;
const EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143 } as const;

function onSignal(sig: (typeof SIGNALS)[number]): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
  process.exit(EXIT[sig]);
}
const handlers = new Map(SIGNALS.map((s) => [s, () => onSignal(s)]));

/** A child process group that must die with us (remove it when it has exited). */
export function trackGroup(pid: number): void {
  if (groups.size === 0) for (const [s, h] of handlers) process.on(s, h);
  groups.add(pid);
}
export function untrackGroup(pid: number): void {
  if (!groups.delete(pid) || groups.size) return;
  for (const [s, h] of handlers) process.off(s, h);
}

let parent: number | undefined;

/** Called once by the CLI at start: remember the parent, to notice when npm was stopped. */
export function installSignalHandlers(): void {
  parent = process.ppid;
}

/** Throws when the run was stopped under npm (its parent is gone): write nothing then. */
export function orphanCheck(): void {
  if (parent !== undefined && process.env.npm_lifecycle_event !== undefined && process.ppid !== parent) {
    process.stderr.write('unlearn-kkt: stopped (the npm process that ran this command is gone); nothing written\n');
    process.exit(143);
  }
}
