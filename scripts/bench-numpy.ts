// The "numpy" section of `npm run bench` (issue 12 item 6): the exact pipeline against the
// float64 NumPy/SciPy pipeline a user would write instead (scripts/bench_numpy.py: Gram by
// BLAS once, every nonnegative QP by Cholesky, else NNLS), on the same case@1 files.
//   grid      linear runCase, n × d (BENCH_FULL=1: n up to 256, d up to 65536), rademacher
//             seed 1, forget {0}, κ = 1: exact / NumPy in-process (medians of interleaved runs,
//             each side in one long-lived process), fitted growth exponents, n²d/2 beside it
//   process   `unlearn-kkt certify` vs `python3 scripts/bench_numpy.py` as whole processes
//   degenerate the small data of the issue that used to hang or crash (work limit or finish)
//   relu2     runCase on given relu2 networks, n × m
// Every exact run is capped (BENCH_CAP_S, default 60 s): a run past it is reported "> cap".
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createInterface, type Interface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import { gaussianMixture, plantedInts, rademacher } from '../src/data/generators.ts';
import { Rng } from '../src/data/random.ts';
import type { Dataset, Label } from '../src/data/dataset.ts';
import { Rational } from '../src/exact/rational.ts';
import { ScaledVec } from '../src/exact/vec.ts';
import { alternatingSigns } from '../src/models/model.ts';
import { caseToJson } from '../src/formats/case.ts';
import type { Case } from '../src/unlearn/pipeline.ts';

const BLAS1 = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };
const CAP_MS = Number(process.env.BENCH_CAP_S ?? 60) * 1000;
/** A grid cell keeps running interleaved rounds until this long (and at least BENCH_RUNS rounds). */
const CELL_MS = 1500;
const MAX_ROUNDS = 41;
/** Runs of each side a round, back to back. */
const PER_ROUND = 5;
const FULL = process.env.BENCH_FULL === '1';
const GRID_N = FULL ? [8, 16, 32, 64, 128, 256] : [8, 16, 32, 64, 128];
const GRID_D = FULL ? [1024, 4096, 16384, 65536] : [1024, 4096, 16384];
/** gaussianMixture (μ = 3 e_1, σ = 1) cells: binary64 data, n × d */
const BINARY64: [number, number][] = [
  [16, 1024],
  [32, 1024],
  [64, 1024],
  [64, 4096],
];
const RELU2_N = [8, 16, 32];
const RELU2_M = [16, 32, 64];
const RELU2_D = 256;

const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
};

// ---------------------------------------------------------------- the case files

const linearCase = (data: Dataset): Case => ({
  model: { kind: 'linear' },
  data,
  theta: null,
  forget: [0],
  step: { kind: 'kappa', kappa: Rational.ONE },
  gradient: 'autodiff',
});
const intRows = (rows: readonly (readonly number[])[]) => rows.map((r) => ScaledVec.of(r.map(BigInt)));

function writeCase(dir: string, name: string, make: () => Case): string {
  const path = `${dir}${name}.json`;
  if (!existsSync(path)) writeFileSync(path, JSON.stringify(caseToJson(make())));
  return path;
}

/** x_i = i + 1 in d = 1, all labels +1 (one support vector, n - 1 inactive: a degenerate dual). */
function line(n: number): Case {
  return linearCase({ x: intRows(Array.from({ length: n }, (_, i) => [i + 1])), y: new Array<Label>(n).fill(1) });
}

/** relu2 n = 3, d = 2, m units: the first `kinked` units orthogonal to a point (exact kinks), the rest random. */
function kinkedRelu2(m: number, kinked: number, seed = 1): Case {
  const g = new Rng(seed);
  const X = [
    [1, 0],
    [0, 1],
    [1, 1],
  ];
  const theta = Array.from({ length: m }, (_, j) => {
    const k = g.nextInt(1, 3) * (j % 2 ? -1 : 1);
    if (j < kinked) {
      const [a, b] = X[j % 3]!;
      return [-b! * k, a! * k]; // <θ_j, x_(j mod 3)> = 0
    }
    return [g.nextInt(-3, 3), g.nextInt(-3, 3)];
  });
  return {
    model: { kind: 'relu2', v: alternatingSigns(m) },
    data: { x: intRows(X), y: [1, -1, 1] },
    theta: intRows(theta),
    forget: [0],
    step: { kind: 'kappa', kappa: Rational.ONE },
    gradient: 'autodiff',
  };
}

