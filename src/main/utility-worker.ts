import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, utilityProcess } from 'electron';
import { ExitOnce } from '../services/exit-once';
import type { WorkerProcess } from '../services/lab-service';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The training worker as an Electron utility process; crashes arrive as `exit` with a code. */
let launched = 0;

/**
 * `onErrorOutput` receives what the worker writes to stderr (warnings, a stack before a crash), which
 * also goes on to main's own stderr.
 */
export function forkUtilityWorker(env: NodeJS.ProcessEnv, onErrorOutput?: (text: string) => void): WorkerProcess {
  const serviceName = `DLFS Lab training ${++launched}`;
  const child = utilityProcess.fork(path.join(here, 'worker.js'), [], {
    serviceName,
    stdio: ['ignore', 'inherit', 'pipe'],
    env,
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    process.stderr.write(chunk);
    onErrorOutput?.(chunk.toString('utf8').trimEnd());
  });
  // child.pid is set once the process has spawned and unset again when it exits; the log wants it after.
  let pid: number | undefined;
  child.once('spawn', () => (pid = child.pid));
  const exit = new ExitOnce();
  // child-process-gone says why (crashed, killed, oom); exit only has the code, so it waits a moment.
  const onGone = (_event: Electron.Event, details: Electron.Details) => {
    if (details.type === 'Utility' && details.serviceName === serviceName) {
      exit.end(`${details.reason} (exit code ${details.exitCode})`);
    }
  };
  app.on('child-process-gone', onGone);
  child.on('exit', (code) => {
    setTimeout(() => {
      app.off('child-process-gone', onGone);
      exit.end(`exited with code ${code}`);
    }, 100);
  });
  return {
    send: (message) => {
      if (!exit.ended) child.postMessage(message);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => exit.onExit(listener),
    kill: () => {
      child.kill();
    },
    get pid() {
      return child.pid ?? pid;
    },
  };
}
