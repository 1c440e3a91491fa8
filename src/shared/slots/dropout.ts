import { z } from 'zod';
import { dropoutRatioParam, seedParam } from '../params';
import type { ChartDefinition, FigureContext, FigureInput } from '../charts/figures';
import { type SeriesId, type SeriesKey, accuracyMetric } from '../series';
import { defineExperiment } from './slot';
import { legacyTrainTestName, overfittingSetup, trainTestFigure, trainTestResults } from './weight-decay';

export const dropoutParams = z
  .object({
    ...overfittingSetup(301),
    dropoutRatio: dropoutRatioParam(0.2),
    seed: seedParam(),
  })
  .strict();
export type DropoutParams = z.output<typeof dropoutParams>;

/** `no dropout train`, `dropout 0.2 test`, ...: the accuracy series of the net with dropout `ratio` (0: none). */
export const dropoutSeries = (dropoutRatio: number, split: 'train' | 'test'): SeriesId => ({
  name: `${dropoutRatio === 0 ? 'no dropout' : `dropout ${dropoutRatio}`} ${split}`,
  metric: accuracyMetric(split),
  key: { dropoutRatio, split },
});

function legacyDropoutKey(name: string): SeriesKey {
  const parsed = legacyTrainTestName(name);
  if (!parsed) return {};
  const ratio =
    parsed.group === 'no dropout' ? 0 : parsed.group.startsWith('dropout ') ? Number(parsed.group.slice(8)) : NaN;
  return Number.isFinite(ratio) ? { dropoutRatio: ratio, split: parsed.split } : {};
}

function dropoutFigures({ series, params }: FigureInput<DropoutParams>, ctx: FigureContext): ChartDefinition[] {
  return [
    trainTestFigure(
      ctx,
      ctx.t('gap.dropoutTitle'),
      series,
      (s) => s.key.dropoutRatio,
      (ratio) => (ratio === 0 ? ctx.t('gap.noDropout') : ctx.t('gap.dropout', { ratio: String(ratio) })),
      params?.epochs,
    ),
  ];
}

/** §6.4.3, Fig. 6-22, 6-23: the overfitting net of §6.4.1 without and with Dropout. */
export const dropout = defineExperiment({
  id: 'dropout',
  book: { section: '6.4.3', figure: 'Fig. 6-22, 6-23', script: 'ch06/overfit_dropout.py' },
  text: {
    en: {
      title: 'Dropout',
      summary:
        'The 7-layer ReLU net of the weight-decay experiment learns the first 300 MNIST images without and with Dropout (ratio 0.2), one shuffled pass per epoch; train and test accuracy are recorded every epoch.',
    },
    'zh-CN': {
      title: 'Dropout',
      summary:
        '与权值衰减实验相同的 7 层 ReLU 神经网络，用 MNIST 的前 300 张图像分别在不使用和使用 Dropout（比例 0.2）的情况下学习，每个 epoch 打乱一次数据；每个 epoch 记录训练数据和测试数据的识别精度。',
    },
  },
  params: dropoutParams,
  xLabel: 'epoch',
  metrics: ['train accuracy', 'test accuracy'],
  figures: dropoutFigures,
  page: { trialsTable: false },
  keyResults: ({ series }) =>
    trainTestResults(
      series,
      (s) => s.key.dropoutRatio,
      (ratio) => (ratio === 0 ? 'no dropout' : `dropout ${ratio}`),
    ),
  textFigures: () => [],
  legacySeriesKey: legacyDropoutKey,
});
