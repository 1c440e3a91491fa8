import type { OptimizersMnistParams } from '../../shared/experiments';
import { smoothCurve } from '../../shared/smooth';
import type { ExperimentContext, ExperimentResult } from './context';
import { MemberProgress, runMembers } from './members';
import type { ExperimentModule } from './registry';

async function run(
  params: OptimizersMnistParams,
  context: ExperimentContext,
): Promise<ExperimentResult> {
  const names = params.optimizers.map((o) => o.name);
  const { reporter } = context;
  names.forEach((name) => reporter.declare(name, 'loss'));
  const logEvery = 100;
  const progress = new MemberProgress(names.length);
  const job = {
    iterations: params.iterations,
    batchSize: params.batchSize,
    seed: params.seed,
    members: params.optimizers.map((optimizer) => ({
      hidden: params.hidden,
      activation: params.activation,
      init: params.init,
      lambda: params.lambda,
      optimizer,
    })),
  };
  await runMembers(context, { kind: 'shared-batch-nets', job }, names.length, ({ member, step, value }) => {
    const name = names[member]!;
    if (reporter.isDiverged(name)) return;
    if (!Number.isFinite(value)) {
      reporter.log(`${name}: loss became ${value} at iteration ${step}; this series stops there`);
      reporter.diverged(name, step);
      reporter.advance(progress.done(member, params.iterations - 1));
      return;
    }
    reporter.point(name, 'loss', step, value);
    reporter.advance(progress.done(member, step));
    if (step % logEvery === 0) reporter.log(`iteration ${step}  ${name}: ${value.toFixed(4)}`);
  });

  const summary: Record<string, unknown> = {};
  for (const series of reporter.allSeries()) {
    const smoothed = smoothCurve(series.y);
    summary[series.name] = {
      finalLoss: series.y.at(-1) ?? null,
      finalSmoothedLoss: smoothed.at(-1) ?? null,
      iterations: series.y.length,
      ...(series.divergedAt !== undefined ? { divergedAt: series.divergedAt } : {}),
    };
  }
  return { summary };
}

export const optimizersMnist: ExperimentModule<'optimizers-mnist'> = {
  run,
  totalSteps: (params) => params.iterations,
};
