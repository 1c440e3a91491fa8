import type { HostToWorker } from '../shared/worker-protocol';

/** A training worker process as the service sees it, whichever host started it. */
export interface WorkerProcess {
  send(message: HostToWorker): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process ends for any reason, with a human-readable reason. */
  onExit(listener: (reason: string) => void): void;
  kill(): void;
  /** The OS process id, where the host knows it. */
  readonly pid?: number;
}
