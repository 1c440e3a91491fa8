import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import WebSocket from 'ws';
import { readIdxFile } from '../../engine/data/idx';
import { defaultDataDir } from '../../engine/data/mnist';
import type { RunEvent } from '../../shared/api';
import type { RunRecord } from '../../shared/runs';
import type { ServerMessage } from '../../shared/web-host-protocol';
import { type WebHost, startWebHost } from '../server';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Where each fault file writes its counts; the global setup sums them up at the end. */
    faultSummaryDir: string;
  }
}

/** The figures the suite's closing summary adds up (see summary.global-setup.ts). */
export interface FaultCounts {
  requestsSent?: number;
  messagesSent?: number;
  runsKilled?: number;
  filesBroken?: number;
  crashes?: number;
  pointsLost?: number;
  /** Free-form lines for the summary (the queue's behaviour, skipped cases). */
  notes?: string[];
}

/** Adds this file's counts to the suite's summary. */
export function report(file: string, counts: FaultCounts): void {
  const dir = inject('faultSummaryDir');
  const target = path.join(dir, `${file}.json`);
  let previous: FaultCounts = {};
  try {
    previous = JSON.parse(readFileSync(target, 'utf8')) as FaultCounts;
  } catch {
    // First report of this file.
  }
  const sum = (a?: number, b?: number) => (a ?? 0) + (b ?? 0);
  const merged: FaultCounts = {
    requestsSent: sum(previous.requestsSent, counts.requestsSent),
    messagesSent: sum(previous.messagesSent, counts.messagesSent),
    runsKilled: sum(previous.runsKilled, counts.runsKilled),
    filesBroken: sum(previous.filesBroken, counts.filesBroken),
    crashes: sum(previous.crashes, counts.crashes),
    pointsLost: sum(previous.pointsLost, counts.pointsLost),
    notes: [...(previous.notes ?? []), ...(counts.notes ?? [])],
  };
  writeFileSync(target, JSON.stringify(merged));
}

/**
 * Uncaught exceptions and unhandled rejections in this test process (the host runs in it): each is a
 * crash of the host. Vitest reports them as well; the count goes into the summary.
 */
export function countCrashes(): { count: () => number; errors: string[] } {
  const errors: string[] = [];
  const onError = (error: unknown) =>
    errors.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return { count: () => errors.length, errors };
}

/** A small seeded generator (mulberry32): the same sequence on every run for a seed. */
export function seeded(seed: number): {
  next: () => number;
  int: (n: number) => number;
  pick: <T>(items: readonly T[]) => T;
} {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { next, int, pick: (items) => items[int(items.length)]! };
}

export const SECRET = 'top secret: outside the renderer folder';
export const INDEX_HTML = '<!doctype html><title>lab</title>';
export const APP_JS = 'console.log(1)';

export interface TestHost {
  host: WebHost;
  port: number;
  tmp: string;
  rendererDir: string;
  stateDir: string;
  close(): Promise<void>;
}

/** The real web host on 127.0.0.1:0 over a temp state folder, with a tiny renderer and secrets beside it. */
export async function startTestHost(
  name: string,
  options: { dataDir?: string; stateDir?: string; maxConcurrentRuns?: number } = {},
): Promise<TestHost> {
  const tmp = mkdtempSync(path.join(os.tmpdir(), `dlfs-faults-${name}-`));
  const rendererDir = path.join(tmp, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), APP_JS);
  writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
  writeFileSync(path.join(tmp, 'renderer.txt'), SECRET);
  const stateDir = options.stateDir ?? path.join(tmp, 'state');
  if (options.maxConcurrentRuns !== undefined) {
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(
      path.join(stateDir, 'settings.json'),
      JSON.stringify({ maxConcurrentRuns: options.maxConcurrentRuns }),
    );
  }
  const host = await startWebHost({
    port: 0,
    stateDir,
    rendererDir,
    defaultDataDir: defaultDataDir(),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    version: 'faults',
  });
  const port = Number(new URL(host.url).port);
  return {
    host,
    port,
    tmp,
    rendererDir,
    stateDir,
    close: async () => {
      await host.close();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/** One raw exchange over TCP: any bytes; the status (0: closed without an answer) and the whole answer. */
export function rawRequest(
  port: number,
  bytes: string | Buffer,
  { halfClose = false, timeoutMs = 15_000 } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(bytes.toString('latin1').slice(0, 120))}`));
    }, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(text.match(/^HTTP\/1\.[01] (\d{3})/)?.[1] ?? 0), text });
    });
    socket.on('error', () => socket.destroy());
    socket.write(bytes);
    if (halfClose) socket.end();
  });
}

/** A client of the host's /api socket: calls by id, every run event kept in order. */
export class LabSocket {
  readonly events: RunEvent[] = [];
  private nextId = 1;
  private readonly pending = new Map<number, (message: ServerMessage) => void>();
  /** Replies with no id (null), or to ids nobody waits for. */
  readonly orphans: ServerMessage[] = [];
  closedWith: number | undefined;
  private orphanWaiter: (() => void) | undefined;

  /** Resolves once `count` orphan replies have come (or rejects after `ms`). */
  orphansReach(count: number, ms = 10_000): Promise<void> {
    if (this.orphans.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`only ${this.orphans.length} of ${count} replies`)), ms);
      this.orphanWaiter = () => {
        if (this.orphans.length < count) return;
        clearTimeout(timer);
        this.orphanWaiter = undefined;
        resolve();
      };
    });
  }

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as ServerMessage;
      if (message.type === 'run-event') {
        this.events.push(message.event);
        return;
      }
      const waiter = message.id === null ? undefined : this.pending.get(message.id);
      if (waiter && message.id !== null) {
        this.pending.delete(message.id);
        waiter(message);
      } else {
        this.orphans.push(message);
        this.orphanWaiter?.();
      }
    });
    ws.on('close', (code) => (this.closedWith = code));
    ws.on('error', () => {});
  }

  static async open(port: number): Promise<LabSocket> {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { origin: `http://127.0.0.1:${port}` });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new LabSocket(ws);
  }

  /** Sends a call (any method name, any args) and waits for its reply. */
  call(method: string, args: unknown, timeoutMs = 15_000): Promise<ServerMessage> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply to ${method} #${id}`)), timeoutMs);
      this.pending.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
      this.ws.send(JSON.stringify({ id, method, args }));
    });
  }

  /** A call that must succeed: its result. */
  async result<T>(method: string, args: unknown[] = []): Promise<T> {
    const reply = await this.call(method, args);
    if (reply.type !== 'result') throw new Error(`${method} failed: ${JSON.stringify(reply)}`);
    return reply.result as T;
  }

  close(): void {
    this.ws.close();
  }
}

