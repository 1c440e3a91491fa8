import { z } from 'zod';
import { inOrder, lossFigure } from '../charts/figures';
import { type WeightInit, bookMnistNetParams, initValueSchema, lrParam, seedParam } from '../params';
import type { SeriesId, SeriesKey } from '../series';
import { finalSmoothedLosses } from '../key-results';
import { defineExperiment } from './slot';

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
  metrics: ['loss'],
  figures: ({ series, params }, ctx) => {
    const losses = inOrder(
      series.filter((s) => s.metric === 'loss'),
      [0.01, 'xavier', 'he'] as WeightInit[],
      (s) => s.key.init,
    );
    return [lossFigure(ctx, ctx.t('lossInitTitle'), losses, 2.5, params?.iterations)];
  },
  page: { trialsTable: false },
  keyResults: ({ series }) => finalSmoothedLosses(series),
  textFigures: () => [],
  legacySeriesKey: legacyInitKey,
});
