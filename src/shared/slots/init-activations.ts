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
import { fixed, inBoth, verdict } from '../claims';
import { FLOAT64, type MemoryFactor } from '../memory-model';
import { activationsNetShape } from '../network-shape';
import type { Series } from '../runs';
import type { SeriesId, SeriesKey } from '../series';
import { initStdFormulas } from './concepts';
import { type Claim, defineExperiment, type Concept } from './slot';

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

/** Each layer's summary figures of one activation and init, first layer first; undefined when the run has none. */
function layersOf(
  series: readonly Series[],
  summary: Record<string, unknown>,
  activation: Activation,
  init: WeightInit,
): LayerSummary[] | undefined {
  const layers = series
    .filter((s) => s.metric === 'histogram' && s.key.activation === activation && s.key.init === init)
    .sort((a, b) => (a.key.layer ?? 0) - (b.key.layer ?? 0))
    .map((s) => summary[s.name]);
  const known = layers.filter(
    (l): l is LayerSummary => typeof l === 'object' && l !== null && typeof (l as LayerSummary).std === 'number',
  );
  return known.length > 0 && known.length === layers.length ? known : undefined;
}

const stds = (layers: LayerSummary[]) => layers.map((l) => fixed(l.std)).join(', ');
const stdsZh = (layers: LayerSummary[]) => layers.map((l) => fixed(l.std)).join('，');

/**
 * The claims of Fig. 6-10, 6-11, 6-13 and 6-14 on each layer's summary figures (mean, std, % saturated);
 * a claim about an activation and init the run did not compute cannot say.
 */
const activationClaims: Claim<InitActivationsParams>[] = [
  {
    id: 'sigmoid-std1-saturates',
    text: inBoth(
      'Sigmoid with std 1: most outputs sit near 0 or 1 (the gradient vanishes)',
      'sigmoid 与标准差 1：大部分激活值偏向 0 或 1（梯度消失）',
    ),
    check: ({ series, summary }) => {
      const layers = layersOf(series, summary, 'sigmoid', 1);
      if (!layers || layers.some((l) => l.saturated === null)) return null;
      const mean = layers.reduce((sum, l) => sum + l.saturated!, 0) / layers.length;
      return verdict(
        mean > 50,
        `${fixed(mean, 1)}% of outputs below 0.05 or above 0.95 (mean over ${layers.length} layers)`,
        `${fixed(mean, 1)}% 的激活值小于 0.05 或大于 0.95（${layers.length} 层的平均）`,
      );
    },
  },
  {
    id: 'sigmoid-small-std-crowds',
    text: inBoth(
      'Sigmoid with std 0.01: every layer crowds near 0.5 (no expressiveness)',
      'sigmoid 与标准差 0.01：每一层的激活值都集中在 0.5 附近（表现力受限）',
    ),
    check: ({ series, summary }) => {
      const layers = layersOf(series, summary, 'sigmoid', 0.01);
      if (!layers) return null;
      return verdict(
        layers.every((l) => Math.abs(l.mean - 0.5) < 0.05 && l.std < 0.05),
        `means ${layers.map((l) => fixed(l.mean)).join(', ')}; stds ${stds(layers)}`,
        `均值 ${layers.map((l) => fixed(l.mean)).join('，')}；标准差 ${stdsZh(layers)}`,
      );
    },
  },
  {
    id: 'sigmoid-xavier-spreads',
    text: inBoth(
      'Sigmoid with Xavier: the deepest layer keeps a wide spread (std at least 0.1)',
      'sigmoid 与 Xavier 初始值：最深的一层仍有较广的分布（标准差至少 0.1）',
    ),
    check: ({ series, summary }) => {
      const layers = layersOf(series, summary, 'sigmoid', 'xavier');
      if (!layers) return null;
      return verdict(layers.at(-1)!.std >= 0.1, `stds by layer ${stds(layers)}`, `各层标准差 ${stdsZh(layers)}`);
    },
  },
  {
    id: 'relu-small-std-collapses',
    text: inBoth(
      'ReLU with std 0.01: outputs collapse toward 0 deeper in',
      'ReLU 与标准差 0.01：越深的层激活值越向 0 收缩',
    ),
    check: ({ series, summary }) => {
      const layers = layersOf(series, summary, 'relu', 0.01);
      if (!layers || layers.length < 2) return null;
      const [first, last] = [layers[0]!.std, layers.at(-1)!.std];
      return verdict(
        last < first / 10,
        `std ${first.toPrecision(2)} in layer 1, ${last.toPrecision(2)} in layer ${layers.length}`,
        `第 1 层标准差 ${first.toPrecision(2)}，第 ${layers.length} 层 ${last.toPrecision(2)}`,
      );
    },
  },
  {
    id: 'relu-he-steady',
    text: inBoth(
      'ReLU with He: every layer keeps about the same spread (std within a factor of 2 of layer 1)',
      'ReLU 与 He 初始值：各层的分布广度大致相同（标准差与第 1 层相差不到 2 倍）',
    ),
    check: ({ series, summary }) => {
      const layers = layersOf(series, summary, 'relu', 'he');
      if (!layers || layers.length < 2) return null;
      const first = layers[0]!.std;
      return verdict(
        first > 0 && layers.every((l) => l.std / first >= 0.5 && l.std / first <= 2),
        `stds by layer ${stds(layers)}`,
        `各层标准差 ${stdsZh(layers)}`,
      );
    },
  },
];

