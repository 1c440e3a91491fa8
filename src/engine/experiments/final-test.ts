// Step 4 of the book's §6.5.3: the chosen hyper-parameters, trained once more and measured on the test data once.
import type { ChosenTrial, TestEvaluation } from '../../shared/final-test';
import type { HyperparameterSearchParams } from '../../shared/slots/hyperparameter-search';
import type { Dataset } from '../data/mnist';
import type { FinishedNet } from '../trained-nets';
import { type EpochJob, trainEpochNets } from './epoch-nets';
import { trialMember } from './search-trial';

/**
 * The net of a search's trial (`trialMember`: the book's MultiLayerNet with the trial's values) trained
 * on all the search's images, its training and its validation images together (the first `trainSize`),
 * shuffled every epoch, for the search's epochs; nothing measured on the way.
 */
export function finalTestJob(params: HyperparameterSearchParams, chosen: ChosenTrial): EpochJob {
  return {
    epochs: params.epochs,
    batchSize: params.batchSize,
    seed: params.seed,
    batches: 'shuffle',
    train: { first: params.trainSize },
    members: [trialMember(params, chosen)],
    reportLoss: true,
    measureAccuracy: false,
    keepNets: true,
  };
}

/**
 * Trains the chosen trial's net (`finalTestJob`) and measures it on the test images, once: its report's
 * test accuracy (null, with the update, when its loss diverged).
 */
export async function evaluateOnTest(
  params: HyperparameterSearchParams,
  chosen: ChosenTrial,
  dataset: Dataset,
  shouldStop: () => boolean = () => false,
): Promise<TestEvaluation> {
  const job = finalTestJob(params, chosen);
  let finished: FinishedNet | undefined;
  let divergedAt: number | undefined;
  await trainEpochNets(
    job,
    dataset,
    [0],
    ({ step, value }) => {
      if (!Number.isFinite(value) && divergedAt === undefined) divergedAt = step;
    },
    shouldStop,
    undefined,
    (_member, net) => (finished = net),
  );
  if (shouldStop()) throw new Error('the evaluation on the test data was cancelled');
  return {
    ...chosen,
    trainImages: Math.min(params.trainSize, dataset.train.count),
    epochs: params.epochs,
    testAccuracy: finished?.report?.testAccuracy ?? null,
    ...(divergedAt !== undefined ? { divergedAt } : {}),
    evaluatedAt: new Date().toISOString(),
  };
}
