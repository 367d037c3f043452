// CLI: the float subject for `verify`, in both of its modes (docs/FORMAT-result.md):
//   node --import tsx src/float/subject.ts < case.json      one case@1 in, one result@1 out
//   UNLEARN_KKT_PERSISTENT=1 (verify --persistent)          one case per line in, one result per line out
// Bad input: one line `unlearn-kkt: ...` on stderr, nothing on stdout, exit 2.
import { createInterface } from 'node:readline';
import { InputError } from '../errors.ts';
import { gaFromCase } from './gaFloat.ts';

function fail(msg: string): never {
  process.stderr.write(`unlearn-kkt: ${msg.replace(/\s+/g, ' ').trim()}\n`);
  process.exit(2);
}

function answer(text: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(`stdin is not valid JSON (${(e as Error).message})`);
  }
  try {
    return JSON.stringify(gaFromCase(parsed)) + '\n';
  } catch (e) {
    if (e instanceof InputError) fail(e.message);
    throw e;
  }
}

if (process.env.UNLEARN_KKT_PERSISTENT === '1') {
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    if (line.trim()) process.stdout.write(answer(line));
  }
} else {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  process.stdout.write(answer(Buffer.concat(chunks).toString('utf8')));
}
