import { z } from 'zod';
import { batchSizeParam, epochsParam, hiddenParam, seedParam, trainSizeParam } from '../params';
import type { TrialHyperparameters } from '../book-format';
import { type ChartDefinition, type FigureContext, type FigureInput, accuracyFigure } from '../charts/figures';
import { bestTrialPanels, bookTrialLine, searchScatterOption, trialRows } from '../charts/search';
import type { RunRecord } from '../runs';
import { type SeriesId, type SeriesKey, accuracyMetric } from '../series';
import { defineExperiment } from './slot';

/** One end of a log-uniform sampling range (the search draws 10^U(log10 min, log10 max)). */
const rangeEnd = (book: number, max: number, label: string) => z.number().gt(0).max(max).default(book).meta({ label });

export const hyperparameterSearchParams = z
  .object({
    trials: z.int().min(1).max(1000).default(100).meta({ label: 'trials' }),
    epochs: epochsParam(50),
    trainSize: trainSizeParam(500),
    validationSplit: z.number().gt(0).lt(1).default(0.2).meta({ label: 'validation share of the training images' }),
    batchSize: batchSizeParam(100),
    hidden: hiddenParam([100, 100, 100, 100, 100, 100]),
    lrMin: rangeEnd(1e-6, 100, 'lowest learning rate'),
    lrMax: rangeEnd(1e-2, 100, 'highest learning rate'),
    weightDecayMin: rangeEnd(1e-8, 10, 'lowest weight decay'),
    weightDecayMax: rangeEnd(1e-4, 10, 'highest weight decay'),
    seed: seedParam(),
  })
  .strict()
  .superRefine((params, ctx) => {
    for (const name of ['lr', 'weightDecay'] as const) {
      const [min, max] = [params[`${name}Min`], params[`${name}Max`]];
      if (min >= max)
        ctx.addIssue({
          code: 'custom',
          path: [`${name}Min`],
          message: `${name}Min (${min}) must be below ${name}Max (${max})`,
        });
    }
    const { validation, train } = validationSplitSizes(params.trainSize, params.validationSplit);
    if (validation < 1 || train < 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['validationSplit'],
        message: `${params.validationSplit} of ${params.trainSize} images leaves ${validation} for validation and ${train} for training; both need at least 1`,
      });
    }
  });
export type HyperparameterSearchParams = z.output<typeof hyperparameterSearchParams>;

/** The book's split: int(trainSize * validationSplit) images for validation, the rest for training. */
export function validationSplitSizes(
  trainSize: number,
  validationSplit: number,
): { validation: number; train: number } {
  const validation = Math.floor(trainSize * validationSplit);
  return { validation, train: trainSize - validation };
}

/**
 * Trial k's (1-based) accuracy per epoch, `trial 7 train` / `trial 7 validation`; the key holds the trial's
 * sampled values.
 */
export const trialSeries = (
  trial: number,
  split: 'train' | 'validation',
  { lr, weightDecay }: TrialHyperparameters,
): SeriesId => ({
  name: `trial ${trial} ${split}`,
  metric: accuracyMetric(split),
  key: { trial, split, lr, weightDecay },
});

/** The log line that names a trial's sampled values as it starts: `trial 7 | lr:0.009234, weight decay:3.81e-7`. */
export const trialStartLine = (trial: number, { lr, weightDecay }: TrialHyperparameters): string =>
  `trial ${trial} | lr:${lr}, weight decay:${weightDecay}`;

/**
 * A format-1 series, `trial 7 validation`: its sampled values come from the summary's trials, when the run
 * got that far.
 */
function legacyTrialKey(name: string, _params: unknown, summary: Record<string, unknown>): SeriesKey {
  const match = /^trial (\d+) (train|validation)$/.exec(name);
  if (!match) return {};
  const trial = Number(match[1]);
  const trials = Array.isArray(summary.trials)
    ? (summary.trials as { trial?: unknown; lr?: unknown; weightDecay?: unknown }[])
    : [];
  const sampled = trials.find((t) => t?.trial === trial);
  return {
    trial,
    split: match[2] as 'train' | 'validation',
    ...(typeof sampled?.lr === 'number' ? { lr: sampled.lr } : {}),
    ...(typeof sampled?.weightDecay === 'number' ? { weightDecay: sampled.weightDecay } : {}),
  };
}

