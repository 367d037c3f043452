// Every repository path that the docs and the README cite (src/…, scripts/…, properties/…,
// fixtures/…, schemas/…) exists, so the documentation cannot point at a file that moved.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../', import.meta.url);
const pages = [
  'README.md',
  ...readdirSync(new URL('docs/', root))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const PATH = /\b(?:src|scripts|properties|fixtures|schemas)\/[A-Za-z0-9_@.\/-]*[A-Za-z0-9_]/g;

/** The cited paths of one page; globs and placeholders (`*`, `<…>`, `X`) are not paths. */
function cited(page: string): string[] {
  const text = readFileSync(new URL(page, root), 'utf8');
  return [...new Set([...text.matchAll(PATH)].map((m) => m[0]))].filter(
    (p) => !/[*<>]/.test(p) && !text.includes(`${p}*`),
  );
}

describe('paths cited in the documentation exist', () => {
  for (const page of pages) {
    it(page, () => {
      const missing = cited(page).filter((p) => !existsSync(new URL(p, root)));
      expect(missing).toEqual([]);
    });
  }
});
