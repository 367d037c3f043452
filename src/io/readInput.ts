// Reading an input file (case, claim, --cases entries): stat first, regular files only,
// size capped, UTF-8 checked (formats/jsonFile.ts parses it strictly).
// Every failure is an InputError naming the file (docs/LIMITS.md).
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import { InputError } from '../errors.ts';

/** Largest input file read (bytes). */
export const MAX_INPUT_BYTES = 16 << 20;
/** Deepest nesting of arrays and objects in an input file (a case needs 3, a claim 4). */
export const MAX_INPUT_DEPTH = 32;

/** A path as error messages show it (capped: a path can be hostile too). */
export function pathShown(file: string): string {
  return file.length <= 120 ? file : `${file.slice(0, 60)}…${file.slice(-40)}`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The text of a regular file of at most `maxBytes`, read without trusting its reported size. */
export function readInputText(file: string, maxBytes = MAX_INPUT_BYTES): string {
  const where = pathShown(file);
  let fd: number | undefined;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError(`${where} is a directory, expected a JSON file`);
    if (!st.isFile()) throw new InputError(`${where} is not a regular file (a device, pipe or socket is not read)`);
    if (st.size > maxBytes) throw new InputError(`${where} has ${st.size} bytes, more than the limit of ${maxBytes}`);
    fd = openSync(file, 'r');
    const buf = Buffer.alloc(Math.min(maxBytes + 1, st.size + 1));
    let got = 0;
    for (let r; got < buf.length && (r = readSync(fd, buf, got, buf.length - got, null)) > 0;) got += r;
    if (got > maxBytes || got === buf.length)
      throw new InputError(`${where} grew while read, beyond ${maxBytes} bytes`);
    try {
      return utf8.decode(buf.subarray(0, got));
    } catch {
      throw new InputError(`${where} is not UTF-8 text`);
    }
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read ${where}${code === 'ENOENT' ? ': no such file' : code ? ` (${code})` : ''}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
