import { z } from 'zod';
import { insideEveryParam } from '../inside';
import { lrScheduleParams } from '../lr-schedule';
import { batchSizeParam, epochsParam, hiddenParam, seedParam, trainSizeParam } from '../params';
import { type TrialHyperparameters, alsoSuffix } from '../book-format';
import {
  SEARCHABLE_NAMES,
  heaviestValues,
  searchRangeProblems,
  searchRangeSchema,
  searchedHidden,
} from '../searchable';
import { type ChartDefinition, type FigureContext, type FigureInput, accuracyFigure } from '../charts/figures';
import { bestTrialPanels, bookTrialLine, searchScatterOption, trialRows } from '../charts/search';
import type { RunRecord } from '../runs';
import { type SeriesId, type SeriesKey, accuracyMetric } from '../series';
import { fixed, inBoth, verdict } from '../claims';
import type { MemoryFactor } from '../memory-model';
import { epochNets, heldOutImages, plainNet } from '../memory-workloads';
import { mnistNetShape } from '../network-shape';
import { type Claim, defineExperiment, type Concept } from './slot';

/** One end of a log-uniform sampling range (the search draws 10^U(log10 min, log10 max)). */
const rangeEnd = (book: number, max: number, label: string) => z.number().gt(0).max(max).default(book).meta({ label });

/**
 * How trials are chosen: the book's random draws, a grid over both ranges, or TPE (Bayesian
 * optimisation, which proposes later trials from the results of earlier ones).
 */
export const SAMPLERS = ['random', 'grid', 'tpe'] as const;
export type SamplerName = (typeof SAMPLERS)[number];

/** 'median': stop a trial after an epoch whose validation accuracy is below the median of earlier rounds' trials. */
export const PRUNERS = ['none', 'median'] as const;

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
    sampler: z.enum(SAMPLERS).default('random').meta({ label: 'sampler' }),
    searchAlso: z
      .array(searchRangeSchema)
      .max(SEARCHABLE_NAMES.length)
      .default([])
      .meta({ label: 'more parameters to search (log, linear or choice ranges)' }),
    pruning: z.enum(PRUNERS).default('none').meta({ label: 'prune trials that fall behind' }),
    ...lrScheduleParams(50),
    insideEvery: insideEveryParam(),
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
    for (const { index, message } of searchRangeProblems(params.searchAlso))
      ctx.addIssue({ code: 'custom', path: ['searchAlso', index], message });
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
  { lr, weightDecay, also }: TrialHyperparameters,
): SeriesId => ({
  name: `trial ${trial} ${split}`,
  metric: accuracyMetric(split),
  key: { trial, split, lr, weightDecay, ...also },
});

/** The log line that names a trial's sampled values as it starts: `trial 7 | lr:0.009234, weight decay:3.81e-7`. */
export const trialStartLine = (trial: number, { lr, weightDecay, also }: TrialHyperparameters): string =>
  `trial ${trial} | lr:${lr}, weight decay:${weightDecay}${alsoSuffix(also)}`;

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

/** The heaviest net the search's ranges allow (`searchAlso`), for its memory estimate. */
function heaviestNet(p: HyperparameterSearchParams) {
  const also = heaviestValues(p.searchAlso);
  return {
    ...plainNet(searchedHidden(p.hidden, also), also.optimizer ?? 'SGD', also.activation ?? 'relu'),
    batchNorm: also.batchNorm ?? false,
    dropout: (also.dropoutRatio ?? 0) > 0,
  };
}

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

/** The best trials the claim looks at, and the lr they all should exceed. */
const TOP = 5;
const GOOD_LR = 1e-3;
/** Trials below this lr learn too slowly to leave chance in 50 epochs: validation accuracy below NEAR_CHANCE. */
const TINY_LR = 1e-5;
const NEAR_CHANCE = 0.25;

const lrText = (lr: number) => lr.toExponential(1);

/** Fig. 6-24's claims on the trials ranked by validation accuracy; null until enough trials have ended. */
const searchClaims: Claim<HyperparameterSearchParams>[] = [
  {
    id: 'best-lr-high',
    text: inBoth(
      `The best trials have a high learning rate: the top ${TOP} by validation accuracy all have lr above ${lrText(GOOD_LR)}`,
      `最好的试验学习率都较大：验证数据识别精度最高的 ${TOP} 次试验的学习率都大于 ${lrText(GOOD_LR)}`,
    ),
    check: ({ series, summary }) => {
      const rows = trialRows(series, summary).filter((r) => r.lr !== undefined && r.validationAccuracy !== undefined);
      if (rows.length < 2 * TOP) return null;
      const top = rows.slice(0, TOP);
      const list = top.map((r) => `${fixed(r.validationAccuracy!)} @ lr ${lrText(r.lr!)}`);
      return verdict(
        top.every((r) => r.lr! > GOOD_LR),
        `top ${TOP} of ${rows.length} trials (val acc @ lr): ${list.join(', ')}`,
        `${rows.length} 次试验中的前 ${TOP} 名（验证精度 @ 学习率）：${list.join('，')}`,
      );
    },
  },
  {
    id: 'tiny-lr-chance',
    text: inBoth(
      `Trials with a tiny learning rate (below ${lrText(TINY_LR)}) stay near chance (validation accuracy below ${NEAR_CHANCE})`,
      `学习率很小（小于 ${lrText(TINY_LR)}）的试验停留在随机猜测的水平（验证数据识别精度低于 ${NEAR_CHANCE}）`,
    ),
    check: ({ series, summary }) => {
      const tiny = trialRows(series, summary).filter(
        (r) => r.lr !== undefined && r.lr < TINY_LR && r.validationAccuracy !== undefined && r.epochs >= 1,
      );
      if (tiny.length === 0) return null;
      const best = Math.max(...tiny.map((r) => r.validationAccuracy!));
      return verdict(
        best < NEAR_CHANCE,
        `${tiny.length} trials with lr below ${lrText(TINY_LR)}; their best validation accuracy ${fixed(best)}`,
        `学习率小于 ${lrText(TINY_LR)} 的试验有 ${tiny.length} 次；其中最高的验证数据识别精度为 ${fixed(best)}`,
      );
    },
  },
];

