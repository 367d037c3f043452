// The generalization section of the report (THEORY.md section 6): test error of the
// trained model θ*, the unlearned model θ~ (one GA step on x_0, κ = 1) and the retrained
// model θ*_R, in the Gaussian mixture y uniform ±1, x = y μ + ξ, ξ ~ N(0, I), across n, d
// and ||μ||. Linear: exact errors Φ(-<w,μ>/||w||) as validated enclosures, with G1's bound
// on err(w~). relu2 (m = 4, v = ±1, exact KKT points from T1's trainToKKT): Monte Carlo
// with exact evaluation and Hoeffding's interval, the same test sample for all three
// models (no hard claim). Everything is seeded: the same seed gives the same section.
import { Rational } from '../../exact/rational.ts';
import { ScaledVec } from '../../exact/vec.ts';
import type { Enclosure } from '../../exact/enclosure.ts';
import type { Dataset } from '../../data/dataset.ts';
import { gaussianMixture, gaussianMixtureMean } from '../../data/generators.ts';
import { NotSeparableError } from '../../errors.ts';
import type { Model } from '../../models/model.ts';
import type { Params } from '../../models/params.ts';
import { certify } from '../../kkt/certificate.ts';
import { trainToKKT, type TrainedKKT } from '../../kkt/polish.ts';
import { gaStep } from '../../unlearn/ga.ts';
import { contextOf, runCase } from '../../unlearn/pipeline.ts';
import { claimG1, testErrorEnclosure } from '../../claims/generalization.ts';
import { type ErrorInterval, monteCarloError, relu2Sign } from '../../claims/monteCarlo.ts';

export type Which = 'θ*' | 'θ~' | 'θ*_R';
export const WHICH: readonly Which[] = ['θ*', 'θ~', 'θ*_R'];

/** One plotted value: a test error with its interval (decimals for display only). */
export interface GeneralizationPoint {
  model: 'linear' | 'relu2';
  n: number;
  d: number;
  mu: number;
  which: Which;
  err: number;
  lo: number;
  hi: number;
  method: 'exact enclosure' | 'Monte Carlo';
}

export interface GeneralizationOptions {
  /** training-set sizes (default [8, 16]) */
  ns?: readonly number[];
  /** dimensions (default [32, 128]) */
  ds?: readonly number[];
  /** ||μ|| values (default [1, 2, 4]) */
  mus?: readonly number[];
  /** Monte Carlo test points for relu2 (default 1000) */
  testPoints?: number;
  /** Hoeffding's α (default 1/20) */
  alpha?: Rational;
}

export interface GeneralizationSection {
  markdown: string;
  plotData: GeneralizationPoint[];
}

const V = [1, -1, 1, -1].map((t) => Rational.of(t));
const SIGMA = Rational.ONE;
const KAPPA_ONE = { kind: 'kappa', kappa: Rational.ONE } as const;

const fmt = (q: Rational, digits = 4): string => q.toNumber().toFixed(digits);
const mid = (e: Enclosure): Rational => e.lo.add(e.hi).div(Rational.of(2));

interface Row {
  n: number;
  d: number;
  mu: number;
  model: 'linear' | 'relu2';
  /** per θ*, θ~, θ*_R: an enclosure (linear) or a Monte Carlo interval (relu2); null: not available */
  errs: (Enclosure | ErrorInterval | null)[];
  note: string;
}

function linearRow(data: Dataset, mu: ScaledVec): Pick<Row, 'errs' | 'note'> {
  let run;
  try {
    run = runCase({ model: { kind: 'linear' }, data, theta: null, forget: [0], step: KAPPA_ONE, gradient: 'autodiff' });
  } catch (e) {
    if (e instanceof NotSeparableError) return { errs: [null, null, null], note: 'not separable' };
    throw e;
  }
  const err = (w: Params) => (w.normSquared.isZero() ? null : testErrorEnclosure(w, mu, SIGMA));
  const g1 = claimG1(run, mu, SIGMA)[0];
  const sv = run.before.lambda[0]!.isZero() ? '; x_0 is no support vector: θ~ = θ*' : '';
  const note = (g1 ? `G1: err(θ~) <= ${fmt(g1.bound)} ${g1.holds ? 'holds' : 'FAILS'}` : 'θ~ = 0') + sv;
  return { errs: [err(run.theta), err(run.ga.params), err(run.retrained!.params)], note };
}

