// Boots a TypeScript worker-thread entry when the engine runs from source (tsx does not hook worker threads).
import { workerData } from 'node:worker_threads';
import { tsImport } from 'tsx/esm/api';

await tsImport(workerData.entry, import.meta.url);
