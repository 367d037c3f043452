// Command-line plumbing shared by the commands: options (one parser, --bits applied here),
// integers, JSON input files. Every failure is an InputError (one line, exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, shown } from './errors.ts';
import { setBitBudget } from './exact/rational.ts';
import { readJsonFile } from './io/readInput.ts';
import { applyMaxWork } from './limits.ts';

export { readJsonFile };

export type Args = { values: Record<string, string | boolean | undefined>; positionals: string[] };

/**
 * `--seed -1` as `--seed=-1`: node's parseArgs would take "-1" for a flag. Only a value that
 * looks like a number is joined, so `--out -x` still reports the missing value.
 */
function joinNegativeValues(argv: string[], options: NonNullable<ParseArgsConfig['options']>): string[] {
  const out: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--') return out.concat(argv.slice(k));
    const name = a.startsWith('--') ? a.slice(2) : undefined;
    const next = argv[k + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      k++;
    } else out.push(a);
  }
  return out;
}

/** The --bits value (or UNLEARN_KKT_BITS), checked, applied to the rational budget. */
export function applyBits(flag: string | boolean | undefined): void {
  const [v, where] = flag !== undefined ? [flag, '--bits'] : [process.env.UNLEARN_KKT_BITS, 'UNLEARN_KKT_BITS'];
  if (v === undefined) return;
  if (typeof v !== 'string' || !/^\d{1,15}$/.test(v)) throw new InputError(`${where} must be a whole number of bits, got ${shown(v)}`);
  try {
    setBitBudget(Number(v));
  } catch (e) {
    throw new InputError(`${where}: ${(e as Error).message}`);
  }
}

/** Parse a command's arguments (plus --bits and --max-work, applied). */
export function args(argv: string[], options: ParseArgsConfig['options']): Args {
  const all = { ...options, bits: { type: 'string' as const }, 'max-work': { type: 'string' as const } };
  let parsed: Args;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, all), options: all, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]!;
    // parseArgs quotes the whole argument, and suggests '--' for anything starting with '-'
    throw new InputError(msg.replace(/\. To specify a positional argument.*$/, '').slice(0, 200) + ' (see --help)');
  }
  applyBits(parsed.values.bits);
  applyMaxWork(parsed.values['max-work']);
  return parsed;
}

/** An integer option >= min (whole digits only: "1e3" and "2.5" are refused). */
export function intOption(v: unknown, name: string, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return dflt;
  const k = Number(v);
  if (!/^-?\d+$/.test(String(v)) || !Number.isSafeInteger(k) || k < min || k > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in [${min}, ${max}]`;
    throw new InputError(`--${name} must be an integer ${range}, got ${shown(String(v))}`);
  }
  return k;
}
