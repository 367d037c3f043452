// What verify runs: a subject is a command (one process per case, or one persistent
// process, both under runner.ts's timeout and stdout cap) or an in-process function.
import { capped } from '../formats/result.ts';
import { DEFAULT_MAX_STDOUT, DEFAULT_TIMEOUT_MS, runCommand } from './runner.ts';
import { persistentProcess } from './persistent.ts';

export type ProcessProblem = 'timeout' | 'crash' | 'nonzero-exit' | 'too-large';

/** What a subject produced: its stdout text (a command) or a value (in-process), or a failure. */
export type SubjectRun =
  | { ok: true; text: string; ms: number; stderrTail?: string }
  | { ok: true; value: unknown; ms: number }
  | { ok: false; status: ProcessProblem; message: string; ms: number; stderrTail?: string };

export interface Subject {
  name: string;
  run(caseText: string): Promise<SubjectRun>;
  /** Ends what the subject keeps running between cases (a persistent process). */
  close?(): void;
}

const lastLine = (s: string) => s.trim().split('\n').pop()?.slice(0, 200) ?? '';

/** A command run with `sh -c` (runner.ts): timeout and stdout cap kill its process group. */
export function commandSubject(
  cmd: string,
  o: { timeoutMs?: number; maxStdout?: number; cwd?: string; persistent?: boolean } = {},
): Subject {
  const timeoutMs = o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxStdout = o.maxStdout ?? DEFAULT_MAX_STDOUT;
  const opts = { timeoutMs, maxStdout, cwd: o.cwd };
  const proc = o.persistent ? persistentProcess(cmd, opts) : null;
  return {
    name: cmd,
    close: () => proc?.close(),
    async run(caseText) {
      const p = await (proc ? proc.run(caseText) : runCommand(cmd, caseText, opts));
      const tail = p.stderrTail;
      const withErr = (m: string) => (tail.trim() ? `${m}; stderr: ${lastLine(tail)}` : m);
      if (p.status === 'timeout' && p.heldOpen)
        return {
          ok: false,
          status: 'timeout',
          message: `exited, but stdout was still held open after ${timeoutMs} ms by a process outside its group (setsid?); reading stopped`,
          ms: p.ms,
          stderrTail: tail,
        };
      if (p.status === 'timeout')
        return {
          ok: false,
          status: 'timeout',
          message: `no result within ${timeoutMs} ms (process group killed)`,
          ms: p.ms,
          stderrTail: tail,
        };
      if (p.status === 'too-large')
        return {
          ok: false,
          status: 'too-large',
          message: `output too large: stdout exceeded ${maxStdout} bytes (process group killed)`,
          ms: p.ms,
          stderrTail: tail,
        };
      if (p.status === 'spawn-error')
        return { ok: false, status: 'crash', message: `cannot start: ${p.error}`, ms: p.ms };
      if (p.signal)
        return { ok: false, status: 'crash', message: withErr(`killed by ${p.signal}`), ms: p.ms, stderrTail: tail };
      if (p.code !== 0)
        return {
          ok: false,
          status: 'nonzero-exit',
          message: withErr(`exit code ${p.code}`),
          ms: p.ms,
          stderrTail: tail,
        };
      return { ok: true, text: p.stdout, ms: p.ms, stderrTail: tail };
    },
  };
}

/** An in-process implementation: a function from the case (parsed JSON) to its result@1 object. */
export function functionSubject(name: string, fn: (caseJson: unknown) => unknown): Subject {
  return {
    name,
    async run(caseText) {
      const t0 = Date.now();
      try {
        const value = await fn(JSON.parse(caseText));
        return { ok: true, value, ms: Date.now() - t0 };
      } catch (e) {
        return {
          ok: false,
          status: 'crash',
          message: capped(`threw ${(e as Error)?.message ?? String(e)}`),
          ms: Date.now() - t0,
        };
      }
    },
  };
}
