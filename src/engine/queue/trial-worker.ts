import { type Job, Worker } from 'bullmq';
import { PROGRESS_INTERVAL_MS } from '../progress';
import type { MemberValue } from '../experiments/types';
import { trainTrial } from '../search/train-trial';
import {
  TRIAL_QUEUE_NAME,
  type TrialOutcomeMessage,
  type TrialProgressMessage,
  encodeValue,
  trialJobSchema,
} from '../search/trial-job';
import { onConnectionErrors, reachRedis, redisConnection } from './redis-connection';

export interface TrialWorkerOptions {
  /** The Redis the searches put their trials on. */
  url: string;
  dataDir: string;
  /** How this worker signs its trials (the search's log and summary show it). */
  name: string;
  /**
   * How long a trial's job stays this worker's without word from it (BullMQ's lock): a worker killed
   * mid-trial gives its trial back to the others after about this long. Default 30 s.
   */
  lockMs?: number;
  log: (line: string) => void;
}

export interface TrialWorker {
  /** Stops taking trials; resolves once the trial in hand (if any) has ended. */
  close(): Promise<void>;
}

/** Takes search trials off the queue one at a time and trains each in this thread (trainTrial). */
export async function startTrialWorker(options: TrialWorkerOptions): Promise<TrialWorker> {
  await reachRedis(options.url);
  const lockDuration = options.lockMs ?? 30_000;
  const worker = new Worker(TRIAL_QUEUE_NAME, (job) => trainJob(job, options), {
    connection: redisConnection(options.url),
    concurrency: 1,
    lockDuration,
    stalledInterval: lockDuration,
    // A trial whose worker died twice is trained a third time before it counts as failed.
    maxStalledCount: 2,
    autorun: false,
  });
  onConnectionErrors([worker], options.log);
  await worker.waitUntilReady();
  worker.on('failed', (job, error) => options.log(`trial job ${job?.id ?? '?'} failed: ${error.message}`));
  void worker.run();
  options.log(`worker ${options.name} takes search trials from ${options.url}`);
  return { close: () => worker.close() };
}

async function trainJob(job: Job, { dataDir, name, log }: TrialWorkerOptions): Promise<TrialOutcomeMessage> {
  const parsed = trialJobSchema.safeParse(job.data);
  if (!parsed.success) throw new Error(`not a trial this lab can train: ${parsed.error.message}`);
  const trial = parsed.data;
  const { lr, weightDecay } = trial.hyperparameters;
  log(`search ${trial.search}, trial ${trial.trial}: lr ${lr}, weight decay ${weightDecay}`);
  let pending: MemberValue[] = [];
  let batches = 0;
  let lastSent = 0;
  let sending = Promise.resolve();
  const send = () => {
    const progress: TrialProgressMessage = { worker: name, batches, values: pending.map(encodeValue) };
    pending = [];
    lastSent = performance.now();
    // A report that cannot be sent (Redis away for a moment) is left out: the result carries every value.
    sending = sending.then(() => job.updateProgress(progress)).catch(() => {});
  };
  const values = await trainTrial(trial, dataDir, (more, done) => {
    pending.push(...more);
    batches = done;
    if (performance.now() - lastSent >= PROGRESS_INTERVAL_MS) send();
  });
  send();
  await sending;
  const last = values.filter((v) => v.metric === 'validation accuracy').at(-1);
  log(`search ${trial.search}, trial ${trial.trial}: ended, validation accuracy ${last?.value ?? '-'}`);
  return { worker: name, values: values.map(encodeValue) };
}