/** relu2 on rademacher data: unit j = Σ r_ji y_i x_i over the points it should fire on (v_j y_i > 0), r_ji in 1..3. */
function relu2Case(n: number, m: number, d = RELU2_D, seed = 1): Case {
  const data = rademacher({ n, d, seed });
  const v = alternatingSigns(m);
  const g = new Rng(seed + 1);
  const theta = v.map((vj) => {
    const t = new Array<bigint>(d).fill(0n);
    data.x.forEach((x, i) => {
      if (vj.sign() * data.y[i]! < 0) return;
      const c = BigInt(g.nextInt(1, 3) * data.y[i]!);
      x.ints.forEach((e, k) => (t[k] = t[k]! + c * e));
    });
    return ScaledVec.of(t);
  });
  return {
    model: { kind: 'relu2', v },
    data,
    theta,
    forget: [0],
    step: { kind: 'kappa', kappa: Rational.ONE },
    gradient: 'autodiff',
  };
}

// ---------------------------------------------------------------- processes

/** A long-lived line server: one request line in, one JSON line out (or null past the cap). */
class Server {
  private p!: ChildProcessWithoutNullStreams;
  private lines!: Interface;
  private waiting: ((s: string) => void) | null = null;
  constructor(
    private cmd: string,
    private args: string[],
    private env: NodeJS.ProcessEnv,
    private root: string,
  ) {
    this.start();
  }
  private start() {
    this.p = spawn(this.cmd, this.args, {
      cwd: this.root,
      env: { ...process.env, ...this.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.p.stderr.on('data', (b) => process.stderr.write(b));
    this.lines = createInterface({ input: this.p.stdout });
    this.lines.on('line', (l) => this.waiting?.(l));
  }
  ask(path: string, capMs: number): Promise<Record<string, any> | null> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = null;
        this.p.kill('SIGKILL');
        this.start();
        resolve(null);
      }, capMs);
      this.waiting = (l) => {
        clearTimeout(timer);
        this.waiting = null;
        resolve(JSON.parse(l));
      };
      this.p.stdin.write(path + '\n');
    });
  }
  close() {
    this.p.stdin.end();
  }
}

