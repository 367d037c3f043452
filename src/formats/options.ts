// Command-line plumbing shared by the commands: options and integers.
// Every failure is an InputError (one line, exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError, shown } from '../errors.ts';
import { applyMaxWork } from '../unlearn/workLimit.ts';

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

/** Parse a command's arguments (plus --max-work, applied: unlearn/workLimit.ts). */
export function args(argv: string[], options: ParseArgsConfig['options']): Args {
  const all = { ...options, 'max-work': { type: 'string' as const } };
  let parsed: Args;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, all), options: all, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0]!;
    // parseArgs quotes the whole argument, and suggests '--' for anything starting with '-'
    throw new InputError(msg.replace(/\. To specify a positional argument.*$/, '').slice(0, 200) + ' (see --help)');
  }
  applyMaxWork(parsed.values['max-work']);
  return parsed;
}

/**
 * An integer option in [min, max] (whole digits only: "1e3" and "2.5" are refused). `name` is
 * the option without its dashes, or an environment variable's name (UPPER_CASE) when it came from there.
 */
export function intOption(v: unknown, name: string, dflt: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return dflt;
  const k = Number(v);
  if (!/^-?\d+$/.test(String(v)) || !Number.isSafeInteger(k) || k < min || k > max) {
    const bound = (b: number) =>
      Math.abs(b) === Number.MAX_SAFE_INTEGER ? (b < 0 ? '-(2^53 - 1)' : '2^53 - 1') : `${b}`;
    const range = max === Number.MAX_SAFE_INTEGER && min >= 0 ? `>= ${min}` : `in [${bound(min)}, ${bound(max)}]`;
    throw new InputError(
      `${/^[A-Z_]+$/.test(name) ? name : `--${name}`} must be an integer ${range}, got ${shown(String(v))}`,
    );
  }
  return k;
}

/**
 * Takes the option every command shares, --bits B or --bits=B (the last one counts), out of
 * argv: the commands' own parsers never see it. Its value falls back to UNLEARN_KKT_BITS.
 */
export function takeBits(
  argv: readonly string[],
  env: string | undefined,
): { bits: string | undefined; from: string; rest: string[] } {
  const rest: string[] = [];
  let bits = env;
  let from = 'UNLEARN_KKT_BITS';
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--') {
      rest.push(...argv.slice(k));
      break;
    }
    if (a === '--bits') {
      if (k + 1 >= argv.length) throw new InputError("option '--bits <value>' argument missing");
      bits = argv[++k];
      from = 'bits';
    } else if (a.startsWith('--bits=')) {
      bits = a.slice('--bits='.length);
      from = 'bits';
    } else rest.push(a);
  }
  return { bits, from, rest };
}
