// Diagnostics of a failing case (issue 11 item 7; src/guard/diagnose.ts, report.ts, cliVerify.ts):
// the .report.json carries, beside every exact value, its decimal (checked here against the
// fraction by BigInt arithmetic, not by the helper that wrote it); the reference θ~ (equal to
// the golden file's, an independent computation), the subject's θ~, the step c_r with its κ
// and β, the forget set, the kinks, and the largest deviation, which names the coordinate a
// mutant subject shifted. The command line explains its columns and names the forget set; a
// long run shows progress on a non-terminal stderr at most once every PLAIN_EVERY_MS.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cli } from './support.ts';
import { describe, expect, test } from 'vitest';
import { functionSubject } from '../src/guard/subjects.ts';
import { reportJson } from '../src/guard/report.ts';
import { type CaseFile, readCaseDir, verify } from '../src/guard/verify.ts';
import { DEFAULT_RTOL } from '../src/guard/compare.ts';
import { PLAIN_EVERY_MS, progressLine } from '../src/io/progress.ts';
import { mutant } from '../fixtures/adapters/mutants/mutants.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GOLDEN = `${ROOT}fixtures/golden`;
const NAMES = ['linear-half-step', 'relu2-kink-clarke-two', 'relu2-kinks-retained'];
const golden = (name: string) => JSON.parse(readFileSync(`${GOLDEN}/${name}.json`, 'utf8'));
const caseFile = (name: string): CaseFile => readCaseDir(GOLDEN).find((c) => c.name === name)!;

// ---------- exact fractions and decimals, by BigInt alone ----------

type Frac = { n: bigint; d: bigint };
const frac = (s: string): Frac => {
  const [a, b] = s.split('/');
  return { n: BigInt(a!), d: BigInt(b ?? '1') };
};
/** "-1.2345e-7" / "0.000162855" / "12" as M·10^E, and M's significant digits. */
function parseDecimal(s: string): { m: bigint; e: number; sig: number } {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(s);
  if (!match) throw new Error(`not a decimal: ${s}`);
  const frac = match[3] ?? '';
  const digits = (match[2]! + frac).replace(/^0+/, '');
  const m = BigInt((match[1] ? '-' : '') + (digits || '0'));
  return { m, e: Number(match[4] ?? 0) - frac.length, sig: digits.replace(/0+$/, '').length };
}
const pow10 = (k: number) => 10n ** BigInt(k);
/** |q - dec| <= 10^(e-5)/2 with 10^e <= |q| < 10^(e+1): dec is q to 6 significant digits. */
function roundsTo(exact: string, dec: string): boolean {
  const q = frac(exact);
  if (q.n === 0n) return dec === '0';
  const { m, e, sig } = parseDecimal(dec);
  if (sig > 6) return false;
  const an = q.n < 0n ? -q.n : q.n;
  let k = 0; // 10^k <= an/d < 10^(k+1)
  while (an * (k >= 0 ? 1n : pow10(-k)) < q.d * (k >= 0 ? pow10(k) : 1n)) k--;
  while (an * (k + 1 >= 0 ? 1n : pow10(-k - 1)) >= q.d * (k + 1 >= 0 ? pow10(k + 1) : 1n)) k++;
  // compare |q.n/q.d - m 10^e| with 10^(k-5)/2, everything scaled by 2 q.d 10^S
  const S = Math.max(0, -e, 5 - k);
  const lhs = 2n * (q.n * pow10(S) - m * q.d * pow10(S + e));
  const bound = q.d * pow10(S + k - 5);
  return (lhs < 0n ? -lhs : lhs) <= bound;
}

