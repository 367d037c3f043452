// One benchmark workload in its own process (so its peak RSS is its own); prints one JSON line.
//   node --import tsx scripts/bench-worker.ts w1|w1-naive|w2 [runs]
// Timed: a warm-up run, then `runs` runs; reports every time (ms) and the median.
import { performance } from 'node:perf_hooks';
import {
  w1Input,
  w1Exact,
  w1Float,
  naiveInput,
  w1Naive,
  w2Input,
  w2Exact,
  w2Float,
  type Summary,
} from './bench-workloads.ts';

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

function time<T>(f: () => T, runs: number, warmup = 1): { ms: number[]; median: number; out: T } {
  let out = f();
  for (let k = 1; k < warmup; k++) out = f();
  const ms: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = performance.now();
    out = f();
    ms.push(performance.now() - t0);
  }
  return { ms, median: median(ms), out };
}

const peakMb = () => process.resourceUsage().maxRSS / 1024;

const [mode = 'w1', runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? process.env.BENCH_RUNS ?? 5);
// Floats are milliseconds: more runs for a stable median at no real cost.
const floatRuns = Math.max(runs, 21);
let result: Record<string, unknown>;
if (mode === 'w1') {
  const inp = w1Input(Number(process.env.BENCH_N ?? 32), Number(process.env.BENCH_D ?? 4096));
  const exact = time(() => w1Exact(inp), runs);
  const float = time(() => w1Float(inp), floatRuns, 3);
  result = { n: inp.n, d: inp.d, exact, float, peak_rss_mb: peakMb() };
} else if (mode === 'w1-naive') {
  const inp = w1Input(Number(process.env.BENCH_N ?? 32), Number(process.env.BENCH_D ?? 4096));
  const naive = naiveInput(inp);
  // Once, no warm-up: it is slow by design (the baseline), so JIT warm-up is negligible.
  const t0 = performance.now();
  const out: Summary = w1Naive(naive);
  result = {
    n: inp.n,
    d: inp.d,
    naive: { ms: [performance.now() - t0], median: performance.now() - t0, out },
    peak_rss_mb: peakMb(),
  };
} else if (mode === 'w2') {
  const t0 = performance.now();
  const inp = w2Input();
  const setupMs = performance.now() - t0;
  const kinks = inp.patternF.flat().filter((s) => s === 0).length;
  const exact = time(() => w2Exact(inp), runs);
  const float = time(() => w2Float(inp), floatRuns, 3);
  result = { n: inp.n, d: inp.d, m: inp.m, kinks, setup_ms: setupMs, exact, float, peak_rss_mb: peakMb() };
} else throw new Error(`unknown mode ${mode}`);
process.stdout.write(JSON.stringify(result) + '\n');
