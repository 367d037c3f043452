// The import graph of src/, read from the source text (static `import ... from`, `export ... from`
// and `import('...')`), and the floors of docs/ARCHITECTURE.md. Shared by the import-rule test
// (architecture.imports.test.ts) and scripts/house.ts, which prints the picture of the house.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** Floor of each room (a folder of src/, or a file at its root), lowest first. */
export const FLOORS: readonly (readonly string[])[] = [
  ['errors.ts', 'defaults.ts', 'root.ts'],
  ['exact', 'io'],
  ['data'],
  ['float'],
  ['models'],
  ['kkt'],
  ['unlearn'],
  ['formats'],
  ['claims'],
  ['guard', 'study'],
  ['report'],
  ['validate.ts', 'cliHelp.ts', 'cliBoundary.ts', 'cliVerify.ts'],
  ['cli.ts'],
];

/** Rooms that may never import these (beyond the floor rule). */
export const FORBIDDEN: Readonly<Record<string, readonly string[]>> = {
  report: ['kkt', 'unlearn', 'data/generators.ts'],
};

export const MAX_LINES = 500;

export interface SrcFile {
  /** path relative to src/, with '/' */
  path: string;
  lines: number;
  /** src-relative paths this file imports */
  imports: string[];
}

function walk(dir: string, out: string[] = []): string[] {
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p, out);
    else if (f.endsWith('.ts') || f.endsWith('.wat')) out.push(p); // .wat: the line limit (no imports)
  }
  return out;
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])(\.{1,2}\/[^'"]+)\1/gm;

export function readSrc(srcDir: string): SrcFile[] {
  return walk(srcDir).map((file) => {
    const text = readFileSync(file, 'utf8');
    const imports = new Set<string>();
    for (const m of text.matchAll(IMPORT)) {
      imports.add(
        relative(srcDir, resolve(dirname(file), m[2]!))
          .split('\\')
          .join('/'),
      );
    }
    return {
      path: relative(srcDir, file).split('\\').join('/'),
      lines: text.split('\n').length - (text.endsWith('\n') ? 1 : 0),
      imports: [...imports].sort(),
    };
  });
}

/** The room of a src path: its top folder, or the file itself at the root. */
export const roomOf = (path: string): string => (path.includes('/') ? path.slice(0, path.indexOf('/')) : path);

export function floorOf(path: string): number {
  const room = roomOf(path);
  const k = FLOORS.findIndex((f) => f.includes(room));
  return k;
}

/** Import cycles between files (Tarjan's strongly connected components of size > 1, or self-loops). */
export function cycles(files: readonly SrcFile[]): string[][] {
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const on = new Set<string>();
  const stack: string[] = [];
  const edges = new Map(files.map((f) => [f.path, f.imports.filter((i) => files.some((g) => g.path === i))]));
  const out: string[][] = [];
  let k = 0;
  const visit = (v: string) => {
    idx.set(v, k);
    low.set(v, k++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) === idx.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || (edges.get(v) ?? []).includes(v)) out.push(comp.sort());
    }
  };
  for (const f of files) if (!idx.has(f.path)) visit(f.path);
  return out;
}

export interface Violation {
  from: string;
  to: string;
  why: string;
}

/** Imports that break a rule: up or across a floor, into an unknown room, or into a forbidden one. */
export function violations(files: readonly SrcFile[]): Violation[] {
  const out: Violation[] = [];
  for (const f of files) {
    const a = floorOf(f.path);
    if (a < 0) out.push({ from: f.path, to: '', why: `room ${roomOf(f.path)} has no floor` });
    for (const to of f.imports) {
      if (roomOf(to) === roomOf(f.path)) continue;
      const b = floorOf(to);
      if (b >= a)
        out.push({ from: f.path, to, why: b > a ? 'imports a higher floor' : 'imports another room of its own floor' });
      const banned = FORBIDDEN[roomOf(f.path)] ?? [];
      if (banned.some((p) => to === p || to.startsWith(p + '/')))
        out.push({ from: f.path, to, why: `${roomOf(f.path)}/ must not import ${to}` });
    }
  }
  return out;
}

/** Arrows between rooms (distinct room pairs), as the picture of the house counts them. */
export function roomArrows(files: readonly SrcFile[]): string[] {
  const arrows = new Set<string>();
  for (const f of files)
    for (const to of f.imports) if (roomOf(to) !== roomOf(f.path)) arrows.add(`${roomOf(f.path)} -> ${roomOf(to)}`);
  return [...arrows].sort();
}