function kktOf(data: Dataset, points?: number[]): TrainedKKT | undefined {
  for (let seed = 0; seed < 4; seed++) {
    const k = trainToKKT(data, V, { seed, points });
    if (k) return k;
  }
  return undefined;
}

function relu2Row(data: Dataset, test: Dataset, alpha: Rational): Pick<Row, 'errs' | 'note'> {
  const model: Model = { kind: 'relu2', v: V };
  const star = kktOf(data);
  if (!star) return { errs: [null, null, null], note: 'no exact KKT point polished' };
  const ctx = contextOf(model, data);
  const all = data.x.map((_, i) => i);
  // T1's λ is an exact certificate (ε = 0); certify keeps it and only fixes the Clarke choices
  const before = certify(ctx, star.params, all, { lambda: star.lambda });
  const tilde = gaStep(ctx, star.params, [0], KAPPA_ONE, before, 'autodiff').params;
  const retrained = kktOf(data, all.slice(1));
  const mc = (p: Params) => monteCarloError(relu2Sign(p.vectors(), V), test, alpha);
  return {
    errs: [mc(star.params), mc(tilde), retrained ? mc(retrained.params) : null],
    note: `Monte Carlo, N = ${test.x.length}${before.lambda[0]!.isZero() ? '; λ_0 = 0: θ~ = θ*' : ''}${retrained ? '' : '; no exact KKT point on R'}`,
  };
}

function cell(e: Enclosure | ErrorInterval | null): string {
  if (!e) return '–';
  if ('radius' in e) return `${fmt(e.estimate, 3)} ± ${fmt(e.radius, 3)}`;
  return fmt(mid(e));
}

function points(row: Row): GeneralizationPoint[] {
  return row.errs.flatMap((e, k) => {
    if (!e) return [];
    const est = 'radius' in e ? e.estimate : mid(e);
    const round = (q: Rational) => Number(q.toNumber().toPrecision(6));
    return [
      {
        model: row.model,
        n: row.n,
        d: row.d,
        mu: row.mu,
        which: WHICH[k]!,
        err: round(est),
        lo: round(e.lo),
        hi: round(e.hi),
        method: 'radius' in e ? 'Monte Carlo' : 'exact enclosure',
      } satisfies GeneralizationPoint,
    ];
  });
}

/**
 * The section: a Markdown table (with its explanation) and the values to plot. Budget:
 * about 12 configurations x (two exact KKT polishes + 3000 exact evaluations).
 */
