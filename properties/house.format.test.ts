// The code stays as Prettier writes it (.prettierrc.json; data and prose are in .prettierignore),
// so a diff shows what changed and not how an editor wrapped it. `npm run format` fixes a failure.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { describe, expect, test } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const CODE = ['src', 'properties', 'scripts', 'bin'];

function codeFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return codeFiles(path);
    return /\.(ts|mjs|js)$/.test(e.name) ? [path] : [];
  });
}

/** The files of `paths` (relative to the root) that Prettier would change. */
async function unformatted(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    const filepath = join(ROOT, path);
    const info = await prettier.getFileInfo(filepath, { ignorePath: join(ROOT, '.prettierignore') });
    if (info.ignored || info.inferredParser === null) continue;
    const options = { ...(await prettier.resolveConfig(filepath)), filepath };
    if (!(await prettier.check(readFileSync(filepath, 'utf8'), options))) out.push(relative(ROOT, filepath));
  }
  return out;
}

describe('house style', () => {
  const files = CODE.flatMap(codeFiles);

  test('the check reads the code, and would see a misformatted file', async () => {
    expect(files.length).toBeGreaterThan(150);
    const sloppy = { ...(await prettier.resolveConfig(join(ROOT, 'src/cli.ts'))), filepath: 'x.ts' };
    expect(await prettier.check('const a = {b:1}\n', sloppy)).toBe(false);
  });

  test('every code file is formatted by Prettier (run `npm run format`)', async () => {
    expect(await unformatted(files)).toEqual([]);
  }, 60_000);
});
