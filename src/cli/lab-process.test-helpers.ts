import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The command line end to end: `node --import tsx src/cli/index.ts ...` in a child process. */
export const repo = fileURLToPath(new URL('../..', import.meta.url));

export function lab(...args: string[]): SpawnSyncReturns<string> {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 110_000,
  });
  if (result.error) throw result.error;
  return result;
}
