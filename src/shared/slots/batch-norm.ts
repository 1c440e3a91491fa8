import { z } from 'zod';
import { batchSizeParam, epochsParam, hiddenParam, lrParam, seedParam, trainSizeParam } from '../params';
import { batchNormPanels } from '../charts/accuracy';
import { type ChartDefinition, type FigureContext, type FigureInput, accuracyFigure } from '../charts/figures';
import type { SeriesId, SeriesKey } from '../series';
import { finalValue } from '../key-results';
import { defineExperiment } from './slot';

export const batchNormParams = z
  .object({
    trainSize: trainSizeParam(1000),
    hidden: hiddenParam([100, 100, 100, 100, 100]),
    epochs: epochsParam(20),
    batchSize: batchSizeParam(100),
    lr: lrParam(0.01),
    scales: z.int().min(1).max(64).default(16).meta({ label: 'weight scales (init std log-spaced from 1 to 1e-4)' }),
    seed: seedParam(),
  })
  .strict();
export type BatchNormParams = z.output<typeof batchNormParams>;

/** The weight init stds of the sweep: the book's np.logspace(0, -4, scales), from 1 down to 1e-4. */
export function weightScales(scales: number): number[] {
  if (scales === 1) return [1];
  // 1 / 10^e rather than 10^-e: V8 gives 10 ** -4 as 0.00009999999999999999, NumPy gives 0.0001.
  return Array.from({ length: scales }, (_, k) => 1 / 10 ** ((4 * k) / (scales - 1)));
}

/** A std as series names show it: three significant digits, as JSON number text (1, 0.541, 0.0001). */
export function formatScale(std: number): string {
  return JSON.stringify(Number(std.toPrecision(3)));
}

/**
 * The train accuracy of the net with (or without) Batch Norm from weights of std `scale`:
 * `Batch Norm|std=0.01`, `Normal|std=0.01`.
 */
export const batchNormSeries = (batchNorm: boolean, scale: number): SeriesId => ({
  name: `${batchNorm ? 'Batch Norm' : 'Normal'}|std=${formatScale(scale)}`,
  metric: 'train accuracy',
  key: { batchNorm, scale, split: 'train' },
});

/** A format-1 series: `Batch Norm|std=<std to 3 digits>`; the scale is the run's own (exact) one it rounds from. */
function legacyBatchNormKey(name: string, params: BatchNormParams | null): SeriesKey {
  const [kind, std] = name.split('|std=');
  const rounded = Number(std);
  if ((kind !== 'Batch Norm' && kind !== 'Normal') || !Number.isFinite(rounded)) return {};
  const scale = params ? weightScales(params.scales).find((s) => formatScale(s) === formatScale(rounded)) : undefined;
  return { batchNorm: kind === 'Batch Norm', scale: scale ?? rounded, split: 'train' };
}

/** One panel per weight scale, with and without Batch Norm (Fig. 6-19). */
function batchNormFigures({ series, params }: FigureInput<BatchNormParams>, ctx: FigureContext): ChartDefinition[] {
  const panels = batchNormPanels(series, params ? weightScales(params.scales) : [], ctx.t);
  return [
    accuracyFigure(ctx, {
      key: 'batch-norm-grid',
      title: ctx.t('batchNorm.title'),
      panels,
      layout: { cols: 4, bottom: 44, left: 7, right: 2, gapX: 3, gapY: 40 },
      legend: [ctx.t('batchNorm.withBn'), ctx.t('batchNorm.without')],
      dashed: true,
      width: 1000,
      height: 110 + Math.max(1, Math.ceil(panels.length / 4)) * 170,
      epochs: params?.epochs,
    }),
  ];
}

/** §6.3.2, Fig. 6-18, 6-19: the same net with and without Batch Normalization, over 16 weight scales. */
export const batchNorm = defineExperiment({
  id: 'batch-norm',
  book: { section: '6.3.2', figure: 'Fig. 6-18, 6-19', script: 'ch06/batch_norm_test.py' },
  text: {
    en: {
      title: 'Batch Normalization',
      summary:
        'For each of 16 weight-init scales, a 6-layer ReLU net with Batch Norm and one without train side by side on the same mini-batches of the first 1,000 MNIST images; the training accuracy is recorded every epoch.',
    },
    'zh-CN': {
      title: 'Batch Normalization 的评估',
      summary:
        '对 16 种权重初始值的尺度，分别让使用和不使用 Batch Norm 的 6 层 ReLU 神经网络在 MNIST 前 1000 张图像的相同 mini-batch 上并排学习，每个 epoch 记录一次训练数据的识别精度。',
    },
  },
  params: batchNormParams,
  xLabel: 'epoch',
  metrics: ['train accuracy'],
  figures: batchNormFigures,
  page: { trialsTable: false },
  keyResults: ({ series }) => {
    const finals = (batchNorm: boolean) =>
      series.filter((s) => s.key.batchNorm === batchNorm).map((s) => ({ scale: s.key.scale, value: finalValue(s) }));
    const withBn = finals(true);
    const plain = new Map(finals(false).map((f) => [f.scale, f.value]));
    const mean = (values: (number | null)[]) => {
      const known = values.filter((v): v is number => v !== null);
      return known.length > 0 ? known.reduce((a, b) => a + b, 0) / known.length : null;
    };
    const ahead = withBn.filter((f) => f.value !== null && f.value > (plain.get(f.scale) ?? Infinity)).length;
    return [
      { label: 'mean final train accuracy with Batch Norm', value: mean(withBn.map((f) => f.value)) },
      { label: 'mean final train accuracy without', value: mean([...plain.values()]) },
      { label: 'scales where Batch Norm is ahead', value: ahead },
    ];
  },
  textFigures: () => [],
  legacySeriesKey: legacyBatchNormKey,
});
