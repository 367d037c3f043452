// The exact side of the NumPy comparison (scripts/bench-numpy.ts), in its own process:
//   node --import tsx scripts/bench-numpy-worker.ts --serve     a case@1 path per stdin line:
//                                                               runCase once on fresh vectors, one JSON line {ms, ...}
//   node --import tsx scripts/bench-numpy-worker.ts CASE.json   runCase once (the default work limit)
// Reading and parsing the file is untimed (the NumPy side times from its arrays too).
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { parseCase } from '../src/formats/case.ts';
import { runCase, type Case } from '../src/unlearn/pipeline.ts';
import { ScaledVec } from '../src/exact/vec.ts';
import { applyMaxWork } from '../src/unlearn/workLimit.ts';

applyMaxWork(undefined); // UNLEARN_KKT_MAX_WORK, as the CLI reads it

const load = (path: string): Case => parseCase(JSON.parse(readFileSync(path, 'utf8')));

/**
 * The case on new vector objects over the same number arrays (the file's data, as NumPy's
 * arrays): nothing a run derives from its vectors (their BigInts, say) carries over to the
 * next. Parsing afresh each round did the same but left a 10^5-string parse's garbage and
 * cold caches to the timed run, which NumPy's rounds do not have.
 */
function fresh(c: Case): Case {
  const copy = (v: ScaledVec) =>
    v.nums && v.scale.num === 1n && v.scale.den === 1n
      ? ScaledVec.ofSafeInts(v.nums)
      : ScaledVec.of([...v.ints], v.scale);
  return { ...c, data: { x: c.data.x.map(copy), y: c.data.y }, theta: c.theta?.map(copy) ?? null };
}

let last: { path: string; c: Case } | null = null;
const loadOnce = (path: string): Case => (last?.path === path ? last : (last = { path, c: load(path) })).c;

function once(c: Case): Record<string, unknown> {
  const t0 = performance.now();
  const run = runCase(c);
  const ms = performance.now() - t0;
  return {
    ms,
    epsilon2: run.after.epsilon2.toNumber(),
    delta: run.after.delta.toNumber(),
    tau: run.after.tau.toNumber(),
    dist2: run.retrained?.closeness.distance2.toNumber() ?? null,
    epsilon2_inherited: run.inherited.epsilon2.toNumber(),
    kinks: run.before.kinks.length,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  };
}

/** once(c), or a refusal (the work limit) as an outcome: its one line. */
function attempt(c: Case): Record<string, unknown> {
  try {
    return once(c);
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

const arg = process.argv[2];
if (arg === '--serve') {
  for await (const line of createInterface({ input: process.stdin })) {
    const p = line.trim();
    if (p) process.stdout.write(JSON.stringify(attempt(fresh(loadOnce(p)))) + '\n');
  }
} else if (arg) {
  process.stdout.write(JSON.stringify(attempt(load(arg))) + '\n');
} else throw new Error('usage: bench-numpy-worker.ts --serve | CASE.json');