/** The init stds of §6.2, and what the activation histograms show of them. */
const initActivationsConcept: Concept = {
  formulas: initStdFormulas({ sigma: 'init', n: 'nodes' }),
  lookFor: {
    en: "Each histogram is one hidden layer's activations. With std 1 and sigmoid they pile up at 0 and 1 (gradient vanishing); with std 0.01 they crowd around 0.5 (every unit says the same thing). Xavier keeps them spread out through all layers for sigmoid and tanh, and He does the same for ReLU.",
    'zh-CN':
      '每个直方图是一个隐藏层的激活值分布。标准差为 1 且使用 sigmoid 时，激活值偏向 0 和 1（梯度消失）；标准差为 0.01 时集中在 0.5 附近（神经元的表现力受限）。Xavier 初始值使 sigmoid 和 tanh 的各层激活值保持广度，He 初始值对 ReLU 起同样的作用。',
  },
};

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
  runSlots: 'one',
  metrics: ['histogram'],
  figures: histogramFigures,
  page: { trialsTable: false, pathStepper: false },
  concept: initActivationsConcept,
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
  claims: activationClaims,
  textFigures: () => [],
  legacySeriesKey: legacyHistogramKey,
  network: (p) => activationsNetShape(p.nodes, p.layers, p.activation),
  memory: (p) => {
    // Plain JS in float64 (engine/experiments/init-activations.ts): the inputs, every layer's weights,
    // and a layer's input and output at once; the combinations run one after another.
    const combinations = p.grid ? GRID_ACTIVATIONS.length * GRID_INITS.length : 1;
    const rows: MemoryFactor[] = [
      { param: 'samples', value: p.samples },
      { param: 'nodes', value: p.nodes },
    ];
    return {
      kind: 'direct',
      parts: [
        { kind: 'arrays', place: 'js', bytes: 3 * p.samples * p.nodes * FLOAT64, factors: rows },
        {
          kind: 'weights',
          place: 'js',
          bytes: p.layers * p.nodes * p.nodes * FLOAT64,
          factors: [
            { param: 'layers', value: p.layers },
            { param: 'nodes', value: p.nodes },
          ],
        },
      ],
      points: combinations * p.layers * p.bins,
      length: { param: 'bins', value: p.bins },
    };
  },
  goldenParams: { grid: true, samples: 200, nodes: 20, layers: 3, bins: 10 },
});
