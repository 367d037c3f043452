// The command line's shared checks: a bad option value names where it came from (flag or
// environment), and an --out folder is judged before any work is done.
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
