import type { ConceptFormula } from '../concept-formula';
import { heldOutImages, epochNets, firstImages, testImages } from '../memory-workloads';
import { OPTIMIZER_FORMULAS } from '../optimizers';
import { initStdFormulas } from './concepts';
import { batchNormConcept } from './batch-norm';
import { dropoutConcept } from './dropout';
import { type Concept, defineExperiment } from './slot';
import { weightDecayConcept } from './weight-decay';
import { workbenchChecks, workbenchKeyResults } from './workbench-checks';
import { workbenchFigures } from './workbench-figures';
import {
  type Recipe,
  type WorkbenchParams,
  epochsOf,
  splitSizes,
  updatesOf,
  workbenchParams,
} from './workbench-params';

export * from './workbench-params';

/** A formula as the workbench shows it: its symbols are tied to no form field (the variants hold them). */
const unlinked = (formula: ConceptFormula): ConceptFormula => ({ ...formula, symbols: [] });

/** The formulas of the parts the variants use: their update rules, inits, Batch Norm, dropout, weight decay. */
function composeFormulas(params: WorkbenchParams): ConceptFormula[] {
  const uses = (part: (v: Recipe) => boolean) => params.variants.some(part);
  const optimizers = [...new Set(params.variants.map((v) => v.optimizer.name))];
  const [normal, xavier, he] = initStdFormulas({});
  const inits = [
    ...(uses((v) => typeof v.init === 'number') ? [normal!] : []),
    ...(uses((v) => v.init === 'xavier') ? [xavier!] : []),
    ...(uses((v) => v.init === 'he') ? [he!] : []),
  ];
  return [
    ...optimizers.map((name) => OPTIMIZER_FORMULAS[name]),
    ...inits,
    ...(uses((v) => v.batchNorm) ? batchNormConcept.formulas : []),
    ...(uses((v) => v.dropoutRatio > 0) ? dropoutConcept.formulas : []),
    ...(uses((v) => v.lambda > 0) ? weightDecayConcept.formulas : []),
  ].map(unlinked);
}

const workbenchConcept: Concept<WorkbenchParams> = {
  formulas: composeFormulas(workbenchParams.parse({})),
  compose: composeFormulas,
  lookFor: {
    en: 'Every variant trains on the same mini-batches; with “same starting weights” they also start alike, so the curves differ only by their recipes. Each curve is the mean over the seeds and its band runs from the lowest to the highest seed: a difference smaller than the bands may be noise. The checks below say whether a net diverged, whether a variant overfits, and whether the best one’s lead is larger than the seeds’ spread.',
    'zh-CN':
      '所有变体都使用相同的 mini-batch；勾选“所有变体使用相同的初始权重”后它们的起点也相同，曲线的差别只来自各自的配置。每条曲线是各种子的平均，阴影带从最低的种子到最高的种子：比阴影带还小的差别可能只是噪声。下面的检查说明是否有网络发散、是否有变体过拟合，以及最好的变体的领先是否大于种子间的波动。',
  },
};

/** The learner's own comparison: up to eight recipes of the chapter's parts, each trained with several seeds. */
export const workbench = defineExperiment({
  id: 'workbench',
  book: { section: '6.1–6.5', figure: 'Fig. 6-9, 6-15, 6-20 to 6-23', script: 'ch06/ (the whole chapter)' },
  text: {
    en: {
      title: 'Your own comparison',
      summary:
        'Compose up to eight nets from the chapter’s parts (layers, activation, weight init, Batch Norm, dropout, weight decay, optimizer, learning-rate schedule) and train them on the same mini-batches, each with several seeds; the loss of every update and the train and test (or validation) accuracy of every epoch are recorded.',
    },
    'zh-CN': {
      title: '自己设计的对比实验',
      summary:
        '用本章的各个部分（层、激活函数、权重初始值、Batch Norm、Dropout、权值衰减、更新方法、学习率调度）组合出最多 8 个网络，在相同的 mini-batch 上学习，每个网络用多个随机种子重复；记录每次更新的损失函数值，以及每个 epoch 的训练精度和测试（或验证）精度。',
    },
  },
  params: workbenchParams,
  xLabel: 'epoch',
  runSlots: 'one',
  metrics: ['loss', 'train accuracy', 'test accuracy', 'validation accuracy'],
  figures: workbenchFigures,
  page: { trialsTable: false, pathStepper: false },
  concept: workbenchConcept,
  keyResults: ({ series }) => workbenchKeyResults(series),
  claims: workbenchChecks,
  claimSource: 'any run',
  textFigures: () => [],
  legacySeriesKey: () => ({}),
  // Each variant's card in the form draws its own net.
  network: () => null,
  memory: (p) => {
    const sizes = splitSizes(p);
    const epochs = epochsOf(p);
    const measured = p.evaluation !== 'none';
    const evaluation =
      p.evaluation === 'test'
        ? testImages(sizes.train)
        : heldOutImages(sizes.validation, sizes.train, { param: 'validationShare', value: p.validationShare });
    const workload = epochNets(
      { epochs, batchSize: p.batchSize, trainSize: sizes.train },
      {
        nets: p.variants.map((v) => ({
          hidden: v.hidden,
          activation: v.activation,
          batchNorm: v.batchNorm,
          dropout: v.dropoutRatio > 0,
          optimizer: v.optimizer.name,
        })),
        netCount: { param: 'variants', value: p.variants.length },
        shuffle: p.batchOrder === 'shuffle',
        train: firstImages(sizes.train),
        ...(measured ? { evaluation } : {}),
        seriesPerNet: measured ? 2 : 0,
      },
    );
    const lossPoints = p.variants.length * p.seeds * updatesOf(p);
    return {
      ...workload,
      repeats: p.seeds,
      runBatches: updatesOf(p),
      points: workload.points * p.seeds + lossPoints,
    };
  },
  goldenParams: {
    trainSize: 200,
    epochs: 2,
    batchSize: 50,
    seeds: 2,
    evaluation: 'validation',
    variants: [
      { name: 'plain', hidden: [30, 20] },
      {
        name: 'BN dropout Adam',
        hidden: [30, 20],
        batchNorm: true,
        dropoutRatio: 0.2,
        optimizer: 'Adam',
        lrSchedule: 'cosine',
      },
    ],
  },
});
