import { describe, expect, it } from 'vitest';
import { INSIDE_BINS, type Histogram, type InsideLayer, type InsideNet } from '../inside';
import { insideCurvesOption, insideMomentOption, insideRidgelineOption, layersWith, quantitiesOf } from './inside';
import { englishText } from './text';

/** The inside-the-net figures on awkward recordings: one moment, a diverged net, a layer of one value. */

const histogram = (min: number, max: number, counts = new Array<number>(INSIDE_BINS).fill(1)): Histogram => ({
  min,
  max,
  mean: (min + max) / 2,
  std: (max - min) / 4,
  counts,
});
const layer = (hidden: boolean, extra: Partial<InsideLayer> = {}): InsideLayer => ({
  ...(hidden ? { activation: histogram(0, 2) } : {}),
  weight: histogram(-1, 1),
  gradient: histogram(-0.1, 0.1),
  gradientNorm: 0.5,
  updateRatio: 0.01,
  ...extra,
});
const net = (steps: number[], layers: (step: number) => InsideLayer[]): InsideNet => ({
  label: 'net',
  key: {},
  batchNorm: false,
  hidden: [10],
  moments: steps.map((step) => ({ step, layers: layers(step) })),
});

type Line = { data: [number, number | null][]; markLine?: unknown; symbol?: string };
const seriesOf = (option: { series?: unknown }) => option.series as Line[];

describe('the inside figures', () => {
  it('a net of one moment: one ridge, a curve point that shows, the moment marked', () => {
    const one = net([0], () => [layer(true), layer(false)]);
    expect(quantitiesOf(one)).toEqual(['activation', 'weight', 'gradient']);
    expect(layersWith(one, 'activation')).toEqual([1]);
    expect(seriesOf(insideRidgelineOption(one, 1, 'activation', 0, englishText))).toHaveLength(1);
    const curves = seriesOf(insideCurvesOption(one, 'gradientNorm', 0, englishText));
    expect(curves).toHaveLength(2);
    expect(curves[0]!.symbol).toBe('circle');
    expect(curves[0]!.markLine).toBeDefined();
    const panels = seriesOf(insideMomentOption(one, 0, 'weight', englishText, 300));
    expect(panels).toHaveLength(2);
    const shares = panels[0]!.data.map(([, share]) => share!);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 10);
  });

  it('a diverged net: a histogram of no finite value draws nothing, a norm that is not finite leaves a gap', () => {
    const nothing = { ...histogram(0, 0, new Array<number>(INSIDE_BINS).fill(0)), nonFinite: 50 };
    const diverged = net([0, 5], (step) =>
      step === 0
        ? [layer(true), layer(false)]
        : [layer(true, { activation: nothing, gradientNorm: null, updateRatio: null }), layer(false)],
    );
    const panel = seriesOf(insideMomentOption(diverged, 1, 'activation', englishText, 300))[0]!;
    expect(panel.data).toEqual([]);
    const ridges = seriesOf(insideRidgelineOption(diverged, 1, 'activation', 1, englishText));
    expect(ridges.map((r) => r.data.length)).toEqual([INSIDE_BINS, 0]);
    const curve = seriesOf(insideCurvesOption(diverged, 'gradientNorm', 1, englishText))[0]!;
    expect(curve.data).toEqual([
      [0, 0.5],
      [5, null],
    ]);
    // The activations' spread of a dead layer (std 0) cannot go on a log axis: a gap, not a 0.
    const std = seriesOf(insideCurvesOption(diverged, 'activationStd', 1, englishText))[0]!;
    expect(std.data[1]![1]).toBeNull();
  });

  it('a layer whose values are all one number: one point, on an axis that still has a width', () => {
    const flat = net([0], () => [layer(true, { weight: histogram(0.5, 0.5, [7, ...new Array<number>(29).fill(0)]) })]);
    const option = insideMomentOption(flat, 0, 'weight', englishText, 300);
    expect(seriesOf(option)[0]!.data).toEqual([[0.5, 100]]);
    const axis = (option.xAxis as { min: number; max: number }[])[0]!;
    expect(axis.max).toBeGreaterThan(axis.min);
  });
});
