// Reproduces the book's ch06/optimizer_compare_naive.py (§6.1.7, Fig. 6-8): each optimizer's path on
// f(x, y) = x²/20 + y².
import {
  type OptimizerPathsParams,
  type TraceStep,
  optimizerPathSeries,
  toyFunction,
  toyGradient,
} from '../../shared/slots/optimizer-paths';
import type { OptimizerSpec } from '../../shared/optimizers';
import type { SeriesId } from '../../shared/series';
import { type Optimizer, createOptimizer } from '../optim';
import { Yielder } from '../yielder';
import type { ExperimentContext, ExperimentModule, ExperimentResult } from './context';

/** One optimizer walking the toy function: the real optimizer class on params {x, y}, in float64 as in the book. */
class Walker {
  readonly series: SeriesId;
  readonly trace: TraceStep[] = [];
  private readonly optimizer: Optimizer;
  private readonly position: { x: Float64Array; y: Float64Array };

  constructor(spec: OptimizerSpec, startX: number, startY: number) {
    this.series = optimizerPathSeries(spec.name);
    this.optimizer = createOptimizer(spec);
    this.position = { x: Float64Array.of(startX), y: Float64Array.of(startY) };
    this.record(0);
  }

  get last(): TraceStep {
    return this.trace.at(-1)!;
  }

  /** One update with the gradient at the current position; false when the position is no longer finite. */
  step(step: number): boolean {
    const [gx, gy] = this.last.gradient;
    this.optimizer.update(this.position, { x: Float64Array.of(gx), y: Float64Array.of(gy) });
    if (!Number.isFinite(this.position.x[0]!) || !Number.isFinite(this.position.y[0]!)) return false;
    this.record(step);
    return true;
  }

  private record(step: number): void {
    const x = this.position.x[0]!;
    const y = this.position.y[0]!;
    const state = Object.fromEntries(
      Object.entries(this.optimizer.state()).map(([slot, values]): [string, [number, number]] => [
        slot,
        [values.x![0]!, values.y![0]!],
      ]),
    );
    this.trace.push({ step, x, y, gradient: toyGradient(x, y), state });
  }
}

async function run(params: OptimizerPathsParams, context: ExperimentContext): Promise<ExperimentResult> {
  const { reporter, signal } = context;
  const walkers = params.optimizers.map((spec) => new Walker(spec, params.startX, params.startY));
  const plot = (walker: Walker) => reporter.point(walker.series, walker.last.x, walker.last.y);
  walkers.forEach(plot);
  const yielder = new Yielder();
  for (let step = 1; step <= params.steps && !signal.aborted; step++) {
    for (const walker of walkers) {
      if (reporter.isDiverged(walker.series)) continue;
      if (walker.step(step)) {
        plot(walker);
      } else {
        reporter.log(
          `${walker.series.name}: the position became infinite or NaN at step ${step}; this path stops there`,
        );
        reporter.diverged(walker.series, step);
      }
    }
    reporter.advance(step);
    await yielder.maybeYield();
  }

  const final: Record<string, unknown> = {};
  const trace: Record<string, TraceStep[]> = {};
  for (const walker of walkers) {
    const { step, x, y } = walker.last;
    final[walker.series.name] = { steps: step, x, y, value: toyFunction(x, y) };
    trace[walker.series.name] = walker.trace;
    reporter.log(
      `${walker.series.name}: (${x.toFixed(4)}, ${y.toFixed(4)}) after ${step} steps, f = ${toyFunction(x, y).toExponential(3)}`,
    );
  }
  return { summary: { final, trace } };
}

export const optimizerPaths: ExperimentModule<OptimizerPathsParams> = {
  run,
  totalSteps: (params) => params.steps,
};
