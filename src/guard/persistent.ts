// `verify --persistent` (docs/FORMAT-result.md "Persistent subjects"): one subject process,
// started with UNLEARN_KKT_PERSISTENT=1, reads one case@1 per line on stdin and answers one
// result@1 per line on stdout. Each case has the per-case timeout and stdout cap of runner.ts;
// a case whose process hangs, crashes, floods or answers out of turn gets that outcome, the
// process group is killed, and the next case starts a fresh process.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { trackGroup, untrackGroup } from '../io/signals.ts';
import {
  DEFAULT_MAX_STDOUT,
  DEFAULT_TIMEOUT_MS,
  type ProcessOutcome,
  type RunOptions,
  killGroup,
  stderrTail,
} from './runner.ts';

interface Pending {
  start: number;
  resolve: (p: ProcessOutcome) => void;
  timer: NodeJS.Timeout;
}

export interface PersistentProcess {
  /** One case (one JSON document, sent as one line); resolves with its answer line. */
  run(caseText: string): Promise<ProcessOutcome>;
  /** End the process (its stdin closed, the group killed). */
  close(): void;
}

export function persistentProcess(cmd: string, opts: RunOptions = {}): PersistentProcess {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxStdout = opts.maxStdout ?? DEFAULT_MAX_STDOUT;
  let child: ChildProcessWithoutNullStreams | null = null;
  let out = Buffer.alloc(0);
  let err: Buffer = Buffer.alloc(0);
  let pending: Pending | null = null;

  const outcome = (p: Pending, o: Partial<ProcessOutcome> & Pick<ProcessOutcome, 'status'>): ProcessOutcome => ({
    code: null,
    signal: null,
    stdout: '',
    stderrTail: err.toString('utf8'),
    ms: Date.now() - p.start,
    ...o,
  });
  const settle = (o: Partial<ProcessOutcome> & Pick<ProcessOutcome, 'status'>) => {
    const p = pending;
    if (!p) return;
    pending = null;
    clearTimeout(p.timer);
    p.resolve(outcome(p, o));
  };
  const stop = () => {
    const c = child;
    child = null;
    out = Buffer.alloc(0);
    if (!c) return;
    if (c.pid !== undefined) {
      killGroup(c.pid);
      untrackGroup(c.pid);
    }
    for (const st of [c.stdout, c.stderr, c.stdin]) st.destroy();
  };

  const start = (): ChildProcessWithoutNullStreams => {
    const c = spawn('sh', ['-c', cmd], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      cwd: opts.cwd,
      env: { ...process.env, UNLEARN_KKT_PERSISTENT: '1' },
    });
    err = Buffer.alloc(0);
    if (c.pid !== undefined) trackGroup(c.pid);
    c.stdout.on('data', (b: Buffer) => {
      if (child !== c) return;
      out = Buffer.concat([out, b]);
      const nl = out.indexOf(10);
      // An answer nobody asked for leaves the stream out of step: restart before the next case.
      if (!pending) return stop();
      if (nl < 0) {
        if (out.length > maxStdout) {
          stop();
          settle({ status: 'too-large' });
        }
        return;
      }
      const line = out.subarray(0, nl).toString('utf8');
      out = out.subarray(nl + 1);
      settle({ status: 'exited', code: 0, stdout: line });
      if (out.length) stop();
    });
    c.stderr.on('data', (b: Buffer) => {
      err = stderrTail(err, b);
    });
    c.stdin.on('error', () => {}); // EPIPE from a process that died: its case reports the exit
    c.on('error', (e) => {
      if (child === c) stop();
      settle({ status: 'spawn-error', error: e.message });
    });
    c.on('exit', (code, signal) => {
      if (child !== c) return;
      stop();
      // Exit code 0 without an answer is an empty answer: the result check reports it.
      settle({ status: 'exited', code, signal });
    });
    return c;
  };

  return {
    run(caseText) {
      return new Promise((resolve) => {
        const t0 = Date.now();
        let line: string;
        try {
          line = JSON.stringify(JSON.parse(caseText)); // one document, one line
        } catch {
          line = caseText.replace(/\n/g, ' ');
        }
        if (!child) child = start();
        const c = child;
        const timer = setTimeout(() => {
          stop();
          settle({ status: 'timeout' });
        }, timeoutMs);
        pending = { start: t0, resolve, timer };
        c.stdin.write(line + '\n');
      });
    },
    close() {
      const c = child;
      if (c) c.stdin.end();
      stop();
    },
  };
}
