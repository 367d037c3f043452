// JSON files in and out: reading one (every failure an InputError, one line) and the text
// every JSON file of the project is written as (2-space indent, final newline).
import { InputError } from '../errors.ts';
import { MAX_INPUT_BYTES, MAX_INPUT_DEPTH, pathShown, readInputText } from '../io/readInput.ts';
import { StrictJsonError, parseStrictJson } from './strictJson.ts';

/** An input's JSON value, parsed strictly (duplicate keys refused, depth capped: docs/LIMITS.md). */
export function parseInputJson(text: string, where: string): unknown {
  try {
    return parseStrictJson(text, { maxDepth: MAX_INPUT_DEPTH, maxLength: MAX_INPUT_BYTES });
  } catch (e) {
    if (e instanceof StrictJsonError) {
      // depth and size are this project's limits on valid JSON, not syntax errors
      const why =
        e.kind === 'depth' || e.kind === 'size'
          ? 'is beyond a limit of this tool (docs/LIMITS.md)'
          : 'is not valid JSON';
      throw new InputError(`${where} ${why}: ${e.message}`);
    }
    throw e;
  }
}

export const readJsonFile = (file: string): unknown => parseInputJson(readInputText(file), pathShown(file));

export const jsonText = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';
