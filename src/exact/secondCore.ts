// The second core for a large kernel (the Gram's blocked doubles): a worker thread runs half
// of the rows while this thread runs the other half, on shared memory, and this thread waits
// for it synchronously (the callers are synchronous). The kernel is a plain function of
// (X, n, d, out, part, parts) that writes only its part's entries of out; the worker runs its
// own source text, so it needs no module loader. Same entries either way: each is computed by
// the same loop on one thread or the other.
import { Worker } from 'node:worker_threads';

export type Kernel = (X: Float64Array, n: number, d: number, out: Float64Array, part: number, parts: number) => void;

/** How long to wait for the worker's half before doing it here (a stuck worker is dropped). */
const WAIT_MS = 120_000;

const workers = new Map<Kernel, Worker | null>();

function workerFor(kernel: Kernel): Worker | null {
  if (!workers.has(kernel)) {
    let w: Worker | null = null;
    try {
      w = new Worker(
        `const { parentPort } = require('node:worker_threads');
const kernel = ${kernel.toString()};
parentPort.on('message', ({ X, n, d, out, flag }) => {
  const f = new Int32Array(flag);
  try { kernel(new Float64Array(X), n, d, new Float64Array(out), 1, 2); Atomics.store(f, 0, 1); }
  catch { Atomics.store(f, 0, 2); }
  Atomics.notify(f, 0);
});`,
        { eval: true },
      );
      w.unref(); // never keeps the process alive
      w.on('error', () => workers.set(kernel, null));
    } catch {
      w = null;
    }
    workers.set(kernel, w);
  }
  return workers.get(kernel) ?? null;
}

/**
 * kernel over rows 0..n-1 of X (n × d, shared memory) into out (shared memory): part 1 of 2
 * on the worker, part 0 here; the worker's part is redone here when it fails or is stuck.
 */
export function onTwoCores(kernel: Kernel, X: Float64Array, n: number, d: number, out: Float64Array): void {
  const w = workerFor(kernel);
  const flag = new Int32Array(new SharedArrayBuffer(4));
  if (w) w.postMessage({ X: X.buffer, n, d, out: out.buffer, flag: flag.buffer });
  kernel(X, n, d, out, 0, w ? 2 : 1);
  if (!w) return;
  const waited = Atomics.wait(flag, 0, 0, WAIT_MS);
  if (waited === 'timed-out' || Atomics.load(flag, 0) !== 1) {
    workers.set(kernel, null);
    void w.terminate();
    kernel(X, n, d, out, 1, 2);
  }
}

/** Float64Arrays on shared memory (what onTwoCores' worker can see). */
export function sharedDoubles(length: number): Float64Array {
  return new Float64Array(new SharedArrayBuffer(length * 8));
}
