// The report's figures: vega-lite specs compiled to vega and rendered headless to SVG
// strings. A plotting grammar (vega-lite) instead of hand-written SVG: axes, ticks,
// legends and facets come from a maintained library, and each figure is a small
// declarative spec a reader can check against THEORY.md.
//
// Deterministic by construction, so the same seed gives byte-identical SVGs: the data
// arrive in a fixed order, every displayed number is rounded to 6 significant digits
// here (exact values stay in plots.json), colour domains are listed explicitly, no
// timestamps, text widths use vega's estimate (never a canvas that may or may not be
// installed), and vega's clip/gradient id counters are reset before each render.
// Numbers in the figures are for reading only: every verdict was decided exactly.
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { Rational } from '../exact/rational.ts';
import { round6, shown, shownSqrt } from '../formats/decimals.ts';
import type { SweepPoint } from '../study/figures/sweep.ts';
import type { TauDeltaPoint } from '../study/figures/tauDelta.ts';

const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: '#555', anchor: 'start' as const, offset: 10 },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12, labelLimit: 320 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  view: { stroke: '#ccc' },
};

// Text widths from Helvetica's AFM advance widths (1/1000 em; other characters 0.6 em,
// bold 8% wider, all 15% wider for fallback fonts such as DejaVu Sans) instead of a canvas: the same SVG whether or not node-canvas is
// installed. vega's own no-canvas estimate (0.8 em per character) nearly doubles the
// width of long titles and pads every figure with empty space.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
  556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
  260, 334, 584,
]; // code points 32..126

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

function textWidth(item: TextItem, text: unknown): number {
  const size = item.fontSize != null ? +item.fontSize || 0 : 11;
  const bold = item.fontWeight === 'bold' || Number(item.fontWeight) >= 600;
  let em = 0;
  for (const ch of String(text ?? '').trim()) {
    const c = ch.codePointAt(0)!;
    em += c >= 32 && c <= 126 ? HELVETICA[c - 32]! : 600;
  }
  const w = Math.ceil((em * size * (bold ? 1.08 : 1) * 1.15) / 1000);
  return item.limit && item.limit > 0 ? Math.min(w, item.limit) : w;
}

(vega as unknown as { textMetrics: { width: typeof textWidth } }).textMetrics.width = textWidth; // untyped in vega's .d.ts

const quiet = {
  level: () => quiet,
  error: () => quiet,
  warn: () => quiet,
  info: () => quiet,
  debug: () => quiet,
} as unknown as vega.LoggerInterface;

/** Compile a vega-lite spec and render it to an SVG string, headless (no canvas needed). */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const compiled = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec, {
    logger: quiet,
  }).spec;
  vega.resetSVGDefIds();
  const view = new vega.View(vega.parse(compiled), { renderer: 'none', logLevel: vega.Error });
  try {
    return (await view.toSVG()) + '\n';
  } finally {
    view.finalize();
  }
}

// ---- (a) the step-size sweep (THEORY.md section 4 / T2: the paper's figure) ----

const CERTS = ['optimal certificate (min over λ ≥ 0)', 'inherited certificate (λ_R from θ)'];

export function sweepRows(points: readonly SweepPoint[]): { kappa: number; epsilon: number; certificate: string }[] {
  return points.flatMap((p) => [
    { kappa: shown(p.kappa), epsilon: shownSqrt(p.epsilon2_optimal), certificate: CERTS[0]! },
    { kappa: shown(p.kappa), epsilon: shownSqrt(p.epsilon2_inherited), certificate: CERTS[1]! },
  ]);
}

