// The figure defects a first reader found (issue 14), each pinned: ratios.svg drew an
// empty panel with a lone "0.000000" tick for every claim without a "≤" check;
// generalization.svg gave θ~ and θ*_R near-identical colours on top of each other; and
// "NO" (near-orthogonality) read as the word "no" in legends and labels.
import { describe, expect, test } from 'vitest';
import { Rational } from '../src/exact/rational.ts';
import { ratioBins, ratiosSvg, tauDeltaSvg } from '../src/report/plots.ts';
import { boundarySvg } from '../src/report/boundaryPlot.ts';
import { generalizationSpec, WHICH, type GeneralizationPoint } from '../src/study/figures/generalizationFigure.ts';

/** The text nodes of an SVG. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!);

describe('report figures', () => {
  test('ratios.svg: a claim without a "≤" check gets no empty panel, and is named instead', async () => {
    const bins = [...ratioBins('A', [Rational.of(1, 2), Rational.ONE]), ...ratioBins('B', [])];
    const svg = await ratiosSvg(bins, ['A', 'B']);
    expect(texts(svg)).not.toContain('0.000000');
    expect(texts(svg)).toContain('A');
    expect(texts(svg)).not.toContain('B'); // no panel header for B
    expect(svg).toContain('Not drawn: B');
    const xTicks = ['0.25', '0.5', '0.75', '1.25', '1.5', '1.75'];
    expect(texts(svg).filter((t) => /^\d+\.\d+$/.test(t) && !xTicks.includes(t))).toEqual([]); // count ticks are integers
  });

  test('generalization.svg: θ*, θ~, θ*_R distinct in colour, shape and dash, side by side', () => {
    const spec = generalizationSpec([] as GeneralizationPoint[]) as {
      spec: { layer: { mark: { type: string }; encoding: Record<string, any> }[] };
    };
    const [bars, points] = spec.spec.layer;
    const hex = (c: string) => [1, 3, 5].map((k) => parseInt(c.slice(k, k + 2), 16));
    const colours: string[] = points!.encoding.color.scale.range;
    expect(points!.encoding.color.scale.domain).toEqual(WHICH);
    expect(new Set(colours).size).toBe(WHICH.length);
    for (let a = 0; a < colours.length; a++) {
      for (let b = a + 1; b < colours.length; b++) {
        const [p, q] = [hex(colours[a]!), hex(colours[b]!)];
        expect(Math.hypot(p[0]! - q[0]!, p[1]! - q[1]!, p[2]! - q[2]!)).toBeGreaterThan(120); // far apart in RGB
      }
    }
    expect(new Set(points!.encoding.shape.scale.range).size).toBe(WHICH.length);
    expect(new Set(bars!.encoding.strokeDash.scale.range.map(String)).size).toBe(WHICH.length);
    for (const layer of [bars!, points!]) expect(layer.encoding.xOffset.field).toBe('which'); // not drawn on top of each other
  });

  test('near-orthogonality is spelled out, never a bare "NO" that reads as "no"', async () => {
    const boundary = await boundarySvg({
      title: 'L1: violations along rho',
      about: 'L1: under NO every point is a support vector',
      axis: 'rho',
      range: { lo: Rational.ZERO, hi: Rational.of(2) },
      bins: [{ lo: Rational.ZERO, hi: Rational.of(2), samples: 2, violations: 1 }],
      points: [
        { value: Rational.of(1, 4), n: 2, violates: false },
        { value: Rational.ONE, n: 2, violates: true },
      ],
      frontier: Rational.ONE,
      frontierN: 2,
      threshold: { op: '<', value: Rational.of(1, 2) },
    });
    const tauDelta = await tauDeltaSvg([
      { phi: Rational.ONE, tauScaled: Rational.of(1, 2), deltaScaled: Rational.of(1, 3) },
    ]);
    for (const svg of [boundary, tauDelta]) {
      expect(svg).toContain('near-orthogonality');
      for (const t of texts(svg)) expect(t).not.toMatch(/(^|[^(])\bNO\b/); // "(NO)" after the words is fine
    }
  });
});
