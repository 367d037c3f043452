// Progress on a terminal (stderr), silent otherwise, so logs and CI output stay clean.
export function progress(label: string, total: number): { tick: () => void; done: () => void } {
  const tty = process.stderr.isTTY === true;
  let k = 0;
  let last = 0;
  return {
    tick() {
      k++;
      const now = Date.now();
      if (tty && (now - last > 100 || k === total)) {
        last = now;
        const width = 30;
        const fill = Math.round((width * k) / Math.max(total, 1));
        process.stderr.write(`\r${label} [${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${k}/${total}`);
      }
    },
    done() {
      if (tty) process.stderr.write('\n');
    },
  };
}
