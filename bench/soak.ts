import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultDataDir } from '../src/engine/data/mnist';
import { sampleDropoutMasks } from '../src/engine/nn/dropout-masks';
import type { RunEvent, StartRunRequest } from '../src/shared/api';
import { HistoryStore } from '../src/services/history';
import { LabService } from '../src/services/lab-service';
import { forkNodeWorker } from '../src/services/node-worker';
import { SettingsStore } from '../src/services/settings';

/**
 * `npm run soak [-- --runs N]`: the LabService with real Node workers (as the web host builds it)
 * through 300 tiny runs of every experiment, started in waves that overfill the queue; about a third
 * are cancelled (queued or training, at a random moment), the rest complete. Every 25 runs it samples
 * the worker processes, this process's open file descriptors and RSS, and the tensors left in each
 * worker after its last run (tf.memory().numTensors: the worker appends it to DLFS_TENSOR_LOG after
 * every run). Prints the samples; exits 1 when the last exceeds the first beyond the tolerances below.
 * Not part of `npm test` (a few minutes).
 */
const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1] ?? 300) || 300;
const CONCURRENT = 2;
const WAVE = 6;
const SAMPLE_EVERY = 25;
/** Growth allowed from the first sample (taken after the first wave, past start-up) to the last. */
const TOLERANCE = { workers: 0, fds: 8, rssMiB: 64, numTensors: 0 };

/** Tiny runs, all eight experiments (each a fraction of a second to a few seconds). */
const RUN_REQUESTS: StartRunRequest[] = [
  { experiment: 'optimizers-mnist', params: { iterations: 40, hidden: [30, 20], optimizers: ['SGD', 'Adam'] } },
  { experiment: 'init-mnist', params: { iterations: 40, hidden: [30, 20] } },
  { experiment: 'batch-norm', params: { trainSize: 200, hidden: [30, 20], epochs: 2, scales: 2 } },
  { experiment: 'dropout', params: { trainSize: 100, hidden: [30, 20], epochs: 3 } },
  { experiment: 'weight-decay', params: { trainSize: 100, hidden: [30, 20], epochs: 3 } },
  { experiment: 'hyperparameter-search', params: { trials: 3, epochs: 2, trainSize: 100, hidden: [30, 20] } },
  { experiment: 'optimizer-paths', params: { steps: 30 } },
  { experiment: 'init-activations', params: { samples: 200, nodes: 20, layers: 3 } },
];

interface Sample {
  runs: number;
  workers: number;
  fds: number;
  rssMiB: number;
  numTensors: number;
}

let state = 0x5eed;
const random = () => {
  state = (state * 1103515245 + 12345) & 0x7fffffff;
  return state / 0x7fffffff;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** This process's children that run the training worker. */
function workerPids(): number[] {
  const pids = readdirSync(`/proc/${process.pid}/task`).flatMap((task) =>
    readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8')
      .split(' ')
      .map(Number)
      .filter((n) => n > 0),
  );
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker');
    } catch {
      return false;
    }
  });
}

/** The tensors each live worker held after its last run (summed over the live workers). */
function liveTensors(log: string, live: number[]): number {
  if (!existsSync(log)) return 0;
  const last = new Map<number, number>();
  for (const line of readFileSync(log, 'utf8').split('\n')) {
    if (!line) continue;
    const { pid, numTensors } = JSON.parse(line) as { pid: number; numTensors: number };
    last.set(pid, numTensors);
  }
  return live.reduce((sum, pid) => sum + (last.get(pid) ?? 0), 0);
}

