import { loadDataset } from '../data/mnist';
import { searchJob } from '../experiments/hyperparameter-search';
import { runShard } from '../experiments/members';
import type { MemberValue } from '../experiments/types';
import { type TrialJob, datasetFingerprint } from './trial-job';

/**
 * Trains one queued trial in this thread, as the searching process would have in its own: the
 * search's job with this trial alone, starting from the weights of its number. `report` gets the
 * values as they come and the member-batches trained so far; the result is every value.
 */
export async function trainTrial(
  job: TrialJob,
  dataDir: string,
  report: (values: MemberValue[], batches: number) => void,
  shouldStop: () => boolean = () => false,
): Promise<MemberValue[]> {
  const dataset = loadDataset(dataDir);
  if (datasetFingerprint(dataset) !== job.dataset)
    throw new Error(
      `the dataset in ${dataset.dir} is not the one the search runs on: start the worker with its --data`,
    );
  const values: MemberValue[] = [];
  let batches = 0;
  await runShard(
    { job: searchJob(job.params, [job.hyperparameters], job.trial - 1, job.prune), dataDir, members: [0] },
    {
      onValue: (value) => {
        values.push(value);
        report([value], batches);
      },
      onBatches: (count) => report([], (batches += count)),
    },
    shouldStop,
  );
  return values;
}
