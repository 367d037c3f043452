#!/usr/bin/env node
// Runs the CLI: the bundle in dist/ (scripts/build.mjs, built by `npm ci` and `npm run build`)
// while it is newer than every file in src/, else the TypeScript itself through tsx (compiled
// on load: the same program, ~0.5 s slower to start).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const bundle = `${root}dist/cli.mjs`;

/** The latest modification time of the files under dir. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = `${dir}/${e.name}`;
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

if (existsSync(bundle) && statSync(bundle).mtimeMs > newest(`${root}src`)) await import(pathToFileURL(bundle).href);
else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli.ts');
}
