// Runs an implementation under test: `sh -c CMD` in its own process group, the case on
// stdin, stdout captured up to a cap, a wall-clock timeout. Whatever the subject does
// (hang, crash, flood stdout, ignore stdin, leave children behind), this resolves with
// a classification and the whole group is killed: the guard never crashes on a subject.
import { spawn } from 'node:child_process';
import { trackGroup, untrackGroup } from '../io/signals.ts';

export const DEFAULT_TIMEOUT_MS = 10_000;
/** The longest timer Node keeps (larger delays overflow to 1 ms). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** 8 MB: a result for d = 10^5 in full precision is ~2.5 MB. */
export const DEFAULT_MAX_STDOUT = 8 * 1024 * 1024;
const STDERR_TAIL = 2048;

/** `tail` with `b` appended, cut to its last STDERR_TAIL bytes. */
export function stderrTail(tail: Buffer, b: Buffer): Buffer {
  const t = Buffer.concat([tail, b]);
  return t.length > STDERR_TAIL ? t.subarray(t.length - STDERR_TAIL) : t;
}

export interface RunOptions {
  timeoutMs?: number;
  maxStdout?: number;
  cwd?: string;
}

export type ProcessStatus = 'exited' | 'timeout' | 'too-large' | 'spawn-error';

export interface ProcessOutcome {
  status: ProcessStatus;
  /** exit code when the shell exited by itself (null when killed) */
  code: number | null;
  /** the signal that ended the shell, when it was one */
  signal: NodeJS.Signals | null;
  stdout: string;
  /** the last STDERR_TAIL bytes of stderr */
  stderrTail: string;
  ms: number;
  /** spawn-error: why the command could not be started */
  error?: string;
  /** timeout after the shell had exited: a process outside its group (setsid) held stdout open */
  heldOpen?: boolean;
}

/** Kill a subject's whole process group (it was spawned detached: its pid is the group's). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* ESRCH: the group is gone already */
  }
}

/** Run CMD with `input` on stdin. Resolves (never rejects) once every pipe is closed. */
export function runCommand(cmd: string, input: string, opts: RunOptions = {}): Promise<ProcessOutcome> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxStdout = opts.maxStdout ?? DEFAULT_MAX_STDOUT;
  const start = Date.now();
  return new Promise((resolve) => {
    let child;
    try {
      child = spawn('sh', ['-c', cmd], { detached: true, stdio: ['pipe', 'pipe', 'pipe'], cwd: opts.cwd });
    } catch (e) {
      resolve({
        status: 'spawn-error',
        code: null,
        signal: null,
        stdout: '',
        stderrTail: '',
        ms: 0,
        error: (e as Error).message,
      });
      return;
    }
    const pid = child.pid;
    if (pid !== undefined) trackGroup(pid); // SIGTERM/SIGINT to us kill the subject's group too
    const out: Buffer[] = [];
    let outBytes = 0;
    let err: Buffer = Buffer.alloc(0);
    let status: ProcessStatus = 'exited';
    let spawnError: string | undefined;
    let code: number | null = null;
    let signal: NodeJS.Signals | null = null;
    let done = false;
    let exited = false;

    const stop = (why: ProcessStatus) => {
      if (status === 'exited') status = why;
      killGroup(pid);
    };
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (pid !== undefined) untrackGroup(pid);
      resolve({
        status,
        code: status === 'exited' ? code : null,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderrTail: err.toString('utf8'),
        ms: Date.now() - start,
        ...(spawnError ? { error: spawnError } : {}),
        ...(status === 'timeout' && exited ? { heldOpen: true } : {}),
      });
    };
    // At the deadline the group is killed and reading stops: a grandchild that left the group
    // (setsid) and keeps the pipes open cannot hold the guard longer.
    const timer = setTimeout(() => {
      stop('timeout');
      for (const st of [child.stdout, child.stderr, child.stdin]) st.destroy();
      finish();
    }, timeoutMs);

    child.stdout.on('data', (b: Buffer) => {
      if (status !== 'exited') return;
      outBytes += b.length;
      if (outBytes > maxStdout) stop('too-large');
      else out.push(b);
    });
    child.stderr.on('data', (b: Buffer) => {
      err = stderrTail(err, b);
    });
    // A subject that exits without reading stdin gives EPIPE here: not our failure.
    child.stdin.on('error', () => {});
    child.on('error', (e) => {
      spawnError = e.message;
      status = 'spawn-error';
      killGroup(pid);
    });
    child.on('exit', (c, s) => {
      exited = true;
      code = c;
      signal = s;
      // Children left behind could hold the pipes open (and keep running): end them.
      killGroup(pid);
    });
    child.on('close', finish);
    child.stdin.end(input);
  });
}
