// The shipped examples (fixtures/examples/) and the files certify must keep reading: each
// runs through certify's own path in-process (read, parseCase, runCase, certificateJson)
// and must give a certificate@1 whose numbers are consistent with each other and with the
// D4 decision. No expected value is written here: the checks are relations that every
// certificate satisfies (optimal ε² <= inherited ε², τ = max(0, 1 - min margin), ...).
// The README's `certify` lines must name these files, so the README's commands run as shown.
import { describe, expect, test } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rational } from '../src/exact/rational.ts';
import { readJsonFile } from '../src/formats/jsonFile.ts';
import { parseCase } from '../src/formats/case.ts';
import { runCase, type Thresholds } from '../src/unlearn/pipeline.ts';
import { certificateJson } from '../src/formats/certificateJson.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EXAMPLES = join(ROOT, 'fixtures', 'examples');
const COUNTEREXAMPLES = join(ROOT, 'reports', 'counterexamples'); // explore's output, committed by validate

const jsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
const q = (s: unknown) => Rational.parse(s, 'certificate');

type Cert = {
  format: string;
  before: { margins: string[]; tau: string; epsilon2: string; delta: string; lambda: string[] };
  after: {
    theta: unknown[];
    margins: string[];
    tau: string;
    epsilon2: string;
    delta: string;
    lambda: string[];
    inherited: { epsilon2: string; delta: string };
  };
  retrained: { distance2: string; cos2: string } | null;
  decision?: { successful: boolean; epsilon2_min_under_delta: string };
};

/** certify FILE [--epsilon --delta --tau], in-process, as src/cli.ts does it. */
function certify(file: string, t?: Thresholds): Cert {
  return certificateJson(runCase(parseCase(readJsonFile(file)), t)) as Cert;
}

const tauOf = (margins: string[]) => margins.reduce((t, m) => t.max(Rational.ONE.sub(q(m))), Rational.ZERO);

function checkCertificate(file: string): void {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const c = certify(file);
  expect(c.format).toBe('unlearn-kkt/certificate@1');
  const n = json.x.length;
  expect(c.before.margins).toHaveLength(n);
  expect(c.before.lambda).toHaveLength(n);
  expect(c.after.margins).toHaveLength(n - json.forget.length);
  expect(c.after.lambda).toHaveLength(n - json.forget.length);
  expect(c.after.theta).toHaveLength(json.model.kind === 'linear' ? json.x[0].length : json.model.v.length);
  // D2: τ depends on θ alone; the optimal certificate is at least as good as the inherited one
  expect(q(c.before.tau).eq(tauOf(c.before.margins))).toBe(true);
  expect(q(c.after.tau).eq(tauOf(c.after.margins))).toBe(true);
  expect(q(c.after.epsilon2).le(q(c.after.inherited.epsilon2))).toBe(true);
  for (const l of [...c.before.lambda, ...c.after.lambda]) expect(q(l).sign()).toBeGreaterThanOrEqual(0);
  if (c.retrained) expect(q(c.retrained.distance2).sign()).toBeGreaterThanOrEqual(0);

  // D4 at the certificate's own values (ε = ε² + 1 >= √ε²) succeeds; just below τ or ε fails
  const eps2 = q(c.after.epsilon2);
  const own: Thresholds = {
    epsilon: eps2.add(Rational.ONE),
    delta: q(c.after.delta).max(Rational.ZERO),
    tau: q(c.after.tau),
  };
  const yes = certify(file, own);
  expect(yes.decision?.successful).toBe(true);
  expect(q(yes.decision!.epsilon2_min_under_delta).le(eps2.add(Rational.ONE).mul(eps2.add(Rational.ONE)))).toBe(true);
  if (own.tau.sign() > 0)
    expect(certify(file, { ...own, tau: own.tau.div(Rational.of(2)) }).decision?.successful).toBe(false);
  if (eps2.sign() > 0) expect(certify(file, { ...own, epsilon: Rational.ZERO }).decision?.successful).toBe(false);
}

describe('fixtures/examples: certify gives a certificate', () => {
  const files = jsonFiles(EXAMPLES);
  test('there is a linear example and a relu2 example with a kink on the forgotten point', () => {
    const cases = files.map((f) => parseCase(readJsonFile(f)));
    expect(cases.some((c) => c.model.kind === 'linear')).toBe(true);
    const kinkOnForgotten = cases.some(
      (c) =>
        c.model.kind === 'relu2' &&
        c.theta !== null &&
        c.theta.some((w) => c.forget.some((r) => w.dot(c.data.x[r]!).isZero())),
    );
    expect(kinkOnForgotten).toBe(true);
  });
  test.each(files.map((f) => [f.slice(ROOT.length)]))('%s', (rel) => checkCertificate(join(ROOT, rel)));
});

describe('the README certify lines run as written', () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const lines = [...readme.matchAll(/npx unlearn-kkt certify ([^\s`]+)([^\n#`]*)/g)];
  test('the README shows certify on a shipped example', () => {
    expect(lines.some((m) => m[1]!.startsWith('fixtures/examples/'))).toBe(true);
  });
  test.each(lines.map((m) => [m[1]!, m[2]!.trim()]))('certify %s %s', (file, flags) => {
    expect(existsSync(join(ROOT, file))).toBe(true);
    const f = Object.fromEntries(
      [...flags.matchAll(/--(\w+) (\S+)/g)].map((m) => [m[1]!, Rational.parse(m[2]!, m[1]!)]),
    );
    const t = flags ? ({ epsilon: f.epsilon!, delta: f.delta!, tau: f.tau! } satisfies Thresholds) : undefined;
    const c = certify(join(ROOT, file), t);
    expect(c.format).toBe('unlearn-kkt/certificate@1');
    if (t) expect(typeof c.decision?.successful).toBe('boolean');
  });
});

// explore's counterexample files are case@1 objects plus the keys listed in docs/FORMAT.md
// ("Keys other tools add to a case file"); certify replays them.
describe("certify reads explore's counterexample files", () => {
  test.each(jsonFiles(COUNTEREXAMPLES).map((f) => [f.slice(ROOT.length)]))('%s', (rel) =>
    checkCertificate(join(ROOT, rel)),
  );
});
