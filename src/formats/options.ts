// Command-line plumbing shared by the commands: options and integers.
// Every failure is an InputError (one line, exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../errors.ts';

export type Args = { values: Record<string, string | boolean | undefined>; positionals: string[] };

export function args(argv: string[], options: ParseArgsConfig['options']): Args {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new InputError((e as Error).message.split('\n')[0]!);
  }
}

/** An integer option >= min (whole digits only: "1e3" and "2.5" are refused). */
export function intOption(v: unknown, name: string, dflt: number, min: number): number {
  if (v === undefined) return dflt;
  const k = Number(v);
  if (!/^-?\d+$/.test(String(v)) || !Number.isSafeInteger(k) || k < min) {
    throw new InputError(`--${name} must be an integer >= ${min}, got ${v}`);
  }
  return k;
}

/**
 * Takes the option every command shares, --bits B or --bits=B (the last one counts), out of
 * argv: the commands' own parsers never see it. Its value falls back to UNLEARN_KKT_BITS.
 */
export function takeBits(argv: readonly string[], env: string | undefined): { bits: string | undefined; rest: string[] } {
  const rest: string[] = [];
  let bits = env;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k]!;
    if (a === '--') {
      rest.push(...argv.slice(k));
      break;
    }
    if (a === '--bits') {
      if (k + 1 >= argv.length) throw new InputError("option '--bits <value>' argument missing");
      bits = argv[++k];
    } else if (a.startsWith('--bits=')) bits = a.slice('--bits='.length);
    else rest.push(a);
  }
  return { bits, rest };
}