/** The four steps of §6.5.3 (the book numbers them from 0) and the log-uniform sampling of a trial. */
const hyperparameterSearchConcept: Concept = {
  formulas: [
    {
      tex: String.raw`\eta = 10^{u}, \quad u \sim U\!\left(\log_{10}\eta_{\min},\ \log_{10}\eta_{\max}\right)`,
      caption: {
        en: 'Each trial samples the learning rate at random on a log scale (uniform in the exponent) within its range.',
        'zh-CN': '每次试验在设定的范围内以对数尺度（指数均匀分布）随机采样学习率。',
      },
      symbols: [
        { symbol: String.raw`\eta_{\min}`, param: 'lrMin' },
        { symbol: String.raw`\eta_{\max}`, param: 'lrMax' },
      ],
    },
    {
      tex: String.raw`\lambda = 10^{u}, \quad u \sim U\!\left(\log_{10}\lambda_{\min},\ \log_{10}\lambda_{\max}\right)`,
      caption: {
        en: 'The weight-decay coefficient λ is sampled the same way, independently.',
        'zh-CN': '权值衰减系数 λ 也用同样的方法独立采样。',
      },
      symbols: [
        { symbol: String.raw`\lambda_{\min}`, param: 'weightDecayMin' },
        { symbol: String.raw`\lambda_{\max}`, param: 'weightDecayMax' },
      ],
    },
  ],
  lookFor: {
    en: 'Trials are ranked by validation accuracy, never test accuracy: the validation images are split off the training data. In the book the best trials have a learning rate around 0.001 to 0.01 and weight decay around 1e-8 to 1e-6. Brush that region on the scatter to search again inside it.',
    'zh-CN':
      '按验证数据（而不是测试数据）的识别精度给试验排序：验证数据是从训练数据中分割出来的。书中识别精度高的试验，学习率在 0.001 到 0.01 之间，权值衰减系数在 1e-8 到 1e-6 之间。在散点图上框选这一区域，即可在其中再次搜索。',
  },
  steps: [
    {
      n: 0,
      when: 'idle',
      text: { en: 'Set the range of the hyper-parameters.', 'zh-CN': '设定超参数的范围。' },
    },
    {
      n: 1,
      when: 'running',
      text: {
        en: 'Sample the hyper-parameters at random from that range.',
        'zh-CN': '从设定的超参数范围中随机采样。',
      },
    },
    {
      n: 2,
      when: 'running',
      text: {
        en: 'Train with the sampled values and evaluate the accuracy on the validation data (with few epochs).',
        'zh-CN': '使用步骤 1 中采样到的超参数的值进行学习，通过验证数据评估识别精度（但是要将 epoch 设置得很小）。',
      },
    },
    {
      n: 3,
      when: 'ended',
      text: {
        en: 'Repeat steps 1 and 2 (100 times or so) and narrow the range by the accuracies: brush a region on the scatter to search again in it.',
        'zh-CN':
          '重复步骤 1 和步骤 2（100 次等），根据它们的识别精度的结果，缩小超参数的范围：在散点图上框选区域，在其中再次搜索。',
      },
    },
    {
      n: 4,
      when: 'ended',
      text: {
        en: 'Evaluate the chosen hyper-parameters on the test data, once, at the very end: open the run in History for step 4.',
        'zh-CN': '最后只用一次测试数据评估选定的超参数：在历史记录中打开这次运行，进行步骤 4。',
      },
    },
  ],
};

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
  runSlots: 'all',
  metrics: ['train accuracy', 'validation accuracy'],
  figures: searchFigures,
  page: { trialsTable: true, pathStepper: false },
  concept: hyperparameterSearchConcept,
  keyResults: ({ series, summary }) => {
    const best = trialRows(series, summary)[0];
    return [
      { label: 'Best-1 val acc', value: best?.validationAccuracy ?? null },
      { label: 'Best-1 lr', value: best?.lr ?? null },
      { label: 'Best-1 weight decay', value: best?.weightDecay ?? null },
    ];
  },
  claims: searchClaims,
  textFigures: rankingTable,
  legacySeriesKey: legacyTrialKey,
  network: (p) => mnistNetShape({ hidden: p.hidden, activation: 'relu' }),
  memory: (p) => {
    const sizes = validationSplitSizes(p.trainSize, p.validationSplit);
    const trainSize: MemoryFactor = { param: 'trainSize', value: p.trainSize };
    return epochNets(
      { ...p, trainSize: sizes.train },
      {
        nets: Array.from({ length: p.trials }, () => heaviestNet(p)),
        netCount: { param: 'trials', value: p.trials },
        shuffle: true,
        train: { rows: sizes.train, factor: trainSize, copied: true },
        // The validation images are training images too.
        evaluation: heldOutImages(sizes.validation, sizes.train, trainSize),
        // engine/experiments/hyperparameter-search.ts TRIALS_SIDE_BY_SIDE.
        groupSize: 5,
        seriesPerNet: 2,
      },
    );
  },
  goldenParams: { trials: 4, epochs: 2, trainSize: 100, hidden: [30, 20] },
});
