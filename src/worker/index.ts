import { appendFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '../engine/backend';
import { loadDataset } from '../engine/data/mnist';
import { runExperiment } from '../engine/runner';
import { type OpenTrialQueue, openTrialQueue } from '../engine/queue/open-trial-queue';
import { ParamError, parseParams } from '../shared/experiments';
import { hyperparameterSearch } from '../shared/slots/hyperparameter-search';
import { evaluateOnTest } from '../engine/experiments/final-test';
import { type HostToWorker, type WorkerToHost, hostToWorkerSchema } from '../shared/worker-protocol';
import { connectToHost } from './channel';

/**
 * The training worker: a process of its own (Electron utility process or forked Node child) that
 * loads tfjs and runs the experiments the host asks for, one at a time, streaming progress events.
 */
const host = connectToHost();
const send = (message: WorkerToHost) => host.post(message);
const running = new Map<string, AbortController>();
let queue: Promise<void> = Promise.resolve();

host.onMessage((raw) => {
  const parsed = hostToWorkerSchema.safeParse(raw);
  if (!parsed.success) {
    console.error(`worker: ignored a malformed message: ${parsed.error.message}`);
    return;
  }
  const message = parsed.data;
  if (message.type === 'cancel') running.get(message.runId)?.abort();
  else queue = queue.then(() => handle(message)).catch((error: unknown) => console.error('worker:', error));
});

/** Step 4 of a search: the chosen trial trained again and measured on the test data once. */
async function finalTest(message: Extract<HostToWorker, { type: 'final-test' }>): Promise<void> {
  try {
    await initBackend();
    const params = parseParams(hyperparameterSearch.id, message.params);
    const evaluation = await evaluateOnTest(params, message.chosen, loadDataset(message.dataDir));
    send({ type: 'final-tested', runId: message.runId, evaluation });
  } catch (error) {
    send({
      type: 'final-test-failed',
      runId: message.runId,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

async function handle(message: Exclude<HostToWorker, { type: 'cancel' }>): Promise<void> {
  if (message.type === 'final-test') {
    await finalTest(message);
    return;
  }
  if (message.type === 'warmup') {
    const choice = await initBackend();
    try {
      loadDataset(message.dataDir);
    } catch {
      // A bad folder is reported when a run uses it.
    }
    send({ type: 'ready', backend: choice.name });
    return;
  }
  const controller = new AbortController();
  running.set(message.runId, controller);
  let trialQueue: OpenTrialQueue | undefined;
  try {
    loadDataset(message.dataDir);
    if (message.trialQueue) trialQueue = await openTrialQueue(message.trialQueue);
    await runExperiment(message.experiment, message.params, {
      dataDir: message.dataDir,
      threads: message.threads,
      ...(trialQueue ? { trialQueue } : {}),
      signal: controller.signal,
      onEvent: (event) => send({ type: 'event', runId: message.runId, event }),
    });
  } catch (error) {
    const text =
      error instanceof ParamError
        ? `bad parameter: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
    send({ type: 'rejected', runId: message.runId, error: text });
  } finally {
    await trialQueue?.close();
    running.delete(message.runId);
    // The soak (bench/soak.ts) watches for tensors left behind by ended runs: one line per run.
    const tensorLog = process.env.DLFS_TENSOR_LOG;
    if (tensorLog)
      appendFileSync(tensorLog, `${JSON.stringify({ pid: process.pid, numTensors: tf.memory().numTensors })}\n`);
  }
}
