/**
 * The worker's link to its host: Electron's utility process (process.parentPort) or a Node child
 * process started with child_process.fork (process.send). The worker code does not care which.
 */
export interface HostChannel {
  onMessage(listener: (message: unknown) => void): void;
  post(message: unknown): void;
}

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown): void;
}

export function connectToHost(): HostChannel {
  const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (parentPort) {
    return {
      onMessage: (listener) => parentPort.on('message', (event) => listener(event.data)),
      post: (message) => parentPort.postMessage(message),
    };
  }
  if (process.send) {
    return {
      onMessage: (listener) => process.on('message', listener),
      post: (message) => process.send!(message),
    };
  }
  throw new Error('the training worker must be started by the lab (utilityProcess.fork or child_process.fork)');
}
