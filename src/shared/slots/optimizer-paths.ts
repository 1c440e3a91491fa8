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
import {
  OPTIMIZER_FORMULAS,
  OPTIMIZER_NAMES,
  type OptimizerName,
  TOY_LEARNING_RATES,
  optimizerListParam,
  optimizerSpecWith,
} from '../optimizers';
import { seedParam } from '../params';
import { count, fixed, inBoth, verdict } from '../claims';
import type { Series } from '../runs';
import type { SeriesId } from '../series';
import { legacyOptimizerKey } from './optimizers-mnist';
import { type Claim, defineExperiment, type Concept } from './slot';

/** Each optimizer at its learning rate on the toy function (its descriptor's `toyLr`), else its defaults. */
const toyOptimizerSpec = optimizerSpecWith(TOY_LEARNING_RATES);
/** The book's four paths (Fig. 6-8); the others can be ticked. */
const BOOK_PATHS: readonly OptimizerName[] = ['SGD', 'Momentum', 'AdaGrad', 'Adam'];
const otherPaths = OPTIMIZER_NAMES.filter((name) => !BOOK_PATHS.includes(name));
const coordinate = (book: number, label: string) => z.number().min(-100).max(100).default(book).meta({ label });

export const optimizerPathsParams = z
  .object({
    steps: z.int().min(1).max(10_000).default(30).meta({ label: 'update steps' }),
    startX: coordinate(-7, 'start x'),
    startY: coordinate(2, 'start y'),
    optimizers: optimizerListParam(toyOptimizerSpec, BOOK_PATHS),
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
      ...(ctx.pathStep === undefined ? {} : { step: ctx.pathStep }),
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

/** How often a path turns back along y: the sign changes of its y steps (SGD's zig-zag). */
export function yTurns(path: Series): number {
  let turns = 0;
  let last = 0;
  for (let i = 1; i < path.y.length; i++) {
    const step = Math.sign(path.y[i]! - path.y[i - 1]!);
    if (step !== 0 && last !== 0 && step !== last) turns++;
    if (step !== 0) last = step;
  }
  return turns;
}

/** The distance from a path's last point to the minimum (0, 0). */
const endDistance = (path: Series): number => Math.hypot(path.x.at(-1)!, path.y.at(-1)!);

/** The length of a path: the sum of its steps' lengths. */
export function pathLength(path: Series): number {
  let length = 0;
  for (let i = 1; i < path.x.length; i++)
    length += Math.hypot(path.x[i]! - path.x[i - 1]!, path.y[i]! - path.y[i - 1]!);
  return length;
}

const paths = (series: readonly Series[]) => series.filter((s) => s.metric === 'path' && s.y.length >= 3);
const pathOf = (series: readonly Series[], optimizer: OptimizerName) =>
  paths(series).find((s) => s.key.optimizer === optimizer);

const pathClaims: Claim<OptimizerPathsParams>[] = [
  {
    id: 'sgd-zigzags',
    text: inBoth(
      'SGD zig-zags: its path turns back along y more often than any other',
      'SGD 呈“之”字形移动：它的路径在 y 方向上折返的次数比其他方法都多',
    ),
    check: ({ series }) => {
      const sgd = pathOf(series, 'SGD');
      const others = paths(series).filter((s) => s !== sgd && s.key.optimizer !== undefined);
      if (!sgd || others.length === 0) return null;
      const turns = (s: Series) => `${s.key.optimizer} ${yTurns(s)}`;
      const steps = sgd.y.length - 1;
      return verdict(
        others.every((s) => yTurns(s) < yTurns(sgd)) && yTurns(sgd) >= steps / 2,
        `turns along y in ${count(steps)} steps: ${[sgd, ...others].map(turns).join(', ')}`,
        `${count(steps)} 步中 y 方向的折返次数：${[sgd, ...others].map(turns).join('，')}`,
      );
    },
  },
  {
    id: 'sgd-longest-path',
    text: inBoth(
      'SGD walks the longest way: its zig-zag makes its path longer than any other',
      'SGD 走的路最长：“之”字形的移动使它的路径比其他方法都长',
    ),
    check: ({ series }) => {
      const sgd = pathOf(series, 'SGD');
      const others = paths(series).filter((s) => s !== sgd && s.key.optimizer !== undefined);
      if (!sgd || others.length === 0) return null;
      const list = [sgd, ...others].map((s) => `${s.key.optimizer} ${fixed(pathLength(s), 1)}`);
      return verdict(
        others.every((s) => pathLength(s) < pathLength(sgd)),
        `path length in ${count(sgd.y.length - 1)} steps: ${list.join(', ')}`,
        `${count(sgd.y.length - 1)} 步的路径长度：${list.join('，')}`,
      );
    },
  },
  {
    id: 'adaptive-end-nearer',
    text: inBoth(
      'AdaGrad and Adam end nearer the minimum (0, 0) than SGD',
      'AdaGrad 和 Adam 最后比 SGD 更接近最小值 (0, 0)',
    ),
    check: ({ series }) => {
      const sgd = pathOf(series, 'SGD');
      const adaptive = (['AdaGrad', 'Adam'] as const).flatMap((name) => pathOf(series, name) ?? []);
      if (!sgd || adaptive.length === 0) return null;
      const list = [sgd, ...adaptive].map((s) => `${s.key.optimizer} ${fixed(endDistance(s))}`);
      return verdict(
        adaptive.every((s) => endDistance(s) < endDistance(sgd)),
        `distance to (0, 0) after ${count(sgd.y.length - 1)} steps: ${list.join(', ')}`,
        `${count(sgd.y.length - 1)} 步后到 (0, 0) 的距离：${list.join('，')}`,
      );
    },
  },
];

/** The update rules of §6.1 as the engine computes them, and what Fig. 6-8 shows of them. */
const optimizerPathsConcept: Concept = {
  formulas: [
    {
      tex: String.raw`f(x, y) = \frac{1}{20}x^2 + y^2`,
      caption: {
        en: 'The toy function of §6.1.2: a long valley along x, steep along y; its minimum is at (0, 0).',
        'zh-CN': '§6.1.2 的示例函数：沿 x 轴方向平缓、沿 y 轴方向陡峭的“碗”，最小值在 (0, 0)。',
      },
      symbols: [
        { symbol: 'x_0', param: 'startX' },
        { symbol: 'y_0', param: 'startY' },
      ],
    },
    ...Object.values(OPTIMIZER_FORMULAS),
  ],
  lookFor: {
    en: 'SGD zig-zags across the steep y direction and crawls along the flat x direction, because the gradient does not point at the minimum. Momentum rolls like a ball in a bowl: its x steps build up speed while its y steps cancel out; AdaGrad shrinks its y steps quickly; Adam moves like Momentum with less sway. Click the contour to start every path from another point.',
    'zh-CN':
      'SGD 在陡峭的 y 方向上呈“之”字形来回移动，在平缓的 x 方向上前进缓慢，因为梯度并不指向最小值。Momentum 像小球在碗中滚动：x 方向上不断加速，y 方向上的力相互抵消；AdaGrad 很快减小 y 方向的步长；Adam 像 Momentum 一样移动，但左右摇晃的程度更小。点击等高线图可以从另一个起点重新出发。',
  },
};

/** A recorded step of a path (position, gradient, optimizer state), in the summary and its JSON. */
const TRACE_STEP_BYTES = 512;

/** §6.1.7, Fig. 6-8: each update rule's path from the same start on f(x, y) = x²/20 + y². */
export const optimizerPaths = defineExperiment({
  id: 'optimizer-paths',
  book: { section: '6.1.7', figure: 'Fig. 6-8', script: 'ch06/optimizer_compare_naive.py' },
  text: {
    en: {
      title: 'Optimizer paths',
      summary: `SGD, Momentum, AdaGrad and Adam (and ${otherPaths.join(', ')}) walk f(x, y) = x²/20 + y² from (-7, 2); each path is recorded with the gradient and the optimizer state at every step.`,
    },
    'zh-CN': {
      title: '最优化方法的更新路径比较',
      summary: `SGD、Momentum、AdaGrad 和 Adam（以及 ${otherPaths.join('、')}）从 (-7, 2) 出发，在 f(x, y) = x²/20 + y² 上寻找最小值；记录每一步的位置、梯度和优化器的内部状态。`,
    },
  },
  params: optimizerPathsParams,
  xLabel: 'step',
  runSlots: 'one',
  metrics: ['path'],
  figures: pathsFigures,
  page: { trialsTable: false, pathStepper: true },
  concept: optimizerPathsConcept,
  keyResults: ({ series }) =>
    series.map((s) => {
      const last = s.x.findLastIndex((x, k) => Number.isFinite(x) && Number.isFinite(s.y[k]));
      return { label: `${s.name} f(x, y)`, value: last < 0 ? null : toyFunction(s.x[last]!, s.y[last]!) };
    }),
  claims: pathClaims,
  textFigures: () => [],
  legacySeriesKey: legacyOptimizerKey,
  // The toy function trains no net: Fig. 6-16 has nothing to draw.
  network: () => null,
  // Plain JS in the worker's own thread: every path's recorded steps.
  memory: (p) => ({
    kind: 'direct',
    parts: [
      {
        kind: 'arrays',
        place: 'js',
        bytes: p.optimizers.length * (p.steps + 1) * TRACE_STEP_BYTES,
        factors: [
          { param: 'steps', value: p.steps },
          { param: 'optimizers', value: p.optimizers.length },
        ],
      },
    ],
    points: p.optimizers.length * (p.steps + 1),
    length: { param: 'steps', value: p.steps },
  }),
  goldenParams: { steps: 30, optimizers: ['SGD', 'Momentum', 'Nesterov', 'AdaGrad', 'RMSprop', 'Adam'] },
});