/** Every (k, k_decimal) pair in a JSON value, arrays elementwise. */
function decimalPairs(v: unknown, path = '', out: { path: string; exact: string; dec: string }[] = []) {
  if (Array.isArray(v)) v.forEach((x, i) => decimalPairs(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const [k, x] of Object.entries(o)) {
      const base = k.replace(/_decimal$/, '');
      if (k !== base && base in o) {
        const flat = (a: unknown, b: unknown, p: string) => {
          if (Array.isArray(a)) a.forEach((ai, i) => flat(ai, (b as unknown[])[i], `${p}[${i}]`));
          else out.push({ path: p, exact: a as string, dec: b as string });
        };
        flat(o[base], x, `${path}.${base}`);
      } else decimalPairs(x, `${path}.${k}`, out);
    }
  }
  return out;
}

describe('the decimal check itself', () => {
  test('accepts the rounded value, refuses a wrong last digit or a seventh digit', () => {
    expect(roundsTo('1/3', '0.333333')).toBe(true);
    expect(roundsTo('2/3', '0.666667')).toBe(true);
    expect(roundsTo('2/3', '0.666666')).toBe(false);
    expect(roundsTo('2/3', '0.6666667')).toBe(false);
    expect(roundsTo('-1/30000000', '-3.33333e-8')).toBe(true);
    expect(roundsTo('9999999/1000', '10000')).toBe(true);
    expect(roundsTo('1/7', '0.14286')).toBe(false);
  });
});

// ---------- a subject that shifts known coordinates of the right answer ----------

/** The exact expected θ~ with entry (j, t) + 1/7 and a smaller shift 1/100 on another entry. */
function shifted(name: string, j: number, t: number): { theta: unknown; other: [number, number] } {
  const exp = golden(name).expected.after.theta as (string | string[])[];
  const rows = (Array.isArray(exp[0]) ? exp : [exp]) as string[][];
  const plus = (s: string, a: bigint, b: bigint) => {
    const q = frac(s);
    return `${q.n * b + a * q.d}/${q.d * b}`;
  };
  const out = rows.map((r) => [...r]);
  const other: [number, number] = j === 0 && t === 0 ? [rows.length - 1, rows[0]!.length - 1] : [0, 0];
  out[j]![t] = plus(out[j]![t]!, 1n, 7n);
  out[other[0]]![other[1]] = plus(out[other[0]]![other[1]]!, 1n, 100n);
  return { theta: Array.isArray(exp[0]) ? out : out[0], other };
}

async function runShifted(name: string, j: number, t: number) {
  const { theta } = shifted(name, j, t);
  const subject = functionSubject('shift', () => ({ format: 'unlearn-kkt/result@1', theta_after: theta }));
  const rep = await verify({ subject, cases: [caseFile(name)] });
  const r = rep.reports[0]!;
  return { r, json: reportJson(r, 'shift', DEFAULT_RTOL) as Record<string, any>, theta };
}

