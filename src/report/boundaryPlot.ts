// The figure of a boundary search (`unlearn-kkt boundary`, validate's Boundaries section):
// left, the violation rate per bin against the axis; right, the phase diagram (axis against
// n, coloured by verdict). The frontier (least violation) and the stated threshold are
// marked on both. Decimals for display only: bins were counted and verdicts decided exactly.
import type { TopLevelSpec } from 'vega-lite';
import type { Rational } from '../exact/rational.ts';
import { shown } from '../formats/decimals.ts';
import { renderSvg } from './plots.ts';

export interface BoundaryFigure {
  title: string;
  axis: string;
  range: { lo: Rational; hi: Rational };
  bins: readonly { lo: Rational; hi: Rational; samples: number; violations: number }[];
  points: readonly { value: Rational; n: number; violates: boolean }[];
  frontier?: Rational;
  /** the set-aside clause `axis op value`, e.g. rho < 1/2 */
  threshold?: { op: string; value: Rational };
}

const VERDICT = ['holds', 'violates'];

export function boundaryRows(fig: BoundaryFigure): { n: number; value: number; verdict: string; count: number }[] {
  const rows = new Map<string, { n: number; value: number; verdict: string; count: number }>();
  for (const p of fig.points) {
    const row = { n: p.n, value: shown(p.value), verdict: VERDICT[p.violates ? 1 : 0]! };
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
    ...(fig.threshold ? [{ value: shown(fig.threshold.value), label: `stated: ${fig.axis} ${fig.threshold.op} ${fig.threshold.value}` }] : []),
    ...(fig.frontier ? [{ value: shown(fig.frontier), label: `frontier: ${fig.axis} = ${fig.frontier}` }] : []),
  ];
  const markColour = { field: 'label', type: 'nominal', title: null, scale: { domain: marks.map((m) => m.label), range: fig.threshold ? ['#555555', '#d62728'] : ['#d62728'] }, legend: { orient: 'bottom', direction: 'vertical' } };
  const rules = marks.length ? [{ data: { values: marks }, mark: { type: 'rule', strokeDash: [6, 3], strokeWidth: 1.5 }, encoding: { x: { field: 'value', type: 'quantitative' }, color: markColour } }] : [];
  const bins = fig.bins.map((b) => ({ lo: shown(b.lo), hi: shown(b.hi), rate: b.samples ? b.violations / b.samples : 0, samples: b.samples }));
  const counted = fig.bins.reduce((s, b) => s + b.samples, 0);
  return renderSvg({
    title: {
      text: fig.title,
      subtitle: [
        `${counted} samples in range inside the kept assumption; every verdict exact.`,
        'A sampled frontier is an upper bound on the true one; its shrunk case proves it.',
      ],
    },
    hconcat: [
      {
        width: 300,
        height: 220,
        layer: [
          {
            data: { values: bins },
            mark: { type: 'bar', color: '#1f77b4' },
            encoding: {
              x: { field: 'lo', type: 'quantitative', bin: { binned: true }, title: fig.axis, scale: { domain } },
              x2: { field: 'hi' },
              y: { field: 'rate', type: 'quantitative', title: 'violation rate (violations / samples)', scale: { domain: [0, 1] } },
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
              y: { field: 'n', type: 'quantitative', title: 'n (points)', axis: { tickMinStep: 1, format: 'd' } },
              yOffset: { field: 'verdict', type: 'nominal', scale: { domain: VERDICT, range: [4, -4] } },
              color: { field: 'verdict', type: 'nominal', title: 'verdict', scale: { domain: VERDICT, range: ['#2ca02c', '#d62728'] }, legend: { orient: 'bottom', direction: 'horizontal' } },
              size: { field: 'count', type: 'quantitative', scale: { range: [15, 150] }, legend: null },
            },
          },
          ...rules,
        ],
      },
    ],
    resolve: { scale: { color: 'independent' } },
  } as unknown as TopLevelSpec);
}