/** `about`: lines describing the data (the subtitle). */
export function sweepSvg(
  model: 'linear' | 'relu2',
  points: readonly SweepPoint[],
  about: readonly string[],
): Promise<string> {
  const atOne =
    model === 'linear'
      ? 'ε = 0 at κ = 1 (proper scaling c_r = λ_r, L2(a)).'
      : 'At κ = 1, ε = 0 only if no activation flips and no kink on x_r (T2(c)).';
  return renderSvg({
    title: {
      text: `Step-size sweep (${model}): ε of θ~ w.r.t. R against κ`,
      subtitle: [...about, `ε² is exact over Q; the plotted ε = √ε² is a decimal for display. ${atOne}`],
    },
    width: 460,
    height: 300,
    data: { values: sweepRows(points) },
    mark: { type: 'line', point: true, strokeWidth: 2 },
    encoding: {
      x: {
        field: 'kappa',
        type: 'quantitative',
        title: 'κ = c_r / λ_r (step fraction)',
        scale: { domain: [0, 2] },
        axis: { values: [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2], format: '.2~f' },
      },
      y: { field: 'epsilon', type: 'quantitative', title: 'ε (stationarity residual, D2 (S))', scale: { zero: true } },
      color: {
        field: 'certificate',
        type: 'nominal',
        title: 'certificate',
        scale: { domain: CERTS, range: ['#1f77b4', '#d62728'] },
        legend: { orient: 'top', direction: 'vertical' },
      },
      strokeDash: {
        field: 'certificate',
        type: 'nominal',
        scale: {
          domain: CERTS,
          range: [
            [1, 0],
            [6, 3],
          ],
        },
        legend: null,
      },
      order: { field: 'kappa', type: 'quantitative' },
    },
  });
}

// ---- (b) L2(d): τ and δ against φ, scaled so the bound is the line y = φ ----

const TD_PANELS = ['τ · (1-ρ) · R2min', 'δ · (1-ρ)² · R2min²  (inherited λ_R)'];
const TD_SERIES = ['measured (one L2 sample, near-orthogonal data, κ = 1)', 'L2(d) bound: y = φ'];

export function tauDeltaRows(points: readonly TauDeltaPoint[]): { phi: number; value: number; quantity: string }[] {
  return points.flatMap((p) => [
    { phi: shown(p.phi), value: shown(p.tauScaled), quantity: TD_PANELS[0]! },
    { phi: shown(p.phi), value: shown(p.deltaScaled), quantity: TD_PANELS[1]! },
  ]);
}

export function tauDeltaSvg(points: readonly TauDeltaPoint[]): Promise<string> {
  const rows = tauDeltaRows(points);
  const maxPhi = Math.max(1, ...rows.map((r) => r.phi));
  const line = TD_PANELS.flatMap((quantity) => [0, maxPhi].map((phi) => ({ phi, value: phi, quantity })));
  return renderSvg({
    title: {
      text: 'L2(d): feasibility slack τ and complementary slackness δ after one GA step, against φ',
      subtitle: [
        `${points.length} L2 samples under near-orthogonality (NO: ρ < 1/2) at κ = 1. Scaled by the bound's denominator, L2(d) reads y ≤ φ:`,
        'every point must lie on or below the line. φ = max_{i≠k} |<x_i,x_k>|, ρ = (n-1)φ/R2min.',
      ],
    },
    data: {
      values: [
        ...rows.map((r) => ({ ...r, series: TD_SERIES[0] })),
        ...line.map((r) => ({ ...r, series: TD_SERIES[1] })),
      ],
    },
    facet: { column: { field: 'quantity', type: 'nominal', title: null, sort: TD_PANELS } },
    spec: {
      width: 300,
      height: 260,
      layer: [
        {
          transform: [{ filter: { field: 'series', equal: TD_SERIES[1]! } }],
          mark: { type: 'line', strokeDash: [6, 3], strokeWidth: 1.5 },
          encoding: {
            x: { field: 'phi', type: 'quantitative', title: 'φ' },
            y: { field: 'value', type: 'quantitative', title: 'scaled measurement' },
            color: {
              field: 'series',
              type: 'nominal',
              title: null,
              scale: { domain: TD_SERIES, range: ['#1f77b4', '#d62728'] },
              legend: { orient: 'bottom', direction: 'vertical' },
            },
            order: { field: 'phi', type: 'quantitative' },
          },
        },
        {
          transform: [{ filter: { field: 'series', equal: TD_SERIES[0]! } }],
          mark: { type: 'point', filled: true, opacity: 0.55, size: 40 },
          encoding: {
            x: { field: 'phi', type: 'quantitative', title: 'φ' },
            y: { field: 'value', type: 'quantitative', title: 'scaled measurement' },
            color: {
              field: 'series',
              type: 'nominal',
              title: null,
              scale: { domain: TD_SERIES, range: ['#1f77b4', '#d62728'] },
            },
          },
        },
      ],
    },
  } as TopLevelSpec);
}

