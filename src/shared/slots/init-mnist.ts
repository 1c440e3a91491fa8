import { z } from 'zod';
import { insideEveryParam } from '../inside';
import { inOrder, lossFigure } from '../charts/figures';
import { lrScheduleParams } from '../lr-schedule';
import { type WeightInit, bookMnistNetParams, initValueSchema, lrParam, seedParam } from '../params';
import type { SeriesId, SeriesKey } from '../series';
import { finalSmoothedLosses } from '../key-results';
import { CHANCE_LOSS, MIN_LOSS_POINTS, count, finalSmoothed, fixed, inBoth, seriesWhere, verdict } from '../claims';
import { plainNet, sharedBatch } from '../memory-workloads';
import { mnistNetShape } from '../network-shape';
import type { Series } from '../runs';
import { initStdFormulas } from './concepts';
import { type Claim, defineExperiment, type Concept } from './slot';

/** A loss series' name for its init: `std=0.01` for a number, `Xavier`, `He` (the book's legend). */
export function initSeriesName(init: WeightInit): string {
  if (typeof init === 'number') return `std=${init}`;
  return init === 'he' ? 'He' : 'Xavier';
}

/** The loss series of the net that started from `init`. */
export const initLossSeries = (init: WeightInit): SeriesId => ({
  name: initSeriesName(init),
  metric: 'loss',
  key: { init },
});

export const initMnistParams = z
  .object({
    ...bookMnistNetParams(),
    lr: lrParam(0.01),
    inits: z
      .array(initValueSchema)
      .min(1)
      .max(8)
      .refine((list) => new Set(list.map(initSeriesName)).size === list.length, {
        message: 'each init may appear once',
      })
      .default([0.01, 'xavier', 'he'])
      .meta({ label: 'weight inits (std, xavier or he)' }),
    ...lrScheduleParams(500),
    insideEvery: insideEveryParam(),
    seed: seedParam(),
  })
  .strict();
export type InitMnistParams = z.output<typeof initMnistParams>;

/** A format-1 series: `std=0.01`, `Xavier` or `He`. */
function legacyInitKey(name: string): SeriesKey {
  if (name === 'He') return { init: 'he' };
  if (name === 'Xavier') return { init: 'xavier' };
  const std = name.startsWith('std=') ? Number(name.slice(4)) : NaN;
  return Number.isFinite(std) && std > 0 ? { init: std } : {};
}

/** The final smoothed loss of the net started from `init`, with its iterations; undefined before 20 of them. */
function initLoss(series: readonly Series[], init: WeightInit) {
  const s = seriesWhere(series, { init }, 'loss');
  return s && s.y.length >= MIN_LOSS_POINTS ? { value: finalSmoothed(s)!, n: s.y.length } : undefined;
}

