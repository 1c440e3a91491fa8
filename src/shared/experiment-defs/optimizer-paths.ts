import { z } from 'zod';
import { optimizerListParam, optimizerSpecWith } from '../optimizers';
import { seedParam } from '../params';
import type { ExperimentDefinition } from './definition';

/**
 * Default learning rates on the toy function: the book's for SGD, Momentum, AdaGrad and Adam (Fig. 6-8);
 * Nesterov takes Momentum's 0.1 so the two compare directly, and RMSprop 0.1 (decay 0.99), whose first
 * step is then 1 along both axes, like the others' at the book's rates.
 */
export const TOY_LEARNING_RATES = { SGD: 0.95, Momentum: 0.1, Nesterov: 0.1, AdaGrad: 1.5, RMSprop: 0.1, Adam: 0.3 } as const;

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

/** One entry of summary.trace[optimizer]: where the optimizer is after `step` updates, the gradient there, and its state (Momentum's v, ...). */
export interface TraceStep {
  step: number;
  x: number;
  y: number;
  gradient: [number, number];
  /** Slot name -> [value for x, value for y]; empty at step 0, before the first update creates it. */
  state: Record<string, [number, number]>;
}

/** §1, Fig. 6-8: each update rule's path from the same start on f(x, y) = x²/20 + y². */
export const optimizerPaths = {
  id: 'optimizer-paths',
  title: 'Optimizer paths',
  figure: 'Fig. 6-8',
  summary:
    'SGD, Momentum, AdaGrad and Adam (and Nesterov, RMSprop) walk f(x, y) = x²/20 + y² from (-7, 2); each path is recorded with the gradient and the optimizer state at every step.',
  params: optimizerPathsParams,
  xLabel: 'step',
  metrics: ['path'],
} as const satisfies ExperimentDefinition;
