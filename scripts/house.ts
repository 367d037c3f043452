// npm run house [-- SRC_DIR]: the picture of the house drawn from src/'s own imports (rooms per
// floor, arrows between rooms, circles, imports breaking a rule, largest files). Used to show
// the architecture before and after a change (docs/ARCHITECTURE.md).
import { resolve } from 'node:path';
import { FLOORS, cycles, floorOf, readSrc, roomArrows, roomOf, violations } from '../properties/architecture.graph.ts';

const src = resolve(process.argv[2] ?? 'src');
const files = readSrc(src);
const rooms = [...new Set(files.map((f) => roomOf(f.path)))];
const used = FLOORS.map((f) => f.filter((r) => rooms.includes(r))).filter((f) => f.length);
const lines = files.reduce((s, f) => s + f.lines, 0);
console.log(
  `src: ${files.length} files, ${lines} lines, ${rooms.length} rooms on ${used.length} floors (+ ${rooms.filter((r) => floorOf(r) < 0).length} without a floor)`,
);
for (const [k, f] of [...used.entries()].reverse()) {
  console.log(
    `  floor ${k}: ${f.map((r) => `${r} (${files.filter((x) => roomOf(x.path) === r).reduce((s, x) => s + x.lines, 0)} lines)`).join(', ')}`,
  );
}
const unplaced = rooms.filter((r) => floorOf(r) < 0);
if (unplaced.length) console.log(`  no floor: ${unplaced.join(', ')}`);
console.log(
  `arrows between rooms: ${roomArrows(files).length}; import statements between files: ${files.reduce((s, f) => s + f.imports.length, 0)}`,
);
const c = cycles(files);
console.log(`circles: ${c.length}${c.map((x) => `\n  ${x.join(' <-> ')}`).join('')}`);
const v = violations(files);
console.log(`imports breaking a rule: ${v.length}${v.map((x) => `\n  ${x.from} -> ${x.to}: ${x.why}`).join('')}`);
console.log('largest files:');
for (const f of [...files].sort((a, b) => b.lines - a.lines).slice(0, 8))
  console.log(`  ${String(f.lines).padStart(4)} ${f.path}`);