/** Fig. 6-15's claims, by the final point of the book's smoothed loss; null when a net it needs is missing. */
const initClaims: Claim<InitMnistParams>[] = [
  {
    id: 'small-std-stuck',
    text: inBoth(
      'With std 0.01 the net does not learn: its loss stays near ln 10 = 2.30',
      '标准差为 0.01 时完全无法学习：损失函数值一直停留在 ln 10 = 2.30 附近',
    ),
    check: ({ series }) => {
      const stuck = initLoss(series, 0.01);
      if (!stuck) return null;
      return verdict(
        Math.abs(stuck.value - CHANCE_LOSS) < 0.1,
        `loss ${fixed(stuck.value)} after ${count(stuck.n)} iterations`,
        `${count(stuck.n)} 次迭代后损失函数值为 ${fixed(stuck.value)}`,
      );
    },
  },
  {
    id: 'xavier-he-learn',
    text: inBoth(
      'From Xavier and He weights the net learns: both end below std 0.01',
      '使用 Xavier 和 He 初始值时学习顺利进行：两者最后的损失函数值都低于标准差 0.01 的情况',
    ),
    check: ({ series }) => {
      const [stuck, xavier, he] = [initLoss(series, 0.01), initLoss(series, 'xavier'), initLoss(series, 'he')];
      if (!stuck || !xavier || !he) return null;
      return verdict(
        Math.max(xavier.value, he.value) < stuck.value - 0.05,
        `loss after ${count(stuck.n)} iterations: std 0.01 ${fixed(stuck.value)}, Xavier ${fixed(xavier.value)}, He ${fixed(he.value)}`,
        `${count(stuck.n)} 次迭代后的损失函数值：标准差 0.01 为 ${fixed(stuck.value)}，Xavier 为 ${fixed(xavier.value)}，He 为 ${fixed(he.value)}`,
      );
    },
  },
  {
    id: 'he-below-xavier',
    text: inBoth('He learns fastest: it ends below Xavier', 'He 初始值学习得最快：最后的损失函数值低于 Xavier'),
    check: ({ series }) => {
      const [xavier, he] = [initLoss(series, 'xavier'), initLoss(series, 'he')];
      if (!xavier || !he) return null;
      return verdict(
        he.value < xavier.value,
        `loss after ${count(he.n)} iterations: He ${fixed(he.value)}, Xavier ${fixed(xavier.value)}`,
        `${count(he.n)} 次迭代后的损失函数值：He 为 ${fixed(he.value)}，Xavier 为 ${fixed(xavier.value)}`,
      );
    },
  },
];

/** The three init stds compared on MNIST (Fig. 6-15). */
const initMnistConcept: Concept = {
  formulas: initStdFormulas({ sigma: 'inits', n: 'hidden' }),
  lookFor: {
    en: 'With std 0.01 the loss stays near 2.3: the signals shrink layer by layer and the net does not learn at all. Xavier and He both learn, and with ReLU He learns faster, as the book shows.',
    'zh-CN':
      '标准差为 0.01 时损失停留在 2.3 附近：信号逐层变小，网络完全无法学习。Xavier 和 He 初始值都能顺利学习，使用 ReLU 时 He 初始值学习得更快，与书中的结果一致。',
  },
};

/** §6.2.4, Fig. 6-15: the same net and batches under three weight scales, trained with SGD. */
export const initMnist = defineExperiment({
  id: 'init-mnist',
  book: { section: '6.2.4', figure: 'Fig. 6-15', script: 'ch06/weight_init_compare.py' },
  text: {
    en: {
      title: 'Weight init on MNIST',
      summary:
        'The 5-layer ReLU net trained with SGD on the same MNIST mini-batches from std 0.01, Xavier and He weights; the training loss of every iteration is recorded.',
    },
    'zh-CN': {
      title: '基于 MNIST 数据集的权重初始值的比较',
      summary:
        '同一个 5 层 ReLU 神经网络分别以标准差 0.01、Xavier 和 He 初始值开始，用 SGD 在相同的 MNIST mini-batch 上学习，记录每次迭代的训练损失函数值。',
    },
  },
  params: initMnistParams,
  xLabel: 'iteration',
  runSlots: 'one',
  metrics: ['loss'],
  figures: ({ series, params }, ctx) => {
    const losses = inOrder(
      series.filter((s) => s.metric === 'loss'),
      [0.01, 'xavier', 'he'] as WeightInit[],
      (s) => s.key.init,
    );
    return [lossFigure(ctx, ctx.t('lossInitTitle'), losses, 2.5, params?.iterations)];
  },
  page: { trialsTable: false, pathStepper: false },
  concept: initMnistConcept,
  keyResults: ({ series }) => finalSmoothedLosses(series),
  claims: initClaims,
  textFigures: () => [],
  legacySeriesKey: legacyInitKey,
  network: (p) => mnistNetShape(p),
  memory: (p) =>
    sharedBatch(
      p,
      p.inits.map(() => plainNet(p.hidden, 'SGD', p.activation)),
      { param: 'inits', value: p.inits.length },
    ),
  goldenParams: { iterations: 40, batchSize: 32, hidden: [30, 20] },
});
