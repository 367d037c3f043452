// JSON files in and out: reading one (every failure an InputError, one line) and the text
// every JSON file of the project is written as (2-space indent, final newline).
import { readFileSync } from 'node:fs';
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

export const jsonText = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';
