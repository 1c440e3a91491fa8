import { fork } from 'node:child_process';
import { ExitOnce } from './exit-once';
import type { WorkerProcess } from './lab-service';
import { workerEntry } from './worker-entry';

/** A training worker as a plain Node child process (the web host; Electron uses a utility process). */
export function forkNodeWorker(env: NodeJS.ProcessEnv = process.env): WorkerProcess {
  const { file, execArgv } = workerEntry();
  const child = fork(file, [], { execArgv, env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const exit = new ExitOnce();
  child.on('exit', (code, signal) => exit.end(signal ? `killed by ${signal}` : `exited with code ${code}`));
  child.on('error', (error) => exit.end(error.message));
  return {
    send: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => exit.onExit(listener),
    kill: () => child.kill(),
    pid: child.pid,
  };
}
