// CLI: reads one case@1 on stdin, writes result@1 on stdout (the float subject for `verify`).
//   node --import tsx src/float/subject.ts < case.json
// Bad input: one line `unlearn-kkt: ...` on stderr, nothing on stdout, exit 2.

import { InputError } from '../errors.ts';
import { gaFromCase } from './gaFloat.ts';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

function fail(msg: string): never {
  process.stderr.write(`unlearn-kkt: ${msg.replace(/\s+/g, ' ').trim()}\n`);
  process.exit(2);
}

const text = await readStdin();
let parsed: unknown;
try {
  parsed = JSON.parse(text);
} catch (e) {
  fail(`stdin is not valid JSON (${(e as Error).message})`);
}
try {
  process.stdout.write(JSON.stringify(gaFromCase(parsed)) + '\n');
} catch (e) {
  if (e instanceof InputError) fail(e.message);
  throw e;
}
