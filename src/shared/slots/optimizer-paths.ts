import { z } from 'zod';
import {
  type ChartDefinition,
  type ChartInteraction,
  type FigureContext,
  type FigureInput,
  inOrder,
} from '../charts/figures';
import { PATH_BOUNDS, optimizerPathsOption, traceOf } from '../charts/optimizer-paths';
import { countPoints } from '../charts/panels';
import { type OptimizerName, optimizerListParam, optimizerSpecWith } from '../optimizers';
import { seedParam } from '../params';
import type { SeriesId } from '../series';
import { legacyOptimizerKey } from './optimizers-mnist';
import { defineExperiment } from './slot';

/**
 * Default learning rates on the toy function: the book's for SGD, Momentum, AdaGrad and Adam (Fig. 6-8);
 * Nesterov takes Momentum's 0.1 so the two compare directly, and RMSprop 0.1 (decay 0.99), whose first
 * step is then 1 along both axes, like the others' at the book's rates.
 */
export const TOY_LEARNING_RATES = {
  SGD: 0.95,
  Momentum: 0.1,
  Nesterov: 0.1,
  AdaGrad: 1.5,
  RMSprop: 0.1,
  Adam: 0.3,
} as const;

const toyOptimizerSpec = optimizerSpecWith(TOY_LEARNING_RATES);
const coordinate = (book: number, label: string) => z.number().min(-100).max(100).default(book).meta({ label });

export const optimizerPathsParams = z
  .object({
    steps: z.int().min(1).max(10_000).default(30).meta({ label: 'update steps' }),
    startX: coordinate(-7, 'start x'),
    startY: coordinate(2, 'start y'),
    optimizers: optimizerListParam(toyOptimizerSpec, ['SGD', 'Momentum', 'AdaGrad', 'Adam']),
    /** Unused (the run is deterministic); kept so every experiment takes a seed. */
    seed: seedParam(),
  })
  .strict();
export type OptimizerPathsParams = z.output<typeof optimizerPathsParams>;

/** The toy function of Fig. 6-8 and its gradient. */
export const toyFunction = (x: number, y: number): number => x ** 2 / 20 + y ** 2;
export const toyGradient = (x: number, y: number): [number, number] => [x / 10, 2 * y];

/**
 * One entry of summary.trace[optimizer]: where the optimizer is after `step` updates, the gradient there, and
 * its state (Momentum's v, ...).
 */
export interface TraceStep {
  step: number;
  x: number;
  y: number;
  gradient: [number, number];
  /** Slot name -> [value for x, value for y]; empty at step 0, before the first update creates it. */
  state: Record<string, [number, number]>;
}

/** The path of `optimizer`, named after it: x and y are the positions, one point per step. */
export const optimizerPathSeries = (optimizer: OptimizerName): SeriesId => ({
  name: optimizer,
  metric: 'path',
  key: { optimizer },
});

/** The overlay of every path (click to pick a new start) and the book's panels, one per optimizer. */
function pathsFigures(
  { series, params, summary, draft }: FigureInput<OptimizerPathsParams>,
  ctx: FigureContext,
): ChartDefinition[] {
  const paths = inOrder(
    series.filter((s) => s.metric === 'path'),
    params?.optimizers.map((o) => o.name) ?? [],
    (s) => s.key.optimizer,
  );
  const trace = traceOf(summary);
  const first = paths[0];
  const shown = first ? [first.x[0], first.y[0]] : [params?.startX, params?.startY];
  const pendingStart: [number, number] | undefined =
    draft && (draft.startX !== shown[0] || draft.startY !== shown[1]) ? [draft.startX, draft.startY] : undefined;
  const pick: ChartInteraction = {
    kind: 'pick-point',
    x: PATH_BOUNDS.x,
    y: PATH_BOUNDS.y,
    params: { x: 'startX', y: 'startY' } satisfies Record<'x' | 'y', keyof OptimizerPathsParams>,
  };
  const make = (view: 'overlay' | 'panels', title: string, height: number): ChartDefinition => ({
    key: `paths-${view}`,
    title,
    option: optimizerPathsOption(paths, {
      t: ctx.t,
      view,
      height,
      trace,
      interactive: ctx.interactive,
      title: ctx.embed ? title : undefined,
      ...(view === 'overlay' && pendingStart ? { pendingStart } : {}),
    }),
    width: 900,
    height,
    points: countPoints(paths),
    series: paths,
    interaction: pick,
    drawsWithoutData: view === 'overlay',
  });
  const rows = paths.length <= 2 ? 1 : 2;
  return [make('overlay', ctx.t('paths.overlay'), 520), make('panels', ctx.t('paths.panels'), 120 + rows * 260)];
}

/** §6.1.7, Fig. 6-8: each update rule's path from the same start on f(x, y) = x²/20 + y². */
export const optimizerPaths = defineExperiment({
  id: 'optimizer-paths',
  book: { section: '6.1.7', figure: 'Fig. 6-8', script: 'ch06/optimizer_compare_naive.py' },
  text: {
    en: {
      title: 'Optimizer paths',
      summary:
        'SGD, Momentum, AdaGrad and Adam (and Nesterov, RMSprop) walk f(x, y) = x²/20 + y² from (-7, 2); each path is recorded with the gradient and the optimizer state at every step.',
    },
    'zh-CN': {
      title: '最优化方法的更新路径比较',
      summary:
        'SGD、Momentum、AdaGrad 和 Adam（以及 Nesterov、RMSprop）从 (-7, 2) 出发，在 f(x, y) = x²/20 + y² 上寻找最小值；记录每一步的位置、梯度和优化器的内部状态。',
    },
  },
  params: optimizerPathsParams,
  xLabel: 'step',
  metrics: ['path'],
  figures: pathsFigures,
  page: { trialsTable: false },
  keyResults: ({ series }) =>
    series.map((s) => {
      const [x, y] = [s.x.at(-1), s.y.at(-1)];
      return { label: `${s.name} f(x, y)`, value: x === undefined || y === undefined ? null : toyFunction(x, y) };
    }),
  textFigures: () => [],
  legacySeriesKey: legacyOptimizerKey,
});
