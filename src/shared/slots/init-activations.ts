import { z } from 'zod';
import { type ChartDefinition, type FigureContext, type FigureInput } from '../charts/figures';
import {
  activationLabel,
  guessRange,
  histogramGridOption,
  histogramGroups,
  histogramRowOption,
  initLabel,
  layerStats,
} from '../charts/histograms';
import { countPoints } from '../charts/panels';
import {
  ACTIVATIONS,
  type Activation,
  INIT_NAMES,
  activationParam,
  initParam,
  seedParam,
  type WeightInit,
} from '../params';
import type { SeriesId, SeriesKey } from '../series';
import { defineExperiment } from './slot';

/** The "all at once" grid: every activation with every init of §3 (std 1, std 0.01, Xavier, He). */
export const GRID_ACTIVATIONS: readonly Activation[] = ['sigmoid', 'tanh', 'relu'];
export const GRID_INITS: readonly WeightInit[] = [1, 0.01, 'xavier', 'he'];

/** Histogram range: 'unit' is the book's (0, 1); 'full' spans each layer's smallest to largest output. */
export const HISTOGRAM_RANGES = ['unit', 'full'] as const;

export const initActivationsParams = z
  .object({
    activation: activationParam('sigmoid'),
    init: initParam(1),
    grid: z.boolean().default(false).meta({ label: 'all activations x inits (ignores activation and init)' }),
    range: z.enum(HISTOGRAM_RANGES).default('unit').meta({ label: 'histogram range' }),
    bins: z.int().min(1).max(1000).default(30).meta({ label: 'histogram bins' }),
    samples: z.int().min(1).max(10_000).default(1000).meta({ label: 'input samples' }),
    nodes: z.int().min(1).max(1000).default(100).meta({ label: 'units per layer' }),
    layers: z.int().min(1).max(20).default(5).meta({ label: 'hidden layers' }),
    seed: seedParam(),
  })
  .strict();
export type InitActivationsParams = z.output<typeof initActivationsParams>;

/**
 * One layer's histogram (x: bin centres, y: counts), named `<activation>|<init>|layer <k>`, e.g.
 * "sigmoid|0.01|layer 3".
 */
export const activationSeries = (activation: Activation, init: WeightInit, layer: number): SeriesId => ({
  name: `${activation}|${init}|layer ${layer}`,
  metric: 'histogram',
  key: { activation, init, layer },
});

/** A format-1 series: `<activation>|<init>|layer <k>`. */
function legacyHistogramKey(name: string): SeriesKey {
  const [activation, init, layer] = name.split('|');
  const k = Number(/^layer (\d+)$/.exec(layer ?? '')?.[1]);
  const std = Number(init);
  const weightInit = (INIT_NAMES as readonly string[]).includes(init ?? '')
    ? (init as WeightInit)
    : std > 0
      ? std
      : undefined;
  if (!(ACTIVATIONS as readonly string[]).includes(activation ?? '') || weightInit === undefined || !(k >= 1))
    return {};
  return { activation: activation as Activation, init: weightInit, layer: k };
}

/** One row of layer histograms per activation and init (the book's figures), or all of them in one grid. */
function histogramFigures(
  { series, summary, params }: FigureInput<InitActivationsParams>,
  ctx: FigureContext,
): ChartDefinition[] {
  const groups = histogramGroups(series);
  const range = guessRange(groups, params?.range);
  const layers = params?.layers;
  if (params?.grid) {
    const title = ctx.t('histograms.grid');
    const activations = new Set(groups.map((g) => g.activation)).size || 3;
    const height = 90 + activations * 190;
    return [
      {
        key: 'histogram-grid',
        title,
        option: histogramGridOption(groups, {
          t: ctx.t,
          range,
          height,
          layers,
          interactive: ctx.interactive,
          title: ctx.embed ? title : undefined,
        }),
        width: 1500,
        height,
        points: countPoints(groups.flatMap((g) => g.layers)),
        series: groups.flatMap((g) => g.layers),
      },
    ];
  }
  return groups.map((group) => {
    const title = ctx.t('histograms.title', {
      activation: activationLabel(group.activation),
      init: initLabel(group.init),
    });
    const height = 300;
    return {
      key: `histograms-${group.activation}-${group.init}`.replace(/[^\w.-]+/g, '-'),
      title,
      option: histogramRowOption(group, layerStats(summary, group), {
        t: ctx.t,
        range,
        height,
        layers,
        interactive: ctx.interactive,
        title: ctx.embed ? title : undefined,
      }),
      width: 1100,
      height,
      points: countPoints(group.layers),
      series: group.layers,
    };
  });
}

/**
 * summary[<series name>]: one layer's figures: mean and std of its outputs, % saturated (sigmoid) or exactly
 * zero (ReLU), % outside the histogram.
 */
export interface LayerSummary {
  mean: number;
  std: number;
  saturated: number | null;
  zero: number | null;
  outsideRange: number;
}

/** §6.2.2 and 6.2.3, Fig. 6-10, 6-11, 6-13, 6-14: how the weight scale shapes each layer's activations. */
export const initActivations = defineExperiment({
  id: 'init-activations',
  book: {
    section: '6.2.2, 6.2.3',
    figure: 'Fig. 6-10, 6-11, 6-13, 6-14',
    script: 'ch06/weight_init_activation_histogram.py',
  },
  text: {
    en: {
      title: 'Activations under weight init',
      summary:
        '1,000 standard normal inputs pass through 5 layers of 100 units without biases; one histogram per layer of its outputs, for sigmoid, tanh or ReLU under std 1, std 0.01, Xavier or He.',
    },
    'zh-CN': {
      title: '权重初始值与隐藏层的激活值分布',
      summary:
        '1000 个服从标准正态分布的输入数据通过 5 层、每层 100 个神经元（无偏置）的神经网络；对 sigmoid、tanh 或 ReLU 与标准差 1、0.01、Xavier 或 He 初始值，画出各层激活值的直方图。',
    },
  },
  params: initActivationsParams,
  xLabel: 'bin',
  metrics: ['histogram'],
  figures: histogramFigures,
  page: { trialsTable: false },
  keyResults: ({ series, summary }) =>
    histogramGroups(series).map((group) => {
      const last = group.layers.at(-1);
      const stats = last ? summary[last.name] : undefined;
      const std = stats && typeof stats === 'object' ? (stats as { std?: unknown }).std : undefined;
      return {
        label: `${activationLabel(group.activation)}, ${initLabel(group.init)}: std of layer ${last?.key.layer ?? '–'}`,
        value: typeof std === 'number' ? std : null,
      };
    }),
  textFigures: () => [],
  legacySeriesKey: legacyHistogramKey,
});
