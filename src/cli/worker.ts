import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { BACKEND_NAMES } from '../shared/backends';
import { initBackend, parseBackendName } from '../engine/backend';
import { defaultDataDir, loadDataset } from '../engine/data/mnist';
import { startTrialWorker } from '../engine/queue/trial-worker';

const USAGE = `usage:
  lab worker --queue redis://HOST:PORT [--data DIR] [--backend ${BACKEND_NAMES.join('|')}] [--name NAME]
             [--lock-seconds S]
  Trains the trials that searches started with --queue put on that Redis, one at a time, until stopped
  (Ctrl+C or SIGTERM: the trial in hand ends first). Start one per machine or per core. --data: the
  search's dataset (the bundled MNIST by default); --name: how the search's log shows this worker
  (default HOST:PID); --lock-seconds: how soon a trial of a worker that died goes to another (default 30).`;

export async function workerCommand(args: string[]): Promise<number> {
  let values;
  try {
    values = parseArgs({
      args,
      options: {
        queue: { type: 'string' },
        data: { type: 'string' },
        backend: { type: 'string' },
        name: { type: 'string' },
        'lock-seconds': { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (values.queue === undefined) {
    console.error(`lab worker needs --queue\n${USAGE}`);
    return 2;
  }
  const lockSeconds = Number(values['lock-seconds'] ?? 30);
  if (!(lockSeconds >= 1 && lockSeconds <= 3600)) {
    console.error(`--lock-seconds must be between 1 and 3600, got "${values['lock-seconds']}"`);
    return 2;
  }
  const dataDir = values.data ?? defaultDataDir();
  let backend;
  try {
    backend = await initBackend(values.backend === undefined ? undefined : parseBackendName(values.backend));
    loadDataset(dataDir);
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  const log = (line: string) => console.log(line);
  let worker;
  try {
    worker = await startTrialWorker({
      url: values.queue,
      dataDir,
      name: values.name ?? `${hostname()}:${process.pid}`,
      lockMs: lockSeconds * 1000,
      log,
    });
  } catch (error) {
    console.error((error as Error).message);
    return 2;
  }
  log(`on the ${backend.name} backend, with the dataset in ${dataDir}`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      log(`${signal}: stopping once the trial in hand (if any) ends; again to stop now`);
      process.once(signal, () => process.exit(130));
      void worker.close().then(resolve);
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  log('worker stopped');
  return 0;
}
