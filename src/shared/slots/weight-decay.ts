import { z } from 'zod';
import { insideEveryParam } from '../inside';
import {
  batchSizeParam,
  epochsParam,
  hiddenParam,
  initParam,
  lambdaParam,
  lrParam,
  seedParam,
  trainSizeParam,
} from '../params';
import { lrScheduleParams } from '../lr-schedule';
import { trainTestPanels } from '../charts/accuracy';
import { type ChartDefinition, type FigureContext, type FigureInput, accuracyFigure } from '../charts/figures';
import type { Series } from '../runs';
import { type SeriesId, type SeriesKey, accuracyMetric } from '../series';
import { inBoth, trainTestClaims } from '../claims';
import { finalValue } from '../key-results';
import { comparedNets, epochNets, firstImages, plainNet, testImages } from '../memory-workloads';
import { mnistNetShape } from '../network-shape';
import { type KeyResult, defineExperiment, type Concept } from './slot';

/** The book's overfitting setup (§6, reused by Dropout in §7): 300 images, a 7-layer net of 100 units, SGD lr 0.01. */
export const overfittingSetup = (epochs: number) => ({
  trainSize: trainSizeParam(300),
  hidden: hiddenParam([100, 100, 100, 100, 100, 100]),
  epochs: epochsParam(epochs),
  batchSize: batchSizeParam(100),
  lr: lrParam(0.01),
  ...lrScheduleParams(200),
});

export const weightDecayParams = z
  .object({
    ...overfittingSetup(201),
    lambda: lambdaParam(0.1),
    init: initParam('he'),
    insideEvery: insideEveryParam(),
    seed: seedParam(),
  })
  .strict();
export type WeightDecayParams = z.output<typeof weightDecayParams>;

/** `λ=0 train`, `λ=0.1 test`, ...: the accuracy series of the net trained with weight decay `lambda`. */
export const weightDecaySeries = (lambda: number, split: 'train' | 'test'): SeriesId => ({
  name: `λ=${lambda} ${split}`,
  metric: accuracyMetric(split),
  key: { lambda, split },
});

/** The split of a format-1 `<group> train` / `<group> test` name, and the group. */
export function legacyTrainTestName(name: string): { group: string; split: 'train' | 'test' } | null {
  const match = /^(.*) (train|test)$/.exec(name);
  return match ? { group: match[1]!, split: match[2] as 'train' | 'test' } : null;
}

function legacyWeightDecayKey(name: string): SeriesKey {
  const parsed = legacyTrainTestName(name);
  const lambda = parsed?.group.startsWith('λ=') ? Number(parsed.group.slice(2)) : NaN;
  return parsed && Number.isFinite(lambda) ? { lambda, split: parsed.split } : {};
}

/** The figure of a train/test comparison (Fig. 6-21, 6-23): one panel per compared value, 0 (none) first. */
export function trainTestFigure(
  ctx: FigureContext,
  title: string,
  series: readonly Series[],
  valueOf: (s: Series) => number | undefined,
  panelTitle: (value: number) => string,
  epochs: number | undefined,
): ChartDefinition {
  return accuracyFigure(ctx, {
    key: 'accuracy',
    title,
    panels: trainTestPanels(series, ctx.t, valueOf, panelTitle),
    layout: { cols: 2, bottom: 60, left: 7, right: 2, gapX: 6, gapY: 0 },
    legend: [ctx.t('gap.train'), ctx.t('gap.test')],
    dashed: false,
    width: 1000,
    height: 420,
    epochs,
  });
}

/** Per compared value: the final test accuracy and the train-test gap. */
export function trainTestResults(
  series: readonly Series[],
  valueOf: (s: Series) => number | undefined,
  label: (value: number) => string,
): KeyResult[] {
  const values = [...new Set(series.map(valueOf).filter((v): v is number => v !== undefined))];
  return values.flatMap((value) => {
    const final = (split: 'train' | 'test') =>
      finalValue(series.find((s) => valueOf(s) === value && s.key.split === split));
    const [train, test] = [final('train'), final('test')];
    return [
      { label: `${label(value)} test accuracy`, value: test },
      { label: `${label(value)} gap`, value: train !== null && test !== null ? train - test : null },
    ];
  });
}