async function main(): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dlfs-soak-'));
  const tensorLog = path.join(dir, 'tensors.jsonl');
  /** Runs a worker took (kept as ids only: keeping every event would grow this process's RSS itself). */
  const reached = new Set<string>();
  const service = new LabService({
    history: new HistoryStore(path.join(dir, 'runs')),
    settings: SettingsStore.inFolder(dir),
    launchWorker: () => forkNodeWorker({ ...process.env, DLFS_TENSOR_LOG: tensorLog }),
    defaultDataDir: defaultDataDir(),
    host: 'web',
    dropoutMasks: sampleDropoutMasks,
    version: 'soak',
    maxConcurrentRuns: CONCURRENT,
  });
  service.onRunEvent((event: RunEvent) => {
    if (event.event.type === 'started') reached.add(event.runId);
  });
  service.warmUp();
  const ended = new Set<string>();
  const outcomes: Record<string, number> = {};
  service.onRunEvent(({ runId, event }) => {
    if (event.type !== 'finished' && event.type !== 'failed') return;
    ended.add(runId);
    const status = event.type === 'finished' ? event.record.status : (event.record?.status ?? 'failed');
    outcomes[status] = (outcomes[status] ?? 0) + 1;
  });
  let maxTraining = 0;
  service.onRunEvent(() => (maxTraining = Math.max(maxTraining, service.trainingCount())));

  const samples: Sample[] = [];
  const sample = (runs: number) => {
    const workers = workerPids();
    const s: Sample = {
      runs,
      workers: workers.length,
      fds: readdirSync('/proc/self/fd').length,
      rssMiB: Math.round(process.memoryUsage().rss / 2 ** 20),
      numTensors: liveTensors(tensorLog, workers),
    };
    samples.push(s);
    console.log(
      `after ${String(runs).padStart(3)} runs: ${s.workers} workers, ${s.fds} fds, RSS ${s.rssMiB} MiB, ` +
        `${s.numTensors} tensors left in live workers`,
    );
  };

  const started = Date.now();
  let count = 0;
  try {
    while (count < RUNS) {
      const wave: string[] = [];
      for (let i = 0; i < WAVE && count < RUNS; i++, count++) {
        const request = RUN_REQUESTS[count % RUN_REQUESTS.length]!;
        wave.push(service.startRun({ ...request, params: { ...request.params, seed: count } }).runId);
      }
      // About a third cancelled: at once (queued, or just handed to a worker) or after a random delay.
      for (const runId of wave) {
        if (random() >= 0.33) continue;
        const delay = random() < 0.5 ? 0 : Math.floor(random() * 400);
        setTimeout(() => service.cancelRun(runId), delay);
      }
      const deadline = Date.now() + 120_000;
      while (!wave.every((id) => ended.has(id))) {
        if (Date.now() > deadline)
          throw new Error(`runs did not end: ${wave.filter((id) => !ended.has(id)).join(', ')}`);
        await sleep(20);
      }
      if (count === WAVE || count % SAMPLE_EVERY < WAVE) {
        // Let retired workers exit before counting.
        await sleep(300);
        sample(count);
      }
    }
    await sleep(500);
    sample(count);
  } finally {
    service.shutdown();
  }
  const reports = existsSync(tensorLog) ? readFileSync(tensorLog, 'utf8').split('\n').filter(Boolean) : [];
  const mostTensors = Math.max(0, ...reports.map((line) => (JSON.parse(line) as { numTensors: number }).numTensors));
  console.log(
    `${reports.length} tensor reports from the workers (one per run started), the most after a run ${mostTensors}`,
  );
  // One report per run a worker took (runs cancelled while queued never reach one). A worker retired as
  // a spare right after its run ended may go before writing its line: a few may be missing.
  const reachedWorker = reached.size;
  const tooFewReports = reports.length < reachedWorker * 0.95;
  const listed = service.listRuns();
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${count} runs in ${seconds.toFixed(0)} s: ${JSON.stringify(outcomes)}; history lists ${listed.length}; ` +
      `most training at once ${maxTraining} (max ${CONCURRENT})`,
  );
  rmSync(dir, { recursive: true, force: true });

  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const grew: string[] = [];
  for (const key of Object.keys(TOLERANCE) as (keyof typeof TOLERANCE)[]) {
    if (last[key] - first[key] > TOLERANCE[key]) {
      grew.push(`${key}: ${first[key]} -> ${last[key]} (tolerance +${TOLERANCE[key]})`);
    }
  }
  if (tooFewReports) grew.push(`${reports.length} tensor reports for ${reachedWorker} runs started`);
  if (listed.length !== count) grew.push(`the history lists ${listed.length} runs of ${count}`);
  if (maxTraining > CONCURRENT) grew.push(`${maxTraining} runs trained at once`);
  if (listed.some((e) => e.status === 'running' || e.status === 'queued' || e.status === 'damaged')) {
    grew.push('runs left running, queued or damaged');
  }
  console.log(`first vs last: ${JSON.stringify(first)} -> ${JSON.stringify(last)}`);
  if (grew.length > 0) {
    console.error(`soak FAILED:\n  ${grew.join('\n  ')}`);
    return 1;
  }
  console.log(`soak passed (tolerances: ${JSON.stringify(TOLERANCE)})`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : String(error));
    process.exit(1);
  },
);
