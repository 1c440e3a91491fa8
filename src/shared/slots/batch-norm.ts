import { z } from 'zod';
import { insideEveryParam } from '../inside';
import { lrScheduleParams } from '../lr-schedule';
import { batchSizeParam, epochsParam, hiddenParam, lrParam, seedParam, trainSizeParam } from '../params';
import { batchNormPanels } from '../charts/accuracy';
import { type ChartDefinition, type FigureContext, type FigureInput, accuracyFigure } from '../charts/figures';
import type { SeriesId, SeriesKey } from '../series';
import { finalValue } from '../key-results';
import { count, fixed, inBoth, verdict } from '../claims';
import type { NetLoad } from '../memory-model';
import { epochNets, firstImages, plainNet } from '../memory-workloads';
import { mnistNetShape } from '../network-shape';
import type { Series } from '../runs';
import { type Claim, defineExperiment, type Concept } from './slot';

export const batchNormParams = z
  .object({
    trainSize: trainSizeParam(1000),
    hidden: hiddenParam([100, 100, 100, 100, 100]),
    epochs: epochsParam(20),
    batchSize: batchSizeParam(100),
    lr: lrParam(0.01),
    ...lrScheduleParams(50),
    scales: z.int().min(1).max(64).default(16).meta({ label: 'weight scales (init std log-spaced from 1 to 1e-4)' }),
    insideEvery: insideEveryParam(),
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

/**
 * Each scale's final train accuracy with and without Batch Norm, largest scale first: both nets past
 * epoch 0, or stopped by diverging (a net whose weights overflowed keeps its last accuracy: it did not
 * learn).
 */
function scalePairs(series: readonly Series[]) {
  const netOf = (batchNorm: boolean, scale: number) =>
    series.find((c) => c.key.batchNorm === batchNorm && c.key.scale === scale);
  const final = (s: Series | undefined) =>
    s && (s.y.length >= 2 || s.divergedAt !== undefined) ? finalValue(s) : null;
  const epochs = Math.max(0, ...series.map((s) => s.y.length - 1));
  const scales = [...new Set(series.map((s) => s.key.scale).filter((v): v is number => v !== undefined))];
  return scales
    .sort((a, b) => b - a)
    .flatMap((scale) => {
      const plainNet = netOf(false, scale);
      const [bn, plain] = [final(netOf(true, scale)), final(plainNet)];
      return bn !== null && plain !== null ? [{ scale, bn, plain, plainDivergedAt: plainNet?.divergedAt, epochs }] : [];
    });
}

/** Train accuracy at or below this is a net that has not learned (chance is 0.1). */
const NOT_LEARNED = 0.2;

/** The spread of Batch Norm's outputs that keeps a net learning, and a spread that is gone (issue #19). */
const SPREAD_KEPT = { min: 0.5, max: 2 } as const;
const COLLAPSED = 0.01;

/** Fig. 6-19's claims, on the final train accuracy of each scale; null before the first trained epoch. */
const batchNormClaims: Claim<BatchNormParams>[] = [
  {
    id: 'bn-ahead-at-most-scales',
    text: inBoth(
      'With Batch Norm the net reaches a higher train accuracy than without at most weight scales',
      '在大多数权重初始值的尺度下，使用 Batch Norm 时训练数据的识别精度都比不使用时高',
    ),
    check: ({ series }) => {
      const pairs = scalePairs(series);
      if (pairs.length === 0) return null;
      const ahead = pairs.filter((p) => p.bn > p.plain).length;
      return verdict(
        ahead > pairs.length / 2,
        `Batch Norm ahead at ${ahead} of ${pairs.length} scales after ${count(pairs[0]!.epochs)} epochs`,
        `${count(pairs[0]!.epochs)} 个 epoch 后，Batch Norm 在 ${pairs.length} 个尺度中的 ${ahead} 个领先`,
      );
    },
  },
  {
    id: 'plain-fails-at-extremes',
    text: inBoth(
      `Without Batch Norm the net does not learn at the largest and the smallest scale (train accuracy at most ${NOT_LEARNED})`,
      `不使用 Batch Norm 时，在最大和最小的尺度下无法学习（训练数据的识别精度不超过 ${NOT_LEARNED}）`,
    ),
    check: ({ series }) => {
      const pairs = scalePairs(series);
      const [largest, smallest] = [pairs[0], pairs.at(-1)];
      if (!largest || !smallest || pairs.length < 2) return null;
      // A net that diverged is named so, as its panel marks it, with the accuracy it stopped at.
      const show = (p: { scale: number; plain: number; plainDivergedAt?: number }, zh = false) => {
        const at = p.plainDivergedAt;
        const note = at === undefined ? '' : zh ? `（在第 ${at} 个 epoch 发散）` : ` (diverged at epoch ${at})`;
        return `std=${formatScale(p.scale)}: ${fixed(p.plain)}${note}`;
      };
      return verdict(
        largest.plain <= NOT_LEARNED && smallest.plain <= NOT_LEARNED,
        `train accuracy without Batch Norm after ${count(largest.epochs)} epochs: ${show(largest)}, ${show(smallest)}`,
        `${count(largest.epochs)} 个 epoch 后不使用 Batch Norm 的训练数据识别精度：${show(largest, true)}，${show(smallest, true)}`,
      );
    },
  },
  {
    id: 'bn-keeps-activations-spread',
    text: inBoth(
      `At the smallest scale, recorded inside the nets at the last update: with Batch Norm every layer's normalised outputs have a standard deviation within [${SPREAD_KEPT.min}, ${SPREAD_KEPT.max}], while without it the last hidden layer's activations stay below ${COLLAPSED} all along`,
      `在最小的尺度下（记录网络内部，最后一次更新时）：使用 Batch Norm 时每一层正规化后的输出的标准差在 [${SPREAD_KEPT.min}, ${SPREAD_KEPT.max}] 之内，不使用时最后一个隐藏层的激活值的标准差始终低于 ${COLLAPSED}`,
    ),
    check: ({ inside }) => {
      const scales = (inside?.nets ?? []).flatMap((net) => (net.key.scale !== undefined ? [net.key.scale] : []));
      const smallest = Math.min(...scales);
      const at = (batchNorm: boolean) =>
        inside?.nets.find((net) => net.batchNorm === batchNorm && net.key.scale === smallest);
      const [withNorm, plain] = [at(true), at(false)];
      const lastLayer = plain?.activationStd.at(-1);
      if (!withNorm || withNorm.normalizedStd.length === 0 || !lastLayer) return null;
      const lasts = withNorm.normalizedStd.map((range) => range.last);
      const [low, high] = [Math.min(...lasts), Math.max(...lasts)];
      // At the first updates ε = 1e-6 outweighs the tiny batch variance: the spread grows as W does.
      const first = Math.min(...withNorm.normalizedStd.map((range) => range.min));
      const std = (v: number) => v.toPrecision(3);
      return verdict(
        low >= SPREAD_KEPT.min && high <= SPREAD_KEPT.max && lastLayer.max < COLLAPSED,
        `std=${formatScale(smallest)}: Batch Norm outputs' std ${std(low)} to ${std(high)} at the last update (lowest on the way ${std(first)}); the plain net's last hidden layer at most ${std(lastLayer.max)}`,
        `std=${formatScale(smallest)}：最后一次更新时 Batch Norm 输出的标准差为 ${std(low)} 到 ${std(high)}（途中最低 ${std(first)}）；普通网络最后一个隐藏层最大为 ${std(lastLayer.max)}`,
      );
    },
  },
];

/** Batch Normalization's forward transform, as engine/nn/batch-norm.ts computes it (ε = 1e-6). */
export const batchNormConcept: Concept = {
  formulas: [
    {
      tex: String.raw`\begin{aligned} \mu_B &\leftarrow \frac{1}{m}\sum_{i=1}^{m} x_i \\ \sigma_B^2 &\leftarrow \frac{1}{m}\sum_{i=1}^{m} (x_i - \mu_B)^2 \\ \hat{x}_i &\leftarrow \frac{x_i - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}}, \quad \varepsilon = 10^{-6} \end{aligned}`,
      caption: {
        en: 'Normalise each unit over the mini-batch of m inputs: mean 0 and variance 1 (ε keeps the division away from 0).',
        'zh-CN': '以 mini-batch（m 个数据）为单位，使每个神经元的输入均值为 0、方差为 1 的正规化（ε 防止除以 0）。',
      },
      symbols: [{ symbol: 'm', param: 'batchSize' }],
    },
    {
      tex: String.raw`y_i \leftarrow \gamma\,\hat{x}_i + \beta`,
      caption: {
        en: 'Then scale by γ and shift by β, two parameters learned like the weights (γ = 1, β = 0 at first).',
        'zh-CN': '然后用 γ 缩放、用 β 平移；γ 和 β 与权重一样通过学习调整（初始值为 γ = 1、β = 0）。',
      },
    },
    {
      tex: String.raw`\mu \leftarrow 0.9\,\mu + 0.1\,\mu_B, \quad \sigma^2 \leftarrow 0.9\,\sigma^2 + 0.1\,\sigma_B^2`,
      caption: {
        en: 'Training passes also keep running averages of μ_B and σ²_B; test passes normalise with these instead of the batch’s own.',
        'zh-CN': '学习时还会记录 μ_B 和 σ²_B 的移动平均；测试时用它们代替 mini-batch 自身的均值和方差进行正规化。',
      },
    },
  ],
  lookFor: {
    en: 'Each panel is one weight-init std, from 1 down to 1e-4: solid lines with Batch Norm, dashed without. With Batch Norm the train accuracy rises faster at almost every scale, and it learns even at scales where the plain net stays at chance. Batch Norm makes the net far less dependent on its initial weights.',
    'zh-CN':
      '每个小图对应一个权重初始值的标准差（从 1 到 1e-4）：实线使用了 Batch Norm，虚线没有使用。几乎在所有标准差下，使用 Batch Norm 的训练精度都上升得更快，在普通网络完全无法学习的标准差下也能学习。Batch Norm 使网络不那么依赖权重的初始值。',
  },
};

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
  runSlots: 'one',
  metrics: ['train accuracy'],
  figures: batchNormFigures,
  page: { trialsTable: false, pathStepper: false },
  concept: batchNormConcept,
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
  claims: batchNormClaims,
  textFigures: () => [],
  legacySeriesKey: legacyBatchNormKey,
  network: (p) => ({
    ...mnistNetShape({ hidden: p.hidden, activation: 'relu', batchNorm: true }),
    twin: { without: 'batchnorm', paramCount: mnistNetShape({ hidden: p.hidden, activation: 'relu' }).paramCount },
  }),
  memory: (p) => {
    const net = (withNorm: boolean): NetLoad => ({ ...plainNet(p.hidden), batchNorm: withNorm });
    return epochNets(p, {
      nets: Array.from({ length: p.scales }, () => [net(true), net(false)]).flat(),
      netCount: { param: 'scales', value: p.scales },
      shuffle: false,
      train: firstImages(p.trainSize),
      // engine/experiments/batch-norm.ts PAIR: the two nets of a scale train side by side.
      groupSize: 2,
      seriesPerNet: 1,
    });
  },
  goldenParams: { scales: 3, epochs: 2, trainSize: 200, hidden: [30, 20] },
});
