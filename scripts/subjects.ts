// npm run subjects: the (ε, δ, τ) that shipped implementations really attain, against the
// exact reference, across n and d (issue: regression guard). Writes reports/SUBJECTS.md
// and reports/subjects.json. Each subject's θ~ is certified exactly w.r.t. the retained
// points; floats only format the table. Python subjects are included when the interpreter
// has the module (Debian's python3-numpy / python3-torch), and listed as skipped otherwise.
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { Rational } from '../src/exact/rational.ts';
import { gaussianMixture } from '../src/data/generators.ts';
import { caseToJson, parseCase } from '../src/formats/case.ts';
import { DEFAULT_RTOL } from '../src/guard/compare.ts';
import { type Subject, commandSubject, functionSubject } from '../src/guard/subjects.ts';
import { judge } from '../src/guard/verify.ts';
import { gaFromCase } from '../src/float/gaFloat.ts';
import { runCase } from '../src/unlearn/pipeline.ts';

const NS = [4, 8, 16];
const DS = [64, 512, 4096];
const SEED = 1;

function python(module: string): string | undefined {
  return ['python3', '/usr/bin/python3'].find((py) => spawnSync(py, ['-c', `import ${module}`]).status === 0);
}

const subjects: Subject[] = [functionSubject('float64 (src/float)', gaFromCase)];
const skipped: string[] = [];
const np = python('numpy');
if (np) subjects.push(commandSubject(`${np} fixtures/adapters/numpy_ga.py`, { timeoutMs: 60_000 }));
else skipped.push('numpy (no python3 with numpy)');
const torch = python('torch');
for (const dtype of ['float64', 'float32']) {
  if (torch)
    subjects.push(commandSubject(`${torch} fixtures/adapters/torch_ga.py --dtype ${dtype}`, { timeoutMs: 60_000 }));
  else skipped.push(`torch ${dtype} (no python3 with torch)`);
}

const short = (q: Rational) => {
  const x = q.toNumber();
  return x === 0 ? '0' : Math.abs(x) < 1e-3 || Math.abs(x) >= 1e5 ? x.toExponential(2) : x.toPrecision(3);
};

const rows: Record<string, string | number>[] = [];
for (const n of NS) {
  for (const d of DS) {
    // Gaussian mixture, ||μ|| = 2, σ = 1: separable for d >= n; forget x_0 with κ = 1
    const data = gaussianMixture({ n, d, seed: SEED * 1000 + n * 10 + d, mu: 2, sigma: 1 });
    const c = {
      model: { kind: 'linear' } as const,
      data,
      theta: null,
      forget: [0],
      step: { kind: 'kappa' as const, kappa: Rational.ONE },
      gradient: 'autodiff' as const,
    };
    const json = caseToJson(c);
    const text = JSON.stringify(json);
    const run = runCase(parseCase(json));
    for (const s of subjects) {
      const r = await judge(s, `n${n}-d${d}`, c, run, json, text, DEFAULT_RTOL);
      const k = r.comparison;
      rows.push({
        subject: s.name.replace(/^\S*python3 /, ''),
        n,
        d,
        status: r.status,
        relError: k ? Math.sqrt(k.relError2.toNumber()).toExponential(2) : '–',
        epsilon2: k ? short(k.attained.epsilon2) : '–',
        delta: k ? short(k.attained.delta) : '–',
        tau: k ? short(k.attained.tau) : '–',
        ref: `${short(run.after.epsilon2)} / ${short(run.after.delta)} / ${short(run.after.tau)}`,
      });
      process.stderr.write(`${s.name} n=${n} d=${d}: ${r.status}\n`);
    }
  }
}

const md = [
  '# What shipped implementations attain',
  '',
  `Written by \`npm run subjects\` (scripts/subjects.ts). Linear max-margin cases from the Gaussian mixture (‖μ‖ = 2, σ = 1, seed ${SEED}), forget x_0, step κ = 1 (each subject computes λ itself). For each subject: its norm-wise relative error against the exact θ~, and the ε², δ, τ its own output attains, certified exactly w.r.t. the retained points (shown as decimals). Verdicts at rtol ${DEFAULT_RTOL} (docs/FORMAT-result.md). The last column is the exact reference's ε² / δ / τ.`,
  '',
  ...(skipped.length ? [`Skipped here: ${skipped.join('; ')}.`, ''] : []),
  '| subject | n | d | verdict | rel. error | ε² | δ | τ | reference ε² / δ / τ |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.subject} | ${r.n} | ${r.d} | ${r.status} | ${r.relError} | ${r.epsilon2} | ${r.delta} | ${r.tau} | ${r.ref} |`,
  ),
  '',
].join('\n');
mkdirSync('reports', { recursive: true });
writeFileSync('reports/SUBJECTS.md', md);
writeFileSync(
  'reports/subjects.json',
  JSON.stringify({ seed: SEED, rtol: String(DEFAULT_RTOL), skipped, rows }, null, 2) + '\n',
);
process.stdout.write('wrote reports/SUBJECTS.md\n');
