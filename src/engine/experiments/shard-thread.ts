import { parentPort, workerData } from 'node:worker_threads';
import { initBackend } from '../backend';
import { type ShardInput, type ShardMessage, runShard } from './members';
import type { MemberValue } from './types';

/** A worker thread that trains a share of an experiment's members and streams their values. */
const FLUSH_MS = 100;
const port = parentPort!;
const input = (workerData as { input: ShardInput }).input;
let stopped = false;
port.on('message', (message) => {
  if (message === 'stop') stopped = true;
});

const send = (message: ShardMessage) => port.postMessage(message);
let pending: MemberValue[] = [];
let batches = 0;
let lastFlush = performance.now();
const flush = () => {
  if (pending.length) send({ type: 'values', values: pending });
  if (batches > 0) send({ type: 'batches', count: batches });
  pending = [];
  batches = 0;
  lastFlush = performance.now();
};
const flushSometimes = () => {
  if (performance.now() - lastFlush > FLUSH_MS) flush();
};

try {
  await initBackend(input.backend);
  await runShard(
    input,
    {
      onValue: (value) => {
        pending.push(value);
        flushSometimes();
      },
      onBatches: (count) => {
        batches += count;
        flushSometimes();
      },
      onNet: (member, net) => {
        flush();
        send({ type: 'net', member, net });
      },
      onInside: (member, moments) => {
        flush();
        send({ type: 'inside', member, moments });
      },
    },
    () => stopped,
  );
  flush();
  send({ type: 'done' });
} catch (error) {
  flush();
  send({ type: 'error', message: error instanceof Error ? error.message : String(error) });
}
port.close();
