import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataDir } from '../engine/data/mnist';
import { startWebHost } from './server';

/** `npm run serve -- [--port N] [--history DIR] [--data DIR]`: the lab in a browser. */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '5190' },
    history: { type: 'string' },
    data: { type: 'string' },
    renderer: { type: 'string' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be 0..65535 (0 = any free port), got "${values.port}"`);
  process.exit(2);
}
const projectRoot = findProjectRoot(path.dirname(fileURLToPath(import.meta.url)));
const host = await startWebHost({
  port,
  stateDir: path.resolve(values.history ?? path.join(os.homedir(), '.dlfs-lab')),
  rendererDir: path.resolve(values.renderer ?? path.join(projectRoot, 'out', 'renderer')),
  defaultDataDir: defaultDataDir(),
  dataDir: values.data,
  version: (JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version,
});
console.log(`DLFS Lab listening on ${host.url}`);
/**
 * SIGINT/SIGTERM: running runs saved as cancelled, workers killed, sockets and connections dropped;
 * the process is gone within 2 s whatever is connected (a second signal or a stuck close cannot hold it).
 */
let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(0), 1500).unref();
  host.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error('DLFS Lab: closing failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

function findProjectRoot(start: string): string {
  let dir = start;
  while (dir !== path.dirname(dir)) {
    try {
      readFileSync(path.join(dir, 'package.json'));
      return dir;
    } catch {
      dir = path.dirname(dir);
    }
  }
  return start;
}
