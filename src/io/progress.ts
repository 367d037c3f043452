// Progress on stderr for long work: on a terminal a bar redrawn in place (at most every
// 100 ms), elsewhere (logs, CI) one plain line every PLAIN_EVERY_MS at most, the first only
// after that long, so short runs print nothing. Each report also checks that the run has not
// been stopped (io/signals.ts orphanCheck).
import { orphanCheck } from './signals.ts';

export const PLAIN_EVERY_MS = 5000;

/** Where progress goes: stderr and the wall clock (a test passes its own). */
export interface ProgressIo {
  tty: boolean;
  now: () => number;
  write: (s: string) => void;
}

const stderrIo = (): ProgressIo => ({
  tty: process.stderr.isTTY === true,
  now: Date.now,
  write: (s) => process.stderr.write(s),
});

/** A throttled writer of progress lines (`line()` builds the text only when it is shown). */
export function progressLine(
  label: string,
  io: ProgressIo = stderrIo(),
): { show: (line: () => string) => void; done: () => void } {
  const { tty, now: clock, write } = io;
  const start = clock();
  let last = tty ? -Infinity : start;
  let drawn = false;
  return {
    show(line) {
      const now = clock();
      if (now - last < (tty ? 100 : PLAIN_EVERY_MS)) return;
      last = now;
      orphanCheck();
      if (tty) write(`\r\x1b[K${label} ${line()}`);
      else write(`${label}: ${line()} (${Math.round((now - start) / 1000)} s)\n`);
      drawn = true;
    },
    done() {
      if (tty && drawn) write('\r\x1b[K');
    },
  };
}

export function progress(label: string, total: number): { tick: () => void; done: () => void } {
  const p = progressLine(label);
  let k = 0;
  const width = 30;
  return {
    tick() {
      k++;
      p.show(() => {
        const fill = Math.round((width * k) / Math.max(total, 1));
        return `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${k}/${total}`;
      });
    },
    done: p.done,
  };
}
