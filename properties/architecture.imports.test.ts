// The import rules of docs/ARCHITECTURE.md, checked on the source text so they stay true:
// no import circle, no import up a floor (or across to another room of the same floor),
// report/ never reaches into kkt/, unlearn/ or data/generators, no src file over 500 lines,
// no two src files of one name (a name says which file, without its folder).
import { describe, expect, test } from 'vitest';
import { fileURLToPath } from 'node:url';
import { MAX_LINES, cycles, floorOf, readSrc, violations } from './architecture.graph.ts';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));
const files = readSrc(SRC);

describe('architecture: the import rules', () => {
  test('the graph was read (a parser that finds nothing would pass every rule)', () => {
    expect(files.length).toBeGreaterThan(30);
    expect(files.reduce((s, f) => s + f.imports.length, 0)).toBeGreaterThan(100);
    expect(violations([{ path: 'exact/a.ts', lines: 1, imports: ['report/b.ts'] }])).toHaveLength(1);
    expect(
      cycles([
        { path: 'a.ts', lines: 1, imports: ['b.ts'] },
        { path: 'b.ts', lines: 1, imports: ['a.ts'] },
      ]),
    ).toHaveLength(1);
  });

  test('every file sits on a floor', () => {
    expect(files.filter((f) => floorOf(f.path) < 0).map((f) => f.path)).toEqual([]);
  });

  test('no import circle', () => {
    expect(cycles(files)).toEqual([]);
  });

  test('no import up a floor, across a floor, or into a forbidden room', () => {
    expect(violations(files).map((v) => `${v.from} -> ${v.to}: ${v.why}`)).toEqual([]);
  });

  test(`no src file over ${MAX_LINES} lines`, () => {
    expect(files.filter((f) => f.lines > MAX_LINES).map((f) => `${f.path}: ${f.lines}`)).toEqual([]);
  });

  test('no two src files share a name', () => {
    const byName = new Map<string, string[]>();
    for (const f of files) {
      const name = f.path.split('/').pop()!;
      byName.set(name, [...(byName.get(name) ?? []), f.path]);
    }
    expect([...byName.values()].filter((paths) => paths.length > 1)).toEqual([]);
  });
});
