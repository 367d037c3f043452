// bin/unlearn-kkt.mjs runs the bundle in dist/ (scripts/build.mjs) only while it is newer than
// every file in src/, else the TypeScript through tsx; and the bundle is the same program.
import { describe, expect, test } from 'vitest';
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const run = (args: string[], cwd = ROOT) =>
  spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });

describe('bin/unlearn-kkt.mjs: the bundle while fresh, else the source', () => {
  test('a file anywhere in src/ newer than dist/cli.mjs sends the command to the source', () => {
    const dir = mkdtempSync(join(tmpdir(), 'unlearn-kkt-bin-'));
    try {
      mkdirSync(join(dir, 'bin'));
      mkdirSync(join(dir, 'src', 'deep'), { recursive: true });
      mkdirSync(join(dir, 'dist'));
      copyFileSync(join(ROOT, 'bin', 'unlearn-kkt.mjs'), join(dir, 'bin', 'unlearn-kkt.mjs'));
      symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
      writeFileSync(join(dir, 'package.json'), '{ "type": "module" }\n');
      writeFileSync(join(dir, 'src', 'cli.ts'), "const from: string = 'source';\nconsole.log(from);\n");
      writeFileSync(join(dir, 'src', 'deep', 'other.ts'), 'export {};\n');
      writeFileSync(join(dir, 'dist', 'cli.mjs'), "console.log('bundle');\n");
      const at = (path: string, seconds: number) => utimesSync(join(dir, path), seconds, seconds);
      const bin = join(dir, 'bin', 'unlearn-kkt.mjs');
      at('src/cli.ts', 1000);
      at('src/deep/other.ts', 1000);
      at('dist/cli.mjs', 2000);
      expect(run([bin]).stdout).toBe('bundle\n');
      at('src/deep/other.ts', 3000); // an edit after the build, one folder down
      expect(run([bin]).stdout).toBe('source\n');
      rmSync(join(dir, 'dist'), { recursive: true }); // never built (npm ci --ignore-scripts)
      expect(run([bin]).stdout).toBe('source\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test.runIf(existsSync(join(ROOT, 'dist', 'cli.mjs')))('the bundle and the source print the same certificate', () => {
    const args = ['certify', 'fixtures/examples/relu2-kink-clarke.json'];
    const bundle = run([join(ROOT, 'dist', 'cli.mjs'), ...args]);
    const source = run(['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), ...args]);
    expect(bundle.status).toBe(0);
    expect(bundle.stdout).toBe(source.stdout);
    expect(bundle.stdout).toContain('"epsilon2"');
  });
});