/** PIDs of this process's children running the training worker (from /proc, else ps). */
export function workerPids(parent = process.pid): number[] {
  let pids: number[];
  try {
    pids = readdirSync(`/proc/${parent}/task`).flatMap((task) =>
      readFileSync(`/proc/${parent}/task/${task}/children`, 'utf8')
        .split(' ')
        .map(Number)
        .filter((n) => n > 0),
    );
  } catch {
    pids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  }
  return pids.filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('worker');
    } catch {
      return false;
    }
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `predicate` holds; fails naming `what` after `ms`. */
export async function until(predicate: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}

/** The event that ended a run (finished, or failed: crash, rejection, cancel while queued). */
export const endOf = (events: readonly RunEvent[], runId: string) =>
  events.find((e) => e.runId === runId && (e.event.type === 'finished' || e.event.type === 'failed'));

/**
 * A small MNIST-format folder: the first `train` and `test` items of the real files, raw IDX. A worker
 * loads it in a fraction of the time of the full set, which keeps runs that start cold quick.
 */
export function smallMnist(dir: string, train = 2000, test = 500): string {
  mkdirSync(dir, { recursive: true });
  const source = defaultDataDir();
  const parts: [string, number, number][] = [
    ['train-images-idx3-ubyte', 3, train],
    ['train-labels-idx1-ubyte', 1, train],
    ['t10k-images-idx3-ubyte', 3, test],
    ['t10k-labels-idx1-ubyte', 1, test],
  ];
  for (const [name, rank, count] of parts) {
    const { dims, data } = readIdxFile(findIdx(source, name), rank);
    const itemSize = dims.slice(1).reduce((a, b) => a * b, 1);
    const header = Buffer.alloc(4 + 4 * rank);
    header.writeUInt32BE(0x0800 | rank, 0);
    header.writeUInt32BE(count, 4);
    dims.slice(1).forEach((d, i) => header.writeUInt32BE(d, 8 + 4 * i));
    writeFileSync(path.join(dir, name), Buffer.concat([header, data.subarray(0, count * itemSize)]));
  }
  return dir;
}

function findIdx(dir: string, name: string): string {
  for (const candidate of [name, `${name}.gz`, name.replace(/-idx/, '.idx'), `${name.replace(/-idx/, '.idx')}.gz`]) {
    if (existsSync(path.join(dir, candidate))) return path.join(dir, candidate);
  }
  throw new Error(`no ${name} in ${dir}`);
}

/** The points of a run as the client received them, by series, in order. */
export function received(events: readonly RunEvent[], runId: string): Map<string, { x: number[]; y: number[] }> {
  const bySeries = new Map<string, { x: number[]; y: number[] }>();
  for (const e of events) {
    if (e.runId !== runId || e.event.type !== 'progress') continue;
    for (const p of e.event.points) {
      const s = bySeries.get(p.series) ?? { x: [], y: [] };
      s.x.push(...p.x);
      s.y.push(...p.y);
      bySeries.set(p.series, s);
    }
  }
  return bySeries;
}

/** Received points that the record does not hold at the same place with the same value. */
export function lostPoints(got: Map<string, { x: number[]; y: number[] }>, record: RunRecord): number {
  let lost = 0;
  for (const [name, s] of got) {
    const stored = record.series.find((r) => r.name === name);
    for (let i = 0; i < s.x.length; i++) {
      if (!stored || !Object.is(stored.x[i], s.x[i]) || !Object.is(stored.y[i], s.y[i])) lost++;
    }
  }
  return lost;
}