function wallOf(
  cmd: string,
  args: string[],
  root: string,
  capMs: number,
  env: NodeJS.ProcessEnv = {},
): { ms: number; code: number | null; out: string; err: string; capped: boolean } {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, {
    cwd: root,
    env: { ...process.env, ...env },
    timeout: capMs,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return {
    ms: performance.now() - t0,
    code: r.status,
    out: r.stdout ?? '',
    err: r.stderr ?? '',
    capped: r.error !== undefined || r.signal !== null,
  };
}

export function numpyAvailable(): string | null {
  const r = spawnSync('python3', ['-c', 'import numpy, scipy; print(numpy.__version__, scipy.__version__)'], {
    encoding: 'utf8',
  });
  return r.status === 0 ? r.stdout.trim() : null;
}

/** Least squares log t = a + b log n + c log d: the growth exponents (b, c). */
function exponents(rows: { n: number; d: number; ms: number }[]): { n: number; d: number } | null {
  if (rows.length < 3) return null;
  const A = rows.map((r) => [1, Math.log(r.n), Math.log(r.d)]);
  const t = rows.map((r) => Math.log(r.ms));
  const N = [0, 1, 2].map((i) => [0, 1, 2].map((j) => A.reduce((s, a) => s + a[i]! * a[j]!, 0)));
  const v = [0, 1, 2].map((i) => A.reduce((s, a, k) => s + a[i]! * t[k]!, 0));
  // 3×3 Gauss-Jordan
  const M = N.map((r, i) => [...r, v[i]!]);
  for (let c = 0; c < 3; c++) {
    const p = M[c]![c]!;
    if (Math.abs(p) < 1e-12) return null;
    for (let j = c; j < 4; j++) M[c]![j]! /= p;
    for (let i = 0; i < 3; i++) if (i !== c) for (let j = 3; j >= c; j--) M[i]![j]! -= M[i]![c]! * M[c]![j]!;
  }
  return { n: M[1]![3]!, d: M[2]![3]! };
}

// ---------------------------------------------------------------- the section

export async function numpySection(root: string, runs: number): Promise<Record<string, any>> {
  const version = numpyAvailable();
  const dir = `${root}scratch/bench-numpy/`;
  mkdirSync(dir, { recursive: true });
  const out: Record<string, any> = { numpy: version, cap_s: CAP_MS / 1000, runs, full: FULL };
  // the grid measures speed: the per-case work limit (a user's guard, docs/LIMITS.md) is lifted
  const exact = new Server(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench-numpy-worker.ts', '--serve'],
    { UNLEARN_KKT_MAX_WORK: '1e15' },
    root,
  );
  const py = version ? new Server('python3', ['scripts/bench_numpy.py', '--serve'], BLAS1, root) : null;
  if (!version) console.error('numpy section: python3 with numpy and scipy not found: the NumPy columns are skipped');

  // grid: interleaved rounds (exact PER_ROUND times back to back, then NumPy as many) after
  // one warm-up of each: at least `runs` rounds, and more while the cell has run under
  // CELL_MS (up to MAX_ROUNDS), so a short cell's medians rest on dozens of warm runs on
  // both sides (a run right after the other side's runs starts with cold caches: the first
  // of each five on both sides)
  const measure = async (path: string, cell: Record<string, any>) => {
    cell.exact_ms = [];
    cell.numpy_ms = [];
    const warm = await exact.ask(path, CAP_MS);
    if (py) cell.numpy_out = await py.ask(path, CAP_MS);
    if (!warm || warm.error) [cell.capped, cell.error] = [!warm, warm?.error];
    else {
      cell.exact_out = warm;
      // one warm-up at most when a run is long: the cap bounds the cell at ~ (runs + 1) × run
      const k = warm.ms * (runs + 1) > 4 * CAP_MS ? 1 : runs;
      const t0 = performance.now();
      for (let r = 0; r < k || (r < MAX_ROUNDS && performance.now() - t0 < CELL_MS); r++) {
        const e = await exact.ask(path, CAP_MS);
        if (!e) {
          cell.capped = true;
          break;
        }
        cell.exact_ms.push(e.ms);
        for (let t = 1; t < PER_ROUND && k > 1; t++) cell.exact_ms.push((await exact.ask(path, CAP_MS))!.ms);
        for (let t = 0; py && t < PER_ROUND; t++) cell.numpy_ms.push((await py.ask(path, CAP_MS))!.ms);
      }
      if (!cell.exact_ms.length) cell.exact_ms.push(warm.ms);
    }
    if (py && !cell.numpy_ms.length) for (let t = 0; t < 5; t++) cell.numpy_ms.push((await py.ask(path, CAP_MS))!.ms);
    cell.exact = cell.exact_ms.length ? median(cell.exact_ms) : null;
    cell.numpy = py ? median(cell.numpy_ms) : null;
    return cell;
  };
  out.grid = [];
  for (const n of GRID_N) {
    for (const d of GRID_D) {
      console.error(`numpy grid n = ${n}, d = ${d} ...`);
      const path = writeCase(dir, `grid-${n}-${d}`, () => linearCase(rademacher({ n, d, seed: 1 })));
      out.grid.push(await measure(path, { n, d, madds: (n * n * d) / 2 }));
    }
  }
  // binary64 data (a user's float data): long integer rows on a power-of-two scale
  out.binary64 = [];
  for (const [n, d] of BINARY64) {
    console.error(`numpy binary64 n = ${n}, d = ${d} ...`);
    const path = writeCase(dir, `binary64-${n}-${d}`, () =>
      linearCase(gaussianMixture({ n, d, seed: 1, mu: 3, sigma: 1 })),
    );
    out.binary64.push(await measure(path, { n, d }));
  }
  const fitted = (key: 'exact' | 'numpy') =>
    exponents(out.grid.filter((c: any) => c[key] && !c.capped).map((c: any) => ({ n: c.n, d: c.d, ms: c[key] })));
  out.exponents = { exact: fitted('exact'), numpy: py ? fitted('numpy') : null };

  // whole processes on 128 × 16384
  {
    console.error('numpy whole processes on 128 × 16384 ...');
    const path = writeCase(dir, 'grid-128-16384', () => linearCase(rademacher({ n: 128, d: 16384, seed: 1 })));
    const cert: number[] = [];
    const npy: number[] = [];
    let note = '';
    for (let r = 0; r < 3; r++) {
      const c = wallOf(process.execPath, ['bin/unlearn-kkt.mjs', 'certify', path], root, CAP_MS * 2);
      if (c.code !== 0) note = `certify exit ${c.code}${c.capped ? ' (capped)' : ''}: ${c.err.split('\n')[0]}`;
      cert.push(c.ms);
      if (version) npy.push(wallOf('python3', ['scripts/bench_numpy.py', path], root, CAP_MS, BLAS1).ms);
    }
    out.process = {
      n: 128,
      d: 16384,
      certify_ms: median(cert),
      numpy_ms: version ? median(npy) : null,
      certify_runs: cert,
      numpy_runs: npy,
      note,
    };
  }
  exact.close();
  py?.close();

  // degenerate cases: in a fresh process each (runCase once, the default work limit), and the CLI
  out.degenerate = [];
  const degenerate: [string, string, () => Case][] = [
    ['line-200', 'n = 200, d = 1, x_i = i + 1', () => line(200)],
    ['ints-100x10', '100 points in d = 10, entries in [-3, 3]', () => linearCase(plantedInts(100, 10, 1))],
    ['line-8000', 'n = 8000, d = 1, x_i = i + 1', () => line(8000)],
    ['relu2-kinks', 'relu2 n = 3, d = 2, m = 1000, exact kinks', () => kinkedRelu2(1000, 445)],
  ];
  for (const [name, what, make] of degenerate) {
    console.error(`numpy degenerate ${name} ...`);
    const path = writeCase(dir, `degenerate-${name}`, make);
    const w = wallOf(process.execPath, ['--import', 'tsx', 'scripts/bench-numpy-worker.ts', path], root, CAP_MS);
    const res = w.capped ? null : JSON.parse(w.out.trim().split('\n').at(-1) ?? 'null');
    const cli = wallOf(process.execPath, ['bin/unlearn-kkt.mjs', 'certify', path], root, CAP_MS);
    out.degenerate.push({
      name,
      what,
      ms: res?.ms ?? null,
      capped: w.capped,
      error: res?.error ?? (w.capped ? null : w.code !== 0 ? w.err.split('\n').slice(-3).join(' ') : null),
      kinks: res?.kinks,
      cli_ms: cli.ms,
      cli_exit: cli.code,
      cli_capped: cli.capped,
      cli_stderr_lines: cli.err.trim() ? cli.err.trim().split('\n').length : 0,
      cli_first_line: cli.err.trim().split('\n')[0] ?? '',
      peak_rss_mb: res?.peak_rss_mb,
    });
  }

  // relu2: given networks, runCase in one process per n (cold run, then the median of up to 2 more)
  out.relu2 = [];
  for (const n of RELU2_N) {
    const srv = new Server(process.execPath, ['--import', 'tsx', 'scripts/bench-numpy-worker.ts', '--serve'], {}, root);
    let capped = false;
    for (const m of RELU2_M) {
      console.error(`numpy relu2 n = ${n}, m = ${m} ...`);
      const path = writeCase(dir, `relu2-${n}-${m}-${RELU2_D}`, () => relu2Case(n, m));
      const row: Record<string, any> = { n, m, d: RELU2_D, ms: null, capped };
      if (!capped) {
        const first = await srv.ask(path, CAP_MS);
        if (!first)
          row.capped = capped = true; // larger m only grows
        else {
          const ms = [first.ms];
          row.kinks = first.kinks;
          for (let r = 0; r < 2 && first.ms < CAP_MS / 8; r++) ms.push((await srv.ask(path, CAP_MS))!.ms);
          row.ms = median(ms.length > 1 ? ms.slice(1) : ms);
          row.peak_rss_mb = first.peak_rss_mb;
        }
      }
      out.relu2.push(row);
    }
    srv.close();
  }
  return out;
}

// ---------------------------------------------------------------- BENCH.md

const f1 = (x: number | null | undefined) =>
  x === null || x === undefined ? '—' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2);
