import { z } from 'zod';
import { inOrder, lossFigure } from '../charts/figures';
import { OPTIMIZER_NAMES, type OptimizerName, optimizerListParam, optimizerSpec } from '../optimizers';
import { bookMnistNetParams, initParam, lambdaParam, seedParam } from '../params';
import type { SeriesId, SeriesKey } from '../series';
import { finalSmoothedLosses } from '../key-results';
import { defineExperiment } from './slot';

export const optimizersMnistParams = z
  .object({
    ...bookMnistNetParams(),
    init: initParam('he'),
    lambda: lambdaParam(0),
    optimizers: optimizerListParam(optimizerSpec, ['SGD', 'Momentum', 'AdaGrad', 'Adam']),
    seed: seedParam(),
  })
  .strict();
export type OptimizersMnistParams = z.output<typeof optimizersMnistParams>;

/** The loss series of the net trained by `optimizer`, named after it. */
export const optimizerLossSeries = (optimizer: OptimizerName): SeriesId => ({
  name: optimizer,
  metric: 'loss',
  key: { optimizer },
});

/** A format-1 series named after its optimizer. */
export const legacyOptimizerKey = (name: string): SeriesKey =>
  (OPTIMIZER_NAMES as readonly string[]).includes(name) ? { optimizer: name as OptimizerName } : {};

/** §6.1.8, Fig. 6-9: the four update rules on the same net and the same mini-batches. */
export const optimizersMnist = defineExperiment({
  id: 'optimizers-mnist',
  book: { section: '6.1.8', figure: 'Fig. 6-9', script: 'ch06/optimizer_compare_mnist.py' },
  text: {
    en: {
      title: 'Optimizers on MNIST',
      summary:
        'SGD, Momentum, AdaGrad and Adam train the same 5-layer ReLU net on the same MNIST mini-batches; the training loss of every iteration is recorded.',
    },
    'zh-CN': {
      title: '基于 MNIST 数据集的更新方法的比较',
      summary:
        'SGD、Momentum、AdaGrad 和 Adam 在相同的 MNIST mini-batch 上训练同一个 5 层 ReLU 神经网络，记录每次迭代的训练损失函数值。',
    },
  },
  params: optimizersMnistParams,
  xLabel: 'iteration',
  metrics: ['loss'],
  figures: ({ series, params }, ctx) => {
    const order = params?.optimizers.map((o) => o.name) ?? [];
    const losses = inOrder(
      series.filter((s) => s.metric === 'loss'),
      order,
      (s) => s.key.optimizer,
    );
    return [lossFigure(ctx, ctx.t('lossTitle'), losses, 1, params?.iterations)];
  },
  page: { trialsTable: false },
  keyResults: ({ series }) => finalSmoothedLosses(series),
  textFigures: () => [],
  legacySeriesKey: legacyOptimizerKey,
});
