// The figure of a boundary search (`unlearn-kkt boundary`, validate's Boundaries section):
// left, the violation rate per bin against the axis; right, the phase diagram (axis against
// n, coloured by verdict). The frontier (least violation) and the stated threshold are
// marked on both. Decimals for display only: bins were counted and verdicts decided exactly.
import type { TopLevelSpec } from 'vega-lite';
import type { Rational } from '../exact/rational.ts';
import { shown } from '../formats/decimals.ts';
import type { BoundaryReport } from '../study/boundary/boundary.ts';
import { renderSvg } from './plots.ts';

export interface BoundaryFigure {
  title: string;
  /** a first subtitle line (the claim's name) */
  about?: string;
  axis: string;
  range: { lo: Rational; hi: Rational };
  bins: readonly { lo: Rational; hi: Rational; samples: number; violations: number }[];
  points: readonly { value: Rational; n: number; violates: boolean }[];
  frontier?: Rational;
  /** n of the frontier case (drawn as a diamond: the shrink may lower it below every sample) */
  frontierN?: number;
  /** the set-aside clause `axis op value`, e.g. rho < 1/2 */
  threshold?: { op: string; value: Rational };
}

export function boundaryFigure(r: BoundaryReport, title: string, about?: string): BoundaryFigure {
  return {
    title,
    about,
    axis: r.axis.name,
    range: r.axis,
    bins: r.bins,
    points: r.points,
    frontier: r.frontier?.value,
    frontierN: r.frontier?.case.data.x.length,
    threshold: r.threshold,
  };
}

const VERDICT = ['holds inside the stated assumption', 'holds outside it (the assumption only)', 'violated'];
const VERDICT_COLOURS = ['#2ca02c', '#1f77b4', '#d62728'];

/** Inside the stated clause `axis op value` (no clause: every sample is). Exact. */
function inside(v: Rational, t: BoundaryFigure['threshold']): boolean {
  if (!t) return true;
  return t.op === '<' ? v.lt(t.value) : t.op === '<=' ? v.le(t.value) : v.eq(t.value);
}

/** Rows of the phase diagram; `row` is n shifted a little per verdict, so that verdicts at one (n, value) sit side by side. */
export function boundaryRows(
  fig: BoundaryFigure,
): { n: number; row: number; value: number; verdict: string; count: number }[] {
  const rows = new Map<string, { n: number; row: number; value: number; verdict: string; count: number }>();
  for (const p of fig.points) {
    const k = p.violates ? 2 : inside(p.value, fig.threshold) ? 0 : 1;
    const row = { n: p.n, row: p.n + (k - 1) * 0.15, value: shown(p.value), verdict: VERDICT[k]! };
    const key = `${row.n}|${row.value}|${row.verdict}`;
    const old = rows.get(key);
    if (old) old.count++;
    else rows.set(key, { ...row, count: 1 });
  }
  return [...rows.values()].sort((a, b) => a.n - b.n || a.value - b.value || a.verdict.localeCompare(b.verdict));
}