const sci = (x: number) => x.toExponential(1).replace('e+', 'e');
const sig = (x: number) => x.toPrecision(6);

export function numpyMarkdown(o: Record<string, any> | undefined): string[] {
  if (!o) return [];
  const L: string[] = [];
  const cap = `> ${o.cap_s} s`;
  // a cell without an exact time: refused by the work limit, or past the cap
  const missing = (c: any) => (c.error ? 'refused' : cap);
  const exactMs = (c: any) => (c.exact === null ? missing(c) : f1(c.exact));
  L.push('## Exact vs NumPy/SciPy float64 (`npm run bench -- numpy`)', '');
  if (!o.numpy)
    L.push(
      '**Skipped the NumPy side: python3 with numpy and scipy was not found** (the exact times are still measured).',
      '',
    );
  L.push(
    `The float64 pipeline a user would write instead (scripts/bench_numpy.py, NumPy/SciPy ${o.numpy ?? '—'}, one BLAS thread): the Gram matrix by BLAS once, every nonnegative QP (max-margin on S, certificate before, certificate after, max-margin on R) by Cholesky, the all-active solve else NNLS, one factorization per matrix. Exact: \`runCase\` (scripts/bench-numpy-worker.ts). Both read the same case@1 files (scratch/bench-numpy/, written from TS: rademacher seed 1, forget {0}, κ = 1, θ = max-margin). In-process times from the loaded data: each side in one long-lived process (the exact side parses each case once, untimed, and runs each round on fresh vector objects over the file's number arrays, so nothing a run derives carries over, as NumPy's rounds start from its arrays), one warm-up each, then rounds of (exact ${PER_ROUND} times back to back, NumPy ${PER_ROUND} times), at least ${o.runs} rounds and more while the cell has run under ${CELL_MS / 1000} s (at most ${MAX_ROUNDS}); medians over all runs (each run's time is in bench.json). Exact runs capped at ${o.cap_s} s.`,
    '',
  );
  const grid = o.grid as any[];
  const ns = [...new Set(grid.map((c) => c.n))];
  const ds = [...new Set(grid.map((c) => c.d))];
  const cellOf = (n: number, d: number) => grid.find((c) => c.n === n && c.d === d);
  const table = (title: string, val: (c: any) => string) => {
    L.push(`| ${title} | ${ds.join(' | ')} |`, `|---:|${ds.map(() => '---:').join('|')}|`);
    for (const n of ns) L.push(`| ${n} | ${ds.map((d) => val(cellOf(n, d))).join(' | ')} |`);
    L.push('');
  };
  L.push('exact / NumPy (in-process; target ≤ 3 at n = 32, d = 4096 and ≤ 10 everywhere up to n = 128):', '');
  table('n \\ d', (c) => (c.exact === null ? missing(c) : c.numpy ? f1(c.exact / c.numpy) : '—'));
  L.push("exact ms / NumPy ms, with the integer Gram's n²d/2 multiply-adds:", '');
  table('n \\ d', (c) => `${exactMs(c)} / ${f1(c.numpy)} (${sci(c.madds)})`);
  const ex = o.exponents;
  const e = (x: any) => (x ? `n^${x.n.toFixed(2)} · d^${x.d.toFixed(2)}` : '—');
  L.push(
    `Fitted growth (least squares on log t = a + b log n + c log d over the cells above): exact ${e(ex.exact)}, NumPy ${e(ex.numpy)}; the Gram bound is n^2 · d^1.`,
    '',
  );
  const at = cellOf(32, 4096);
  const worst = grid
    .filter((c) => c.n <= 128 && c.numpy)
    .reduce((m, c) => Math.max(m, c.exact === null ? Infinity : c.exact / c.numpy), 0);
  if (at?.numpy)
    L.push(
      `- W1 (32 × 4096): exact / NumPy = ${f1(at.exact / at.numpy)} (target ≤ 3: ${at.exact / at.numpy <= 3 ? 'met' : '**missed**'})`,
    );
  if (o.numpy) L.push(`- worst cell up to n = 128: ${f1(worst)} (target ≤ 10: ${worst <= 10 ? 'met' : '**missed**'})`);
  const mis = grid.filter(
    (c) =>
      c.exact_out &&
      c.numpy_out &&
      Math.abs(c.exact_out.epsilon2 - c.numpy_out.epsilon2) > 1e-6 * Math.max(1, Math.abs(c.exact_out.epsilon2)),
  );
  L.push(
    `- cross-check ε² after (exact vs float64) agrees to 1e-6 relative in ${grid.length - mis.length} of ${grid.length} cells${mis.length ? ` (differs at ${mis.map((c) => `${c.n}×${c.d}`).join(', ')})` : ''}`,
    '',
  );
  if (o.binary64?.length) {
    L.push(
      '### Binary64 data',
      '',
      "gaussianMixture (μ = 3 e₁, σ = 1, seed 1): each entry an exact binary64 value, so a row is long integers on one power-of-two scale (the Gram's limb route, src/exact/intGram.ts). Same interleaved in-process runs as the grid.",
      '',
      '| n × d | exact ms | NumPy ms | exact / NumPy | ε² after: exact, float64 |',
      '|---|---:|---:|---:|---|',
      ...o.binary64.map(
        (c: any) =>
          `| ${c.n} × ${c.d} | ${exactMs(c)} | ${f1(c.numpy)} | ${c.exact !== null && c.numpy ? f1(c.exact / c.numpy) : '—'} | ${c.exact_out ? sig(c.exact_out.epsilon2) : '—'}, ${c.numpy_out ? sig(c.numpy_out.epsilon2) : '—'} |`,
      ),
      '',
    );
  }
  const p = o.process;
  L.push(`### Whole processes on ${p.n} × ${p.d}`, '');
  L.push(
    '`node bin/unlearn-kkt.mjs certify CASE.json` (start-up of the bundle in dist/, rebuilt by the bench as `npm ci` builds it; reading, parsing, the pipeline, JSON out) against `python3 scripts/bench_numpy.py CASE.json`; medians of 3 interleaved runs.',
    '',
  );
  L.push(
    `| certify ms | NumPy process ms | ratio |`,
    '|---:|---:|---:|',
    `| ${f1(p.certify_ms)} | ${f1(p.numpy_ms)} | ${p.numpy_ms ? f1(p.certify_ms / p.numpy_ms) : '—'} |`,
    '',
  );
  if (p.numpy_ms)
    L.push(`- target ≤ 2: ${p.certify_ms / p.numpy_ms <= 2 ? 'met' : '**missed**'}${p.note ? `; ${p.note}` : ''}`, '');
  L.push('### Degenerate data', '');
  L.push(
    `Each case in a fresh process: \`runCase\` once with the default work limit (in-process ms), and \`certify\` as a whole process (wall ms, exit code, stderr lines). Target ≤ 1 s or a one-line refusal by the work limit.`,
    '',
  );
  L.push('| case | runCase ms | certify wall ms | exit | outcome |', '|---|---:|---:|---:|---|');
  for (const g of o.degenerate) {
    const outcome = g.capped
      ? `did not finish in ${o.cap_s} s`
      : g.error
        ? `refused: ${g.error.slice(0, 160)}${g.cli_stderr_lines === 1 ? ' (CLI: one line)' : ` (CLI: ${g.cli_stderr_lines} stderr lines)`}`
        : `finished${g.kinks ? `, ${g.kinks} kinks` : ''}${g.peak_rss_mb ? `, peak ${g.peak_rss_mb.toFixed(0)} MB` : ''}`;
    L.push(
      `| ${g.what} | ${g.capped ? cap : f1(g.ms)} | ${g.cli_capped ? cap : f1(g.cli_ms)} | ${g.cli_exit ?? '—'} | ${outcome} |`,
    );
  }
  L.push('');
  L.push('### relu2', '');
  L.push(
    `\`runCase\` on a given network (rademacher data d = ${o.relu2[0]?.d}, seed 1; v = ±1 alternating; unit j = Σ r_ji y_i x_i over the points with v_j y_i > 0, r_ji in 1..3 from seed 2; forget {0}, autodiff): certificate before, GA, certificates after. Cold run then the median of up to 2 more in one process. Target at n = 32, m = 64: ≤ 10 s.`,
    '',
  );
  const ms = [...new Set(o.relu2.map((r: any) => r.m))] as number[];
  L.push(`| n \\ m | ${ms.join(' | ')} |`, `|---:|${ms.map(() => '---:').join('|')}|`);
  for (const n of [...new Set(o.relu2.map((r: any) => r.n))] as number[]) {
    L.push(
      `| ${n} | ${ms
        .map((m) => {
          const r = o.relu2.find((x: any) => x.n === n && x.m === m);
          return r.ms === null ? cap : `${f1(r.ms)} ms${r.kinks ? ` (${r.kinks} kinks)` : ''}`;
        })
        .join(' | ')} |`,
    );
  }
  L.push('');
  return L;
}
