// Command-line plumbing shared by the commands: options, integers, JSON input files.
// Every failure is an InputError (one line, exit 2).
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../errors.ts';

export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${file}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file} is not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

export type Args = { values: Record<string, string | boolean | undefined>; positionals: string[] };

export function args(argv: string[], options: ParseArgsConfig['options']): Args {
  try {
    return parseArgs({ args: argv, options: { ...options, bits: { type: 'string' } }, allowPositionals: true, strict: true });
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
