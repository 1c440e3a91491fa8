/**
 * Loaded (--import) before the module of every utility process the Electron double starts
 * (electron.test-helpers.ts): gives the Node child process Electron's `process.parentPort` over its
 * ipc channel: a 'message' event with `{ data, ports }` (messages that come before the first listener
 * wait for it, as Electron queues them), postMessage; and, as in a utility process, no `process.send`.
 * A utility process dies with its parent: so does this one.
 */
import { EventEmitter } from 'node:events';
import { isMainThread } from 'node:worker_threads';

if (isMainThread && process.send) {
  const send = process.send.bind(process);
  const parentPort = new EventEmitter();
  const queued = [];
  parentPort.postMessage = (message) => send(message);
  parentPort.start = () => {};
  parentPort.close = () => process.disconnect();
  parentPort.on('newListener', (event) => {
    if (event !== 'message' || queued.length === 0) return;
    // After the listener is added (newListener runs before).
    setImmediate(() => {
      for (const data of queued.splice(0)) parentPort.emit('message', { data, ports: [] });
    });
  });
  process.on('message', (data) => {
    if (parentPort.listenerCount('message') > 0 && queued.length === 0) parentPort.emit('message', { data, ports: [] });
    else queued.push(data);
  });
  process.on('disconnect', () => process.exit(0));
  delete process.send;
  Object.defineProperty(process, 'parentPort', { value: parentPort, enumerable: true });
}