describe('a failing case’s .report.json', () => {
  test('the largest deviation is the shifted coordinate, in the message and the report', async () => {
    let n = 0;
    for (const name of NAMES) {
      const exp = golden(name).expected.after.theta as unknown[];
      const rows = (Array.isArray(exp[0]) ? exp : [exp]) as string[][];
      const linear = !Array.isArray(exp[0]);
      for (let j = 0; j < rows.length; j++) {
        for (let t = 0; t < rows[0]!.length; t++) {
          const { r, json, theta } = await runShifted(name, j, t);
          expect(r.status).toBe('mismatch');
          const where = linear ? `coordinate ${t}:` : `unit ${j}, coordinate ${t}:`;
          expect(r.message).toContain(`largest deviation at ${where}`);
          expect(json.largest_deviation).toMatchObject({ unit: j, coordinate: t, reference: rows[j]![t] });
          const d = frac(json.largest_deviation.difference);
          expect(d.n * 7n).toBe(d.d); // exactly +1/7
          // the reference θ~ is the golden file's (independent path); the subject's is what it printed
          expect(json.reference.theta_after).toEqual(exp);
          const same = (a: string, b: string) => frac(a).n * frac(b).d === frac(b).n * frac(a).d;
          const got = (json.subject_theta_after as unknown[]).flat() as string[];
          expect(got.every((s, k) => same(s, (theta as unknown[]).flat()[k] as string))).toBe(true);
          expect(json.forget).toEqual(golden(name).case.forget);
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(20);
  });

  test('every exact value has its decimal beside it, the exact value rounded to 6 digits', async () => {
    const jsons: Record<string, any>[] = [];
    for (const name of NAMES) jsons.push((await runShifted(name, 0, 1)).json);
    // a β step (the step's c_r is an enclosure's midpoint) and a process failure (no comparison)
    const beta = JSON.parse(caseFile('linear-half-step').text);
    beta.step = { beta: '1/2', loss: 'exponential' };
    const betaCase: CaseFile = { name: 'beta', caseJson: beta, text: JSON.stringify(beta) };
    const bad = functionSubject('bad', () => ({ format: 'unlearn-kkt/result@1', theta_after: [0, 0, 0] }));
    const crash = functionSubject('crash', () => {
      throw new Error('boom');
    });
    for (const subject of [bad, crash]) {
      const rep = await verify({ subject, cases: [betaCase, caseFile('relu2-kink-clarke-two')] });
      for (const r of rep.failed) jsons.push(reportJson(r, subject.name, DEFAULT_RTOL) as Record<string, any>);
    }
    expect(jsons).toHaveLength(7);
    const pairs = jsons.flatMap((j) => decimalPairs(j));
    const wrong = pairs.filter((p) => !roundsTo(p.exact, p.dec));
    expect(wrong).toEqual([]);
    expect(pairs.length).toBeGreaterThan(200);
    expect(pairs.some((p) => frac(p.exact).d > 1n && !/^[0.-]+$/.test(p.dec))).toBe(true);

    for (const j of jsons) {
      expect(j.forget).toBeDefined();
      expect(j.reference.theta_after_decimal).toBeDefined();
      for (const p of j.reference.step.points) {
        const [c, lambda] = [frac(p.c), frac(p.lambda)];
        if (p.kappa !== null) {
          const k = frac(p.kappa);
          expect(k.n * lambda.n * c.d).toBe(c.n * k.d * lambda.d); // c_r = κ_r λ_r
        }
        const q = Number(frac(p.margin).n) / Number(frac(p.margin).d);
        const cf = Number(c.n) / Number(c.d);
        if (j.reference.step.kind === 'kappa') {
          // c_r = -β ℓ'(q_r): β = c e^q (exponential), c (1 + e^q) (logistic)
          expect(Number(p.beta_exponential_decimal) / (cf * Math.exp(q))).toBeCloseTo(1, 5);
          expect(Number(p.beta_logistic_decimal) / (cf * (1 + Math.exp(q)))).toBeCloseTo(1, 5);
        } else {
          expect(cf / (0.5 * Math.exp(-q))).toBeCloseTo(1, 10);
          const [lo, hi] = p.c_enclosure.map(frac) as Frac[];
          expect(lo!.n * c.d <= c.n * lo!.d && c.n * hi!.d <= hi!.n * c.d).toBe(true);
        }
      }
      // a deviation exactly when the subject's θ~ was read (not for a crash or a wrong shape)
      expect(j.largest_deviation === undefined).toBe(j.rel_error2 === undefined);
      expect(j.subject_theta_after === undefined).toBe(j.rel_error2 === undefined);
    }
    // relu2: the exact kinks of the reference, each with how the subject read it
    const kinked = jsons.find((j) => j.case === 'relu2-kink-clarke-two' && j.subject === 'shift')!;
    expect(kinked.kinks.gradient).toBe('clarke');
    expect(kinked.kinks.reference_after.length).toBeGreaterThan(0);
    expect(kinked.kinks.reference_after.every((k: any) => ['on', 'off', 'kink'].includes(k.subject_sign))).toBe(true);
    expect(kinked.kinks.theta_forgotten.some((k: any) => k.g !== '0')).toBe(true); // an interior Clarke choice
  });
});

describe('the command line', () => {
  const verifyCli = (...a: string[]) => cli(['verify', ...a]);

  test('explains the eps2/delta/tau columns; a failure line names its deviation and forget set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'guard-diag-'));
    writeFileSync(join(dir, 'one.json'), caseFile('linear-half-step').text);
    const theta = JSON.stringify(shifted('linear-half-step', 0, 2).theta);
    const out = join(dir, 'out');
    const r = verifyCli(
      '--impl',
      `cat >/dev/null; echo '{"format":"unlearn-kkt/result@1","theta_after":${theta}}'`,
      '--cases',
      dir,
      '--out',
      out,
    );
    expect(r.status).toBe(1);
    const [note, why, head] = r.stdout.split('\n').slice(3, 6);
    expect(note).toMatch(/^eps2, delta, tau: what the subject's own θ~ attains w\.r\.t\. the retained points/);
    expect(why).toMatch(/negative when every retained point has λ_i > 0 and margin q_i < 1/);
    expect(head).toMatch(/^case\s+shape\s+status/);
    expect(r.stdout).toMatch(/one: mismatch: .*largest deviation at coordinate 2: subject .* \(forget set \{0\}\)/);
    const rep = JSON.parse(readFileSync(join(out, 'one.report.json'), 'utf8'));
    expect(rep).toMatchObject({ format: 'unlearn-kkt/verify-report@1', forget: [0] });
  });

  test('the summary of a shrunk case names it and its forget set', () => {
    const out = mkdtempSync(join(tmpdir(), 'guard-diag-'));
    const r = verifyCli('--impl', 'cat >/dev/null; echo nope', '--fuzz', '3', '--seed', '3', '--out', out);
    expect(r.status).toBe(1);
    const m = /^(fuzz-\d+-shrunk): not-json: .* \(forget set \{([\d, ]+)\}\)$/m.exec(r.stdout);
    expect(m).not.toBeNull();
    const forget = JSON.parse(readFileSync(join(out, `${m![1]}.json`), 'utf8')).forget as number[];
    expect(m![2]).toBe(forget.join(', '));
    expect(r.stdout).toContain(`${m![1]} (forget set {${m![2]}}) replays with --cases ${out}`);
  });
});

describe('progress on a non-terminal stderr', () => {
  test('nothing in a short run; then at most one line every PLAIN_EVERY_MS, and one at least that often', () => {
    let now = 0;
    const lines: number[] = [];
    const p = progressLine('verify', { tty: false, now: () => now, write: () => lines.push(now) });
    for (; now < PLAIN_EVERY_MS - 1; now += 50) p.show(() => 'x');
    expect(lines).toEqual([]);
    for (; now < 31_000; now += 50) p.show(() => 'x');
    expect(lines.length).toBeGreaterThanOrEqual(5);
    lines.forEach((t, k) => expect(t - (k ? lines[k - 1]! : 0)).toBeGreaterThanOrEqual(PLAIN_EVERY_MS));
    lines.forEach((t, k) => expect(t - (k ? lines[k - 1]! : 0)).toBeLessThanOrEqual(PLAIN_EVERY_MS + 50));
    p.done();
    expect(lines.length).toBeLessThanOrEqual(6);
  });

  test('a terminal still gets a bar redrawn in place and cleared at the end', () => {
    let now = 0;
    const out: string[] = [];
    const p = progressLine('verify', { tty: true, now: () => now, write: (s) => out.push(s) });
    for (; now < 1000; now += 10) p.show(() => 'x');
    p.done();
    expect(out.length).toBeGreaterThanOrEqual(9);
    expect(out.length).toBeLessThanOrEqual(12);
    expect(out.at(-1)).toBe('\r\x1b[K');
  });

  test('shrinking reports progress too (a long shrink is not silent)', async () => {
    const seen: number[] = [];
    const rep = await verify({
      subject: functionSubject('wrong-sign', mutant('wrong-sign')),
      fuzz: 5,
      seed: 3,
      onShrink: (_r, s) => seen.push(s),
    });
    expect(rep.failed.some((r) => r.fuzz?.shrunk)).toBe(true);
    expect(seen.length).toBeGreaterThan(0);
  });
});
