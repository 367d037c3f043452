// docs/LIMITS.md states every limit the code enforces: each value is read from the code here
// (an export, or the constant's line in its source when it is file-internal), so changing a
// limit without its documentation fails this test.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../src/defaults.ts';
import { ECHO_MAX } from '../src/errors.ts';
import { MAX_BIT_BUDGET } from '../src/exact/rational.ts';
import { DEFAULT_MAX_STDOUT, DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS } from '../src/guard/runner.ts';
import { MAX_INPUT_BYTES, MAX_INPUT_DEPTH } from '../src/io/readInput.ts';
import { MAX_CLAIM_ENTRIES } from '../src/study/explore/claimFile.ts';
import { MAX_EXPONENT as DSL_MAX_EXPONENT } from '../src/study/explore/dsl.ts';
import { DEFAULT_MAX_WORK, EXPLORE_SHARE } from '../src/unlearn/workLimit.ts';

const doc = readFileSync(new URL('../docs/LIMITS.md', import.meta.url), 'utf8');

/** The value of a file-internal `const NAME = <number>` in a src file. */
function internal(file: string, name: string): number {
  const src = readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8');
  const m = new RegExp(`const ${name} = ([0-9_]+(?: << \\d+)?);`).exec(src);
  if (!m) throw new Error(`${name} not found in src/${file}`);
  const [a, b] = m[1]!.replaceAll('_', '').split(' << ');
  return b === undefined ? Number(a) : Number(a) << Number(b);
}

/** The number as the doc writes it: bold, in full. */
const bold = (n: number): string => `**${n}**`;

describe('docs/LIMITS.md states the limits of the code', () => {
  const limits: [string, number][] = [
    ['bit budget default', DEFAULTS.bitBudget],
    ['bit budget max', MAX_BIT_BUDGET],
    ['input bytes', MAX_INPUT_BYTES],
    ['input depth', MAX_INPUT_DEPTH],
    ['claim entries', MAX_CLAIM_ENTRIES],
    ['explore share', EXPLORE_SHARE],
    ['echo max', ECHO_MAX],
    ['verify timeout default', DEFAULT_TIMEOUT_MS],
    ['verify timeout max', MAX_TIMEOUT_MS],
    ['verify stdout cap', DEFAULT_MAX_STDOUT],
    ['dsl exponent', DSL_MAX_EXPONENT],
    ['--runs max (certify/explore)', internal('cli.ts', 'MAX_RUNS')],
    ['--runs max (boundary)', internal('cliBoundary.ts', 'MAX_RUNS')],
    ['dsl length', internal('study/explore/dsl.ts', 'MAX_LENGTH')],
    ['dsl depth', internal('study/explore/dsl.ts', 'MAX_DEPTH')],
    ['dsl literal exponent', internal('study/explore/dsl.ts', 'MAX_LITERAL_EXPONENT')],
    ['rational exponent', internal('exact/rational.ts', 'MAX_EXPONENT')],
    ['generated entries', internal('data/generators.ts', 'MAX_ENTRIES')],
  ];
  it.each(limits)('%s (%d)', (_, value) => {
    expect(doc).toContain(bold(value));
  });

  it('work limit (a power of two, written 2^k)', () => {
    const k = Math.log2(DEFAULT_MAX_WORK);
    expect(Number.isInteger(k)).toBe(true);
    expect(doc).toContain(`**2^${k}**`);
  });

  it('the bit budget range in the doc is the one --bits accepts', () => {
    expect(doc).toContain(`**64 .. ${MAX_BIT_BUDGET}**`);
  });

  it('exit codes 0, 1, 2', () => {
    for (const c of [0, 1, 2]) expect(doc).toMatch(new RegExp(`^\\| ${c} \\|`, 'm'));
  });
});