function weightDecayFigures({ series, params }: FigureInput<WeightDecayParams>, ctx: FigureContext): ChartDefinition[] {
  return [
    trainTestFigure(
      ctx,
      ctx.t('gap.weightDecay', { lambda: params?.lambda ?? '' }),
      series,
      (s) => s.key.lambda,
      (lambda) => (lambda === 0 ? ctx.t('gap.noDecay') : ctx.t('gap.decay', { lambda: String(lambda) })),
      params?.epochs,
    ),
  ];
}

/** Weight decay as engine/nn/multi-layer-net.ts adds it: to the loss and to each weight's gradient. */
export const weightDecayConcept: Concept = {
  formulas: [
    {
      tex: String.raw`L' = L + \frac{1}{2}\lambda \sum_{l} \sum_{i,j} \left(W^{(l)}_{ij}\right)^2`,
      caption: {
        en: 'Weight decay adds ½λW² for every weight to the loss: large weights are penalised (biases are not).',
        'zh-CN': '权值衰减为损失函数加上每个权重的 ½λW²，对大的权重进行惩罚（偏置不计入）。',
      },
      symbols: [{ symbol: String.raw`\lambda`, param: 'lambda' }],
    },
    {
      tex: String.raw`\frac{\partial L'}{\partial W} = \frac{\partial L}{\partial W} + \lambda W`,
      caption: {
        en: 'So back-propagation adds λW to each weight’s gradient, and every update pulls the weights a little towards 0.',
        'zh-CN': '因此误差反向传播时，每个权重的梯度都要加上 λW，每次更新都把权重向 0 拉近一点。',
      },
      symbols: [{ symbol: String.raw`\lambda`, param: 'lambda' }],
    },
  ],
  lookFor: {
    en: 'Without weight decay (λ = 0) train accuracy reaches almost 100% while test accuracy stays far below: the net overfits its 300 images. With λ = 0.1 the gap between train and test narrows, and train accuracy no longer reaches 100%.',
    'zh-CN':
      '不使用权值衰减（λ = 0）时，训练数据的识别精度接近 100%，测试数据的识别精度却低得多：网络对 300 张图像过拟合了。λ = 0.1 时训练与测试的识别精度之差变小，训练精度也不再达到 100%。',
  },
};

/** §6.4.1 and 6.4.2, Fig. 6-20, 6-21: an overfitting net (300 images, 7 layers) without and with weight decay. */
export const weightDecay = defineExperiment({
  id: 'weight-decay',
  book: { section: '6.4.1, 6.4.2', figure: 'Fig. 6-20, 6-21', script: 'ch06/overfit_weight_decay.py' },
  text: {
    en: {
      title: 'Overfitting and weight decay',
      summary:
        'A 7-layer ReLU net learns the first 300 MNIST images without weight decay (it overfits) and with λ = 0.1, on the same mini-batches; train and test accuracy are recorded every epoch.',
    },
    'zh-CN': {
      title: '过拟合与权值衰减',
      summary:
        '7 层 ReLU 神经网络只用 MNIST 的前 300 张图像学习：不使用权值衰减（发生过拟合）与使用 λ = 0.1 的权值衰减，mini-batch 相同；每个 epoch 记录训练数据和测试数据的识别精度。',
    },
  },
  params: weightDecayParams,
  xLabel: 'epoch',
  runSlots: 'one',
  metrics: ['train accuracy', 'test accuracy'],
  figures: weightDecayFigures,
  page: { trialsTable: false, pathStepper: false },
  concept: weightDecayConcept,
  keyResults: ({ series }) =>
    trainTestResults(
      series,
      (s) => s.key.lambda,
      (lambda) => `λ=${lambda}`,
    ),
  claims: trainTestClaims({
    valueOf: (key) => key.lambda,
    label: (lambda) => inBoth(`λ=${lambda}`, `λ=${lambda}`),
    name: inBoth('weight decay', '权值衰减'),
  }),
  textFigures: () => [],
  legacySeriesKey: legacyWeightDecayKey,
  network: (p) => mnistNetShape({ hidden: p.hidden, activation: 'relu' }),
  memory: (p) =>
    epochNets(p, {
      nets: comparedNets(p.lambda, () => plainNet(p.hidden)),
      shuffle: false,
      train: firstImages(p.trainSize),
      evaluation: testImages(p.trainSize),
      seriesPerNet: 2,
    }),
  goldenParams: { epochs: 3, trainSize: 100, hidden: [30, 20], lambda: 0.1 },
});
