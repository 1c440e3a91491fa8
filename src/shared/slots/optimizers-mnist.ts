import { z } from 'zod';
import { insideEveryParam } from '../inside';
import { inOrder, lossFigure } from '../charts/figures';
import {
  OPTIMIZER_FORMULAS,
  OPTIMIZER_NAMES,
  type OptimizerName,
  optimizerListParam,
  optimizerSpec,
} from '../optimizers';
import { lrScheduleParams } from '../lr-schedule';
import { bookMnistNetParams, initParam, lambdaParam, seedParam } from '../params';
import type { SeriesId, SeriesKey } from '../series';
import { finalSmoothedLosses } from '../key-results';
import { MIN_LOSS_POINTS, count, finalSmoothed, fixed, inBoth, seriesWhere, verdict } from '../claims';
import { plainNet, sharedBatch } from '../memory-workloads';
import { mnistNetShape } from '../network-shape';
import { type Claim, defineExperiment, type Concept } from './slot';

export const optimizersMnistParams = z
  .object({
    ...bookMnistNetParams(),
    init: initParam('he'),
    lambda: lambdaParam(0),
    optimizers: optimizerListParam(optimizerSpec, ['SGD', 'Momentum', 'AdaGrad', 'Adam']),
    // Off as in the book's script, where every net draws its own random weights.
    sameStartWeights: z.boolean().default(false).meta({ label: 'same starting weights for every net' }),
    ...lrScheduleParams(500),
    insideEvery: insideEveryParam(),
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

/**
 * Fig. 6-9's claim: the three newer update rules end below SGD, by the final point of the book's smoothed
 * loss; null without SGD and one of them, or before 20 iterations.
 */
const optimizersClaims: Claim<OptimizersMnistParams>[] = [
  {
    id: 'others-below-sgd',
    text: inBoth(
      'Momentum, AdaGrad and Adam end with a lower loss than SGD',
      'Momentum、AdaGrad 和 Adam 最后的损失函数值都比 SGD 低',
    ),
    check: ({ series }) => {
      const loss = (optimizer: OptimizerName) => {
        const s = seriesWhere(series, { optimizer }, 'loss');
        return s && s.y.length >= MIN_LOSS_POINTS ? { optimizer, value: finalSmoothed(s)!, n: s.y.length } : undefined;
      };
      const sgd = loss('SGD');
      const others = (['Momentum', 'AdaGrad', 'Adam'] as const).flatMap((name) => loss(name) ?? []);
      if (!sgd || others.length === 0) return null;
      const list = [sgd, ...others].map((l) => `${l.optimizer} ${fixed(l.value)}`);
      return verdict(
        others.every((l) => l.value < sgd.value),
        `smoothed loss after ${count(sgd.n)} iterations: ${list.join(', ')}`,
        `${count(sgd.n)} 次迭代后平滑的损失函数值：${list.join('，')}`,
      );
    },
  },
];

/** The update rules compared on MNIST (Fig. 6-9), as the engine computes them. */
const optimizersMnistConcept: Concept = {
  formulas: Object.values(OPTIMIZER_FORMULAS),
  lookFor: {
    en: 'Every net sees the same mini-batches. As in the book’s script, each net draws its own random starting weights (the same init, another draw), so the curves already differ at iteration 0; tick “same starting weights for every net” and they differ only by their update rule. In the book SGD learns slowest, while Momentum, AdaGrad and Adam bring the loss down faster (AdaGrad slightly fastest). The result depends on the learning rates and the net, so try other values of η.',
    'zh-CN':
      '所有网络都使用相同的 mini-batch。与书中的代码一样，每个网络各自随机生成初始权重（初始化方法相同，但随机值不同），所以第 0 次迭代时曲线就已不同；勾选“所有网络使用相同的初始权重”后，曲线的差别只来自更新方法。书中 SGD 的学习最慢，Momentum、AdaGrad 和 Adam 的损失下降更快（AdaGrad 略快）。结果取决于学习率和网络结构，可以尝试不同的 η。',
  },
};

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
  runSlots: 'one',
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
  page: { trialsTable: false, pathStepper: false },
  concept: optimizersMnistConcept,
  keyResults: ({ series }) => finalSmoothedLosses(series),
  claims: optimizersClaims,
  textFigures: () => [],
  legacySeriesKey: legacyOptimizerKey,
  network: (p) => mnistNetShape(p),
  memory: (p) =>
    sharedBatch(
      p,
      p.optimizers.map((o) => plainNet(p.hidden, o.name, p.activation)),
      { param: 'optimizers', value: p.optimizers.length },
    ),
  goldenParams: {
    iterations: 40,
    batchSize: 32,
    hidden: [30, 20],
    lambda: 0.01,
    optimizers: ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam'],
  },
});
