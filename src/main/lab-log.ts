import type { LabService, WorkerProcess } from '../services/lab-service';
import type { RotatingLog } from '../services/rotating-log';

/** Run starts and ends go to the log, with what ended them. */
export function logRuns(service: LabService, log: RotatingLog): void {
  service.onRunEvent(({ runId, event }) => {
    switch (event.type) {
      case 'started':
        log.info(`run ${runId} started: ${event.experiment} on ${event.backend}`);
        break;
      case 'finished':
        log.info(`run ${runId} ended ${event.record.status}`);
        break;
      case 'failed':
        log.warn(`run ${runId} failed: ${event.error}`);
        break;
      case 'queued':
        log.info(`run ${runId} queued, place ${event.place}`);
        break;
      default:
        break;
    }
  });
}

/** A worker whose launch and exit (with its reason) go to the log. */
export function loggedWorker(worker: WorkerProcess, log: RotatingLog): WorkerProcess {
  // A utility process knows its pid only once it has spawned: the label is read when it is written.
  const label = () => (worker.pid === undefined ? 'training worker' : `training worker ${worker.pid}`);
  log.info('training worker launched');
  return {
    send: (message) => worker.send(message),
    onMessage: (listener) => worker.onMessage(listener),
    onExit: (listener) =>
      worker.onExit((reason) => {
        log.warn(`${label()} exited: ${reason}`);
        listener(reason);
      }),
    kill: () => worker.kill(),
    get pid() {
      return worker.pid;
    },
  };
}
