// Every file the project writes goes through here: written under a temporary name next to
// its target, flushed, then renamed over it, so a reader (or a crash, SIGKILL, a full disk)
// sees the old file or the new one, never half of one. A folder of files (validate's
// report) is built whole in a temporary folder beside the target and swapped in.
// Failures are InputError `cannot write <path> (<code>)` (one line, exit 2).
import {
  closeSync,
  copyFileSync,
  existsSync,
  fsyncSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  cpSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.ts';
import { pathShown } from './readInput.ts';
import { orphanCheck } from './signals.ts';

function writeError(path: string, e: unknown): InputError {
  if (e instanceof InputError) return e;
  const code = (e as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EACCES: 'permission denied',
    EROFS: 'read-only file system',
    ENOTDIR: 'a part of the path is a file',
    EISDIR: 'it is a folder',
    EDQUOT: 'disk quota exceeded',
  };
  return new InputError(
    `cannot write ${pathShown(path)} (${code ?? (e as Error).message}${code && why[code] ? `: ${why[code]}` : ''})`,
  );
}

/** Fail early (before any work) when an --out folder is empty or names an existing file. */
export function checkOutDir(dir: string, flag = '--out'): void {
  if (dir === '') throw new InputError(`${flag} is empty, expected a folder`);
  let isDir = true;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    return; // absent: created when written
  }
  if (!isDir) throw new InputError(`${flag} ${pathShown(dir)} is a file, expected a folder`);
}

/** mkdir -p, refusing a path that exists as a file (`flag` names the option in the error). */
export function ensureDir(dir: string, flag?: string): void {
  try {
    if (existsSync(dir) && !statSync(dir).isDirectory()) {
      throw new InputError(`${flag ? `${flag} ` : ''}${pathShown(dir)} is a file, expected a folder`);
    }
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw writeError(dir, e);
  }
}

let counter = 0;
const tmpName = (target: string) => join(dirname(target), `.${basename(target)}.tmp-${process.pid}-${counter++}`);

function writeAll(file: string, text: string): void {
  const fd = openSync(file, 'wx');
  try {
    const buf = Buffer.from(text, 'utf8');
    for (let off = 0; off < buf.length;) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Write `text` to `file` atomically (temporary name, then rename). */
export function writeFileAtomic(file: string, text: string): void {
  orphanCheck();
  const tmp = tmpName(file);
  try {
    writeAll(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw writeError(file, e);
  }
}

const staged = (dir: string) => join(dirname(dir), `.${basename(dir)}.new`);
const retired = (dir: string) => join(dirname(dir), `.${basename(dir)}.old`);

/** A swap interrupted between its two renames left only the old folder: put it back. */
function recover(dir: string): void {
  if (!existsSync(dir) && existsSync(retired(dir))) renameSync(retired(dir), dir);
  rmSync(retired(dir), { recursive: true, force: true });
  rmSync(staged(dir), { recursive: true, force: true });
}

/**
 * Replace the files `owned` in folder `dir` by `files` (relative names -> text) all at once:
 * entries of `dir` that `owned` does not claim (other tools' files) are carried over by hard
 * link. `owned(name)` is asked for each top-level entry of the old folder.
 */
export function writeDirAtomic(
  dir: string,
  files: ReadonlyMap<string, string>,
  owned: (entry: string) => boolean,
): void {
  ensureDir(dirname(dir) || '.');
  if (existsSync(dir) && !statSync(dir).isDirectory())
    throw new InputError(`--out ${pathShown(dir)} is a file, expected a folder`);
  const next = staged(dir);
  try {
    recover(dir);
    mkdirSync(next);
    if (existsSync(dir)) {
      for (const entry of readdirSync(dir)) {
        if (owned(entry) || entry.startsWith('.')) continue;
        const from = join(dir, entry);
        if (statSync(from).isDirectory()) cpSync(from, join(next, entry), { recursive: true });
        else {
          try {
            linkSync(from, join(next, entry));
          } catch {
            copyFileSync(from, join(next, entry));
          }
        }
      }
    }
    for (const [name, text] of files) {
      const to = join(next, name);
      mkdirSync(dirname(to), { recursive: true });
      writeAll(to, text);
    }
    orphanCheck();
    if (existsSync(dir)) renameSync(dir, retired(dir));
    renameSync(next, dir);
    rmSync(retired(dir), { recursive: true, force: true });
  } catch (e) {
    rmSync(next, { recursive: true, force: true });
    if (!existsSync(dir) && existsSync(retired(dir))) renameSync(retired(dir), dir);
    throw writeError(dir, e);
  }
}