export function boundarySvg(fig: BoundaryFigure): Promise<string> {
  const domain = [shown(fig.range.lo), shown(fig.range.hi)];
  const marks = [
    ...(fig.threshold
      ? [{ value: shown(fig.threshold.value), label: `stated: ${fig.axis} ${fig.threshold.op} ${fig.threshold.value}` }]
      : []),
    ...(fig.frontier ? [{ value: shown(fig.frontier), label: `frontier: ${fig.axis} = ${fig.frontier}` }] : []),
  ];
  const markColour = {
    field: 'label',
    type: 'nominal',
    title: null,
    scale: { domain: marks.map((m) => m.label), range: fig.threshold ? ['#555555', '#d62728'] : ['#d62728'] },
    legend: { orient: 'bottom', direction: 'vertical' },
  };
  const rules = marks.length
    ? [
        {
          data: { values: marks },
          mark: { type: 'rule', strokeDash: [6, 3], strokeWidth: 1.5 },
          encoding: { x: { field: 'value', type: 'quantitative' }, color: markColour },
        },
      ]
    : [];
  // the phase panel's colour is the verdict: its lines take fixed colours (legend on the left)
  const fixedRules = marks.map((m, k) => ({
    data: { values: [m] },
    mark: {
      type: 'rule',
      strokeDash: [6, 3],
      strokeWidth: 1.5,
      color: fig.threshold && k === 0 ? '#555555' : '#d62728',
    },
    encoding: { x: { field: 'value', type: 'quantitative' } },
  }));
  const ns = [...fig.points.map((p) => p.n), ...(fig.frontierN === undefined ? [] : [fig.frontierN])];
  const nLo = ns.length ? Math.min(...ns) : 2;
  const nHi = ns.length ? Math.max(...ns) : 2;
  const nDomain = [nLo - 0.5, nHi + 0.5];
  const nTicks = Array.from({ length: nHi - nLo + 1 }, (_, k) => nLo + k);
  const diamond =
    fig.frontier && fig.frontierN !== undefined
      ? [
          {
            data: { values: [{ value: shown(fig.frontier), n: fig.frontierN }] },
            mark: { type: 'point', shape: 'diamond', size: 140, filled: false, strokeWidth: 2, color: '#000000' },
            encoding: { x: { field: 'value', type: 'quantitative' }, y: { field: 'n', type: 'quantitative' } },
          },
        ]
      : [];
  const bins = fig.bins.map((b) => ({
    lo: shown(b.lo),
    hi: shown(b.hi),
    rate: b.samples ? b.violations / b.samples : 0,
    samples: b.samples,
  }));
  const counted = fig.bins.reduce((s, b) => s + b.samples, 0);
  return renderSvg({
    title: {
      text: fig.title,
      subtitle: [
        // spelled out: a bare "NO" reads as the word "no"
        ...(fig.about ? [fig.about.replace(/\bNO\b/g, 'near-orthogonality (NO)')] : []),
        `${counted} samples in range inside the kept assumption; every verdict exact.`,
        'A sampled frontier is an upper bound on the true one; its shrunk case (black diamond) proves it. Grey: bins without samples.',
      ],
    },
    hconcat: [
      {
        width: 300,
        height: 220,
        layer: [
          {
            data: { values: bins.filter((b) => b.samples === 0).map((b) => ({ ...b, rate: 1 })) },
            mark: { type: 'bar', color: '#eeeeee' },
            encoding: {
              x: { field: 'lo', type: 'quantitative', bin: { binned: true } },
              x2: { field: 'hi' },
              y: { field: 'rate', type: 'quantitative' },
            },
          },
          {
            data: { values: bins },
            mark: { type: 'bar', color: '#1f77b4' },
            encoding: {
              x: { field: 'lo', type: 'quantitative', bin: { binned: true }, title: fig.axis, scale: { domain } },
              x2: { field: 'hi' },
              y: {
                field: 'rate',
                type: 'quantitative',
                title: 'violation rate (violations / samples)',
                scale: { domain: [0, 1] },
              },
            },
          },
          ...rules,
        ],
      },
      {
        width: 300,
        height: 220,
        layer: [
          {
            data: { values: boundaryRows(fig) },
            mark: { type: 'circle', opacity: 0.7 },
            encoding: {
              x: { field: 'value', type: 'quantitative', title: fig.axis, scale: { domain } },
              y: {
                field: 'row',
                type: 'quantitative',
                title: 'n (points)',
                scale: { domain: nDomain, nice: false },
                axis: { values: nTicks, format: 'd' },
              },
              color: {
                field: 'verdict',
                type: 'nominal',
                title: 'verdict',
                scale: { domain: VERDICT, range: VERDICT_COLOURS },
                legend: { orient: 'bottom', direction: 'vertical' },
              },
              size: { field: 'count', type: 'quantitative', scale: { range: [15, 150] }, legend: null },
            },
          },
          ...fixedRules,
          ...diamond,
        ],
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as unknown as TopLevelSpec);
}