export function generalizationSection(seed: number, opts: GeneralizationOptions = {}): GeneralizationSection {
  const ns = opts.ns ?? [8, 16];
  const ds = opts.ds ?? [32, 128];
  const mus = opts.mus ?? [1, 2, 4];
  const N = opts.testPoints ?? 1000;
  const alpha = opts.alpha ?? Rational.of(1, 20);
  const rows: Row[] = [];
  let k = 0;
  for (const n of ns) {
    for (const d of ds) {
      for (const m of mus) {
        k++;
        const data = gaussianMixture({ n, d, seed: seed * 1000 + k, mu: m, sigma: 1 });
        const test = gaussianMixture({ n: N, d, seed: seed * 1000 + 500 + k, mu: m, sigma: 1 });
        const mu = ScaledVec.fromRationals(gaussianMixtureMean(m, d));
        rows.push({ n, d, mu: m, model: 'linear', ...linearRow(data, mu) });
        rows.push({ n, d, mu: m, model: 'relu2', ...relu2Row(data, test, alpha) });
      }
    }
  }
  const table = [
    '| n | d | ‖μ‖ | model | err(θ*) | err(θ~) | err(θ*_R) | note |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.n} | ${r.d} | ${r.mu} | ${r.model} | ${r.errs.map(cell).join(' | ')} | ${r.note} |`),
  ].join('\n');
  const markdown = [
    `Gaussian mixture: y uniform ±1, x = y μ + ξ with ξ ~ N(0, I_d) sampled as binary64 (exact rationals), μ = (‖μ‖, 0, ..., 0); seed ${seed}. θ* is trained on all n points, θ~ is one GA step on x_0 with c = λ_0 (κ = 1), θ*_R is retrained on the other n - 1 points.`,
    '',
    `- linear: the max-margin solutions; err(w) = Φ(-<w,μ>/‖w‖) shown as the midpoint of a validated enclosure (width far below the digits shown). The note gives G1's bound on err(θ~) and its exact verdict.`,
    `- relu2: m = 4 units, v = (1, -1, 1, -1), exact KKT points (T1, trainToKKT). Test error by Monte Carlo on the same ${N} fresh test points for all three models, each sign of N(x) decided exactly; ± is Hoeffding's radius sqrt(ln(2/α)/(2N)) at α = ${alpha} (a validated upper enclosure), so each interval covers its model's error with probability >= 1 - α. This is an estimate, not a claim.`,
    '',
    table,
  ].join('\n');
  return { markdown, plotData: rows.flatMap(points) };
}

/**
 * A vega-lite spec (a plain object, not rendered) for plotData: error against ‖μ‖ with
 * interval bars, one panel per (model, n, d). The three models sit side by side at each
 * ‖μ‖ (an offset), each with its own colour, point shape and bar dash, since their values
 * often coincide.
 */
export function generalizationSpec(plotData: readonly GeneralizationPoint[]): Record<string, unknown> {
  const values = plotData.map((p) => ({ ...p, panel: `${p.model}, n = ${p.n}, d = ${p.d}` }));
  const label = "datum.label == 'θ*' ? 'θ* (trained)' : datum.label == 'θ~' ? 'θ~ (one GA step)' : 'θ*_R (retrained)'";
  const color = {
    field: 'which',
    type: 'nominal',
    title: null,
    scale: { domain: WHICH, range: ['#1f77b4', '#d62728', '#2ca02c'] },
    legend: { labelExpr: label },
  };
  const shape = {
    field: 'which',
    type: 'nominal',
    title: null,
    scale: { domain: WHICH, range: ['circle', 'square', 'triangle-up'] },
    legend: { labelExpr: label },
  };
  const x = { field: 'mu', type: 'ordinal', title: '‖μ‖', axis: { labelAngle: 0 } };
  const xOffset = { field: 'which', type: 'nominal', scale: { domain: WHICH, paddingOuter: 0.6 } };
  return {
    title: {
      text: 'Test error of θ*, θ~ and θ*_R',
      subtitle: [
        'θ* trained, θ~ one GA step (κ = 1), θ*_R retrained',
        'linear: exact enclosures; relu2: Monte Carlo, Hoeffding intervals',
      ],
    },
    data: { values },
    facet: { field: 'panel', type: 'nominal', title: null, sort: [...new Set(values.map((v) => v.panel))] },
    columns: 4,
    spec: {
      width: 160,
      height: 140,
      layer: [
        {
          mark: { type: 'errorbar', ticks: true },
          encoding: {
            x,
            xOffset,
            y: { field: 'lo', type: 'quantitative', title: 'test error' },
            y2: { field: 'hi' },
            color,
            strokeDash: {
              field: 'which',
              type: 'nominal',
              scale: {
                domain: WHICH,
                range: [
                  [1, 0],
                  [4, 2],
                  [1, 1.5],
                ],
              },
              legend: null,
            },
          },
        },
        {
          mark: { type: 'point', filled: true, size: 45, opacity: 0.9 },
          encoding: { x, xOffset, y: { field: 'err', type: 'quantitative' }, color, shape },
        },
      ],
    },
  };
}
