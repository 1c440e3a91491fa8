import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runExperiment } from '../src/engine/runner';
import { RedisTrialQueue } from '../src/engine/queue/redis-trial-queue';
import { linePrinted, startRedis, stopped } from '../src/engine/queue/redis-server.test-helpers';

/**
 * `npm run bench:queue [-- --trials N --epochs E --workers 1,2,4]`: the book's search (by default 40
 * trials of 50 epochs) in-process at 2 threads, then with its trials on a local Redis trained by 1, 2
 * and 4 `lab worker` processes (one thread each), side by side in one run (issue #20: 2 workers take
 * at most 1.1x the in-process time). Workers are started and ready before the clock starts. Prints
 * the seconds of each and its ratio to in-process. Not part of `npm test`.
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] ? args[at + 1]! : fallback;
};
const search = { trials: Number(option('trials', '40')), epochs: Number(option('epochs', '50')), seed: 1 };
const workerCounts = option('workers', '1,2,4').split(',').map(Number);
const repo = fileURLToPath(new URL('..', import.meta.url));

async function timed(run: () => ReturnType<typeof runExperiment>): Promise<number> {
  const started = performance.now();
  const record = await run();
  if (record.status !== 'completed') throw new Error(`${record.status}: ${record.error ?? ''}`);
  return (performance.now() - started) / 1000;
}

const inProcess = await timed(() => runExperiment('hyperparameter-search', search, { threads: 2 }));
console.log(`in-process, 2 threads    ${inProcess.toFixed(1)} s`);

const redis = await startRedis();
try {
  for (const count of workerCounts) {
    const workers: ChildProcess[] = Array.from({ length: count }, (_, i) =>
      spawn(
        process.execPath,
        ['--import', 'tsx', 'src/cli/index.ts', 'worker', '--queue', redis.url, '--name', `w${i + 1}`],
        {
          cwd: repo,
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      ),
    );
    try {
      await Promise.all(workers.map((w) => linePrinted(w, /takes search trials/)));
      const queue = await RedisTrialQueue.open(redis.url);
      const seconds = await timed(() =>
        runExperiment('hyperparameter-search', search, { trialQueue: queue, threads: 1 }),
      ).finally(() => queue.close());
      const ratio = (seconds / inProcess).toFixed(3);
      console.log(
        `${count} worker${count === 1 ? ' ' : 's'} on Redis      ${seconds.toFixed(1)} s  (${ratio}x in-process)`,
      );
    } finally {
      await Promise.all(workers.map(stopped));
    }
  }
} finally {
  await redis.stop();
}
