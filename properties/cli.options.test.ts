// The command line's shared checks: a bad option value names where it came from (flag or
// environment), an --out folder is judged before any work is done, and input past a limit
// says so.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { intOption, takeBits } from '../src/formats/options.ts';
import { cli } from './support.ts';

describe('the shared command-line options name where a bad value came from', () => {
  test('--bits from the command line, UNLEARN_KKT_BITS from the environment; the flag wins', () => {
    expect(takeBits(['x', '--bits', '100'], '10')).toEqual({ bits: '100', from: 'bits', rest: ['x'] });
    expect(takeBits(['x'], '10')).toEqual({ bits: '10', from: 'UNLEARN_KKT_BITS', rest: ['x'] });
    expect(() => intOption('10', 'UNLEARN_KKT_BITS', 0, 64)).toThrow(/^UNLEARN_KKT_BITS must be an integer >= 64/);
    expect(() => intOption('10', 'bits', 0, 64)).toThrow(/^--bits must be an integer >= 64/);
    expect(() => intOption('99999999999999999999', 'seed', 0, Number.MIN_SAFE_INTEGER)).toThrow(
      /in \[-\(2\^53 - 1\), 2\^53 - 1\]/,
    );
  });
});

describe('--out is checked before any work', () => {
  test('an empty folder name is refused up front by every command that writes', () => {
    for (const argv of [
      ['explore', 'fixtures/claims/L2b.tau-bound.json', '--out', ''],
      ['verify', '--impl', 'true', '--out', ''],
      ['validate', '--out', ''],
    ]) {
      const r = cli(argv);
      expect([r.status, r.stderr]).toEqual([2, 'unlearn-kkt: --out is empty, expected a folder\n']);
    }
  });
});

describe('input past a limit is named as a limit, not as bad JSON', () => {
  test('10,000-deep nesting: one line, exit 2, "beyond a limit of this tool"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-deep-'));
    const file = join(dir, 'deep.json');
    writeFileSync(file, '['.repeat(10_000) + ']'.repeat(10_000));
    const r = cli(['certify', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /^unlearn-kkt: \S+ is beyond a limit of this tool \(docs\/LIMITS.md\): .*nested deeper than 32/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
