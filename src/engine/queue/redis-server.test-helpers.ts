import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

/** A free TCP port on 127.0.0.1, as the system hands one out. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export interface RedisServer {
  url: string;
  stop(): Promise<void>;
}

/**
 * Debian's redis-server on 127.0.0.1 at a free port, in memory only (no snapshot, no append file);
 * fails with the package to install when it is missing.
 */
export async function startRedis(): Promise<RedisServer> {
  if (spawnSync('redis-server', ['--version']).error)
    throw new Error('redis-server is not installed: apt-get install redis-server (.ci/run installs it)');
  const port = await freePort();
  const server = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  await linePrinted(server, /Ready to accept connections/);
  return {
    url: `redis://127.0.0.1:${port}`,
    stop: () => stopped(server),
  };
}

/** Resolves when the child prints a line matching `pattern` on stdout; rejects if it exits first. */
export function linePrinted(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n').find((l) => pattern.test(l));
      if (line === undefined) return;
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      resolve(line);
    };
    const onExit = (code: number | null) =>
      reject(new Error(`exited (${code}) before printing ${pattern}:\n${buffered}`));
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Ends a child (SIGTERM) and resolves once it has exited. */
export function stopped(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
