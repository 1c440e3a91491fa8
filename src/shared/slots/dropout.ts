import { z } from 'zod';
import { insideEveryParam } from '../inside';
import { dropoutRatioParam, seedParam } from '../params';
import type { ChartDefinition, FigureContext, FigureInput } from '../charts/figures';
import { type SeriesId, type SeriesKey, accuracyMetric } from '../series';
import { fixed, inBoth, trainTestClaims, verdict } from '../claims';
import { lastFinite } from '../last-value';
import type { Series } from '../runs';
import { comparedNets, epochNets, firstImages, plainNet, testImages } from '../memory-workloads';
import { mnistNetShape } from '../network-shape';
import { type Claim, defineExperiment, type Concept } from './slot';
import { legacyTrainTestName, overfittingSetup, trainTestFigure, trainTestResults } from './weight-decay';

export const dropoutParams = z
  .object({
    ...overfittingSetup(301),
    dropoutRatio: dropoutRatioParam(0.2),
    // Not in the book's script: its remark that dropout is an ensemble in one net, put to the test.
    ensemble: z.int().min(0).max(10).default(0).meta({ label: 'plain nets averaged as an ensemble (0: none)' }),
    insideEvery: insideEveryParam(),
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

/** The summary's ensemble: its nets and the test accuracy of their averaged predictions (absent: no ensemble). */
function ensembleOf(summary: Record<string, unknown>): { nets: number; testAccuracy: number | null } | null {
  const parsed = ensembleSummarySchema.safeParse(summary.ensemble);
  return parsed.success ? parsed.data : null;
}
const ensembleSummarySchema = z.object({ nets: z.int(), testAccuracy: z.number().nullable() });

/** The final test accuracy of the net with dropout `ratio` (0: the plain one). */
const finalTest = (series: readonly Series[], ratio: number) =>
  lastFinite(series.find((s) => s.key.dropoutRatio === ratio && s.key.split === 'test')?.y ?? []);

/**
 * The chapter's remark that dropout realises ensemble learning in one net, checked where the run trained
 * an ensemble of plain nets (`ensemble` > 0): the ensemble beats one plain net, and the net with
 * dropout comes within 0.02 of the ensemble (or beats it).
 */
const ensembleClaims: Claim<DropoutParams>[] = [
  {
    id: 'ensemble-beats-one',
    text: inBoth(
      'Averaging the predictions of several plain nets tests better than one plain net',
      '对多个普通网络的输出取平均，测试数据的识别精度比单个普通网络高',
    ),
    check: ({ series, summary }) => {
      const ensemble = ensembleOf(summary);
      const plain = finalTest(series, 0);
      if (!ensemble || ensemble.testAccuracy === null || plain === null) return null;
      const numbers = `ensemble of ${ensemble.nets}: ${fixed(ensemble.testAccuracy, 4)}, one plain net: ${fixed(plain, 4)}`;
      return verdict(
        ensemble.testAccuracy > plain,
        numbers,
        `${ensemble.nets} 个网络的集成：${fixed(ensemble.testAccuracy, 4)}，单个普通网络：${fixed(plain, 4)}`,
      );
    },
  },
  {
    id: 'dropout-like-ensemble',
    text: inBoth(
      'The net with dropout tests about as well as the ensemble (within 0.02) or better: an ensemble in one net',
      '使用 Dropout 的网络的测试精度与集成相当（相差不超过 0.02）或更高：用一个网络实现了集成学习',
    ),
    check: ({ series, summary, params }) => {
      const ensemble = ensembleOf(summary);
      const ratio = params?.dropoutRatio ?? 0;
      const withDropout = ratio > 0 ? finalTest(series, ratio) : null;
      if (!ensemble || ensemble.testAccuracy === null || withDropout === null) return null;
      return verdict(
        withDropout >= ensemble.testAccuracy - 0.02,
        `dropout ${ratio}: ${fixed(withDropout, 4)}, ensemble of ${ensemble.nets}: ${fixed(ensemble.testAccuracy, 4)}`,
        `Dropout ${ratio}：${fixed(withDropout, 4)}，${ensemble.nets} 个网络的集成：${fixed(ensemble.testAccuracy, 4)}`,
      );
    },
  },
];

/** Dropout at training and at test time, as engine/nn/dropout.ts (the book's common/layers.py) does it. */
export const dropoutConcept: Concept = {
  formulas: [
    {
      tex: String.raw`y = x \odot M, \quad M_i = \begin{cases} 1 & u_i > r \\ 0 & u_i \le r \end{cases}, \quad u_i \sim U(0, 1)`,
      caption: {
        en: 'Training: every pass draws a new mask M that drops each unit with probability r (the dropout ratio); a dropped unit sends no signal forward, and none back.',
        'zh-CN':
          '学习时：每次正向传播都随机生成新的掩码 M，以概率 r（dropout 比例）删除神经元；被删除的神经元不再向前传递信号，反向传播时也一样。',
      },
      symbols: [{ symbol: 'r', param: 'dropoutRatio' }],
    },
    {
      tex: String.raw`y = (1 - r)\,x`,
      caption: {
        en: 'Test time: every unit is kept and its output is scaled by 1 − r, the fraction kept during training.',
        'zh-CN': '测试时：传递所有神经元的信号，并将输出乘以训练时保留的比例 1 − r。',
      },
      symbols: [{ symbol: 'r', param: 'dropoutRatio' }],
    },
    {
      tex: String.raw`\mathbb{E}_M\left[x \odot M\right] = (1 - r)\,x`,
      caption: {
        en: 'The ensemble view: each mask trains a different thinned net, and the scaled test pass is their average, like ensemble learning in a single network.',
        'zh-CN':
          '集成学习的视角：每个掩码都训练一个不同的“瘦身”网络，测试时乘以 1 − r 相当于对它们取平均，Dropout 将集成学习的效果（模拟地）通过一个网络实现了。',
      },
    },
  ],
  lookFor: {
    en: 'Without Dropout train accuracy reaches almost 100% and stays far above test accuracy. With Dropout (ratio 0.2) train and test accuracy rise more slowly but stay closer together: the gap narrows and train accuracy no longer reaches 100%.',
    'zh-CN':
      '不使用 Dropout 时训练数据的识别精度接近 100%，远高于测试数据。使用 Dropout（比例 0.2）后，训练和测试的识别精度上升变慢，但两者更接近：差距缩小，训练精度也不再达到 100%。',
  },
};

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
  runSlots: 'one',
  metrics: ['train accuracy', 'test accuracy'],
  figures: dropoutFigures,
  page: {
    trialsTable: false,
    pathStepper: false,
    dropoutMasks: (p) => ({ ratio: p.dropoutRatio, seed: p.seed }),
  },
  concept: dropoutConcept,
  keyResults: ({ series, summary }) => [
    ...trainTestResults(
      series,
      (s) => s.key.dropoutRatio,
      (ratio) => (ratio === 0 ? 'no dropout' : `dropout ${ratio}`),
    ),
    ...(ensembleOf(summary) ? [{ label: 'ensemble test accuracy', value: ensembleOf(summary)!.testAccuracy }] : []),
  ],
  claims: [
    ...trainTestClaims({
      valueOf: (key) => key.dropoutRatio,
      label: (ratio) =>
        ratio === 0 ? inBoth('no dropout', '不使用 Dropout') : inBoth(`dropout ${ratio}`, `Dropout ${ratio}`),
      name: inBoth('dropout', ' Dropout '),
    }),
    ...ensembleClaims,
  ],
  textFigures: () => [],
  legacySeriesKey: legacyDropoutKey,
  network: (p) => {
    const shape = mnistNetShape({ hidden: p.hidden, activation: 'relu', dropoutRatio: p.dropoutRatio });
    return p.dropoutRatio > 0 ? { ...shape, twin: { without: 'dropout', paramCount: shape.paramCount } } : shape;
  },
  memory: (p) =>
    epochNets(p, {
      nets: [
        ...comparedNets(p.dropoutRatio, (ratio) => ({ ...plainNet(p.hidden), dropout: ratio > 0 })),
        ...Array.from({ length: p.ensemble }, () => plainNet(p.hidden)),
      ],
      shuffle: true,
      train: firstImages(p.trainSize),
      evaluation: testImages(p.trainSize),
      seriesPerNet: 2,
    }),
  goldenParams: { epochs: 3, trainSize: 100, hidden: [30, 20], dropoutRatio: 0.2 },
});
