// Bundles the CLI (src/cli.ts and what it imports) into dist/ as plain ESM, so a command starts
// without compiling TypeScript: tsx's loader costs ~0.5 s a process (registering it and
// compiling or fetching ~100 modules through its loader thread). Packages stay external, dynamic
// imports stay separate chunks (vega, mathjs and the rest load only for the commands that use
// them), files stay flat in dist/ (src/root.ts relies on it). Run by `npm ci` (prepare) and
// `npm run build`; bin/unlearn-kkt.mjs uses dist/ only while it is newer than every file in src/.
// Plain JavaScript: it runs before anything else is built.
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../', import.meta.url));
rmSync(`${root}dist`, { recursive: true, force: true });
await build({
  entryPoints: [`${root}src/cli.ts`],
  outdir: `${root}dist`,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
});
