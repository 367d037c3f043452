// docs/ARCHITECTURE.md's floor table is the FLOORS of architecture.graph.ts (which the import
// rules use), so the documented layout cannot drift from the enforced one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLOORS } from './architecture.graph.ts';

const doc = readFileSync(new URL('../docs/ARCHITECTURE.md', import.meta.url), 'utf8');

/** floor -> rooms, from the table rows `| k | `room`, … | job |`. */
function documentedFloors(): string[][] {
  const floors: string[][] = [];
  for (const m of doc.matchAll(/^\| *(\d+) *\| *([^|]+)\|/gm)) {
    const rooms = [...m[2]!.matchAll(/`([^`]+)`/g)].map((r) => r[1]!.replace(/\/$/, ''));
    (floors[Number(m[1])] ??= []).push(...rooms);
  }
  return floors;
}

describe('docs/ARCHITECTURE.md', () => {
  it('lists every room on the floor the import rules give it', () => {
    expect(documentedFloors().map((f) => [...f].sort())).toEqual(FLOORS.map((f) => [...f].sort()));
  });
});