// ---- (c) histogram of measured/bound per claim ----

const RATIO_BIN = Rational.of(1, 20);

export interface RatioBin {
  claim: string;
  /** the bin (lo, hi]; the first bin also holds 0 */
  lo: number;
  hi: number;
  count: number;
}

/** Exact binning of measured/bound ratios into (k/20, (k+1)/20], capped at `cap`. */
export function ratioBins(claim: string, ratios: readonly Rational[], cap = 2): RatioBin[] {
  const top = Math.max(19, ...ratios.map(binOf)); // at least the bins up to 1
  const last = Math.min(top, cap * 20 - 1);
  const counts = new Array<number>(last + 1).fill(0);
  for (const q of ratios) counts[Math.min(binOf(q), last)]!++;
  return counts.map((count, k) => ({ claim, lo: round6(k / 20), hi: round6((k + 1) / 20), count }));
}

/** ceil(20 q) - 1, at least 0: the bin of q, decided exactly. */
function binOf(q: Rational): number {
  const t = q.div(RATIO_BIN);
  if (t.sign() <= 0) return 0;
  const c = (t.num + t.den - 1n) / t.den; // ceil for positive t
  return Number(c) - 1 > 1e6 ? 1e6 : Number(c) - 1;
}

export function ratiosSvg(bins: readonly RatioBin[], claims: readonly string[]): Promise<string> {
  // A claim without a "≤" check (T1, T3, T3F, SEQ: equalities, T3's cos² is a "≥") has no
  // ratio: its panel would be empty with a lone zero tick, so it is named in the subtitle.
  const drawn = claims.filter((c) => bins.some((b) => b.claim === c && b.count > 0));
  const without = claims.filter((c) => !drawn.includes(c));
  return renderSvg({
    title: {
      text: 'measured / bound, per claim (every "≤" check with a positive bound)',
      subtitle: [
        'Bins of width 1/20, counted exactly. 1 = the bound is attained; a bar right of the red line would refute the claim.',
        'Bars near 0: the bound holds with much room (e.g. τ = 0 on exactly orthogonal data).',
        ...(without.length
          ? [`Not drawn: ${without.join(', ')}, which have no "≤" check (their checks are exact equalities or "≥").`]
          : []),
      ],
    },
    data: { values: bins.filter((b) => drawn.includes(b.claim)) },
    facet: {
      row: { field: 'claim', type: 'nominal', title: null, sort: drawn, header: { labelAngle: 0, labelAlign: 'left' } },
    },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 420,
      height: 70,
      layer: [
        {
          mark: { type: 'bar', color: '#1f77b4' },
          encoding: {
            x: {
              field: 'lo',
              type: 'quantitative',
              bin: { binned: true, step: 0.05 },
              title: 'measured / bound',
              scale: { domain: [0, Math.max(1.05, ...bins.map((b) => b.hi))] },
              axis: { values: [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2], format: '.2~f' },
            },
            x2: { field: 'hi' },
            y: { field: 'count', type: 'quantitative', title: 'checks', axis: { format: 'd', tickMinStep: 1 } },
          },
        },
        { mark: { type: 'rule', color: '#d62728', strokeDash: [4, 2] }, encoding: { x: { datum: 1 } } },
      ],
    },
  } as TopLevelSpec);
}