const BEST_COUNT = 20;

/**
 * The scatter of lr × weight decay coloured by validation accuracy (brush to search again there) and the best
 * trials' curves.
 */
function searchFigures(
  { series, summary, params }: FigureInput<HyperparameterSearchParams>,
  ctx: FigureContext,
): ChartDefinition[] {
  const rows = trialRows(series, summary);
  const scatterTitle = ctx.t('search.scatter');
  const bestCount = Math.min(BEST_COUNT, rows.length);
  const bestTitle = ctx.t('search.best', { n: bestCount || BEST_COUNT });
  const panels = bestTrialPanels(rows, BEST_COUNT, ctx.t);
  const gridRows = Math.max(1, Math.ceil(panels.length / 5));
  return [
    {
      key: 'search-scatter',
      title: scatterTitle,
      option: searchScatterOption(rows, {
        t: ctx.t,
        title: ctx.embed ? scatterTitle : undefined,
        interactive: ctx.interactive,
        ...(params
          ? {
              lr: { min: params.lrMin, max: params.lrMax },
              weightDecay: { min: params.weightDecayMin, max: params.weightDecayMax },
            }
          : {}),
      }),
      width: 800,
      height: 480,
      points: rows.filter(
        (r) => r.lr !== undefined && r.weightDecay !== undefined && r.validationAccuracy !== undefined,
      ).length,
      interaction: {
        kind: 'brush-region',
        params: { x: ['lrMin', 'lrMax'], y: ['weightDecayMin', 'weightDecayMax'] } satisfies Record<
          'x' | 'y',
          [keyof HyperparameterSearchParams, keyof HyperparameterSearchParams]
        >,
      },
    },
    accuracyFigure(ctx, {
      key: 'search-best',
      title: bestTitle,
      panels,
      layout: { cols: 5, bottom: 44, left: 6, right: 2, gapX: 2.5, gapY: 36 },
      legend: [ctx.t('search.validation'), ctx.t('search.train')],
      dashed: true,
      width: 1000,
      height: 100 + gridRows * 150,
      epochs: params?.epochs,
    }),
  ];
}

/** The book's printed ranking, `Best-1(val acc:0.83) | lr:0.0092, weight decay:3.8e-07`, one line per trial. */
const rankingTable = (record: RunRecord) => [
  { suffix: 'table', lines: trialRows(record.series, record.summary).map((row, i) => bookTrialLine(i + 1, row)) },
];

/** §6.5.3, Fig. 6-24: random search of learning rate and weight decay, judged on validation images. */
export const hyperparameterSearch = defineExperiment({
  id: 'hyperparameter-search',
  book: { section: '6.5.3', figure: 'Fig. 6-24', script: 'ch06/hyperparameter_optimization.py' },
  text: {
    en: {
      title: 'Hyper-parameter search',
      summary:
        'Each of 100 trials samples a learning rate in 1e-6..1e-2 and a weight decay in 1e-8..1e-4 (log-uniform) and trains a 7-layer ReLU net with SGD for 50 epochs on 400 of the first 500 MNIST training images; the other 100 are the validation set. Trials are ranked by their final validation accuracy.',
    },
    'zh-CN': {
      title: '超参数的最优化',
      summary:
        '100 次试验各自从 1e-6..1e-2 中抽取学习率、从 1e-8..1e-4 中抽取权值衰减系数（对数尺度上均匀分布），用 SGD 在 MNIST 前 500 张训练图像中的 400 张上训练 7 层 ReLU 神经网络 50 个 epoch，其余 100 张作为验证数据。按最终验证数据的识别精度给试验排序。',
    },
  },
  params: hyperparameterSearchParams,
  xLabel: 'epoch',
  metrics: ['train accuracy', 'validation accuracy'],
  figures: searchFigures,
  page: { trialsTable: true },
  keyResults: ({ series, summary }) => {
    const best = trialRows(series, summary)[0];
    return [
      { label: 'Best-1 val acc', value: best?.validationAccuracy ?? null },
      { label: 'Best-1 lr', value: best?.lr ?? null },
      { label: 'Best-1 weight decay', value: best?.weightDecay ?? null },
    ];
  },
  textFigures: rankingTable,
  legacySeriesKey: legacyTrialKey,
});
