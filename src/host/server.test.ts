import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { defaultDataDir } from '../engine/data/mnist';
import { MAX_SOCKET_MESSAGE_BYTES, type ServerMessage } from '../shared/web-host-protocol';
import { MAX_URL_LENGTH } from './static-files';
import { type WebHost, startWebHost } from './server';
import { foreignHostHeaders } from './foreign-hosts.test-helpers';

/**
 * The web host under bad input, on 127.0.0.1 with real sockets: a bounded batch of generated bad HTTP
 * requests and bad WebSocket messages (each gets its status or an error reply, the host keeps
 * answering), and SIGTERM to a real host process (gone within 2 s, its run saved as cancelled, no
 * worker left).
 */
const repo = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'top secret: outside the renderer folder';

let tmp: string;
let host: WebHost;
let port: number;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'dlfs-host-'));
  const rendererDir = path.join(tmp, 'renderer');
  mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>lab</title>');
  writeFileSync(path.join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(path.join(tmp, 'secret.txt'), SECRET);
  host = await startWebHost({
    port: 0,
    stateDir: path.join(tmp, 'state'),
    rendererDir,
    defaultDataDir: defaultDataDir(),
    version: 'test',
  });
  port = Number(new URL(host.url).port);
});

afterAll(async () => {
  await host?.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** One raw HTTP/1.1 request (any bytes in the request line), its status (0 when the host only closed) and body. */
function rawRequest(head: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer to ${JSON.stringify(head.slice(0, 120))}`));
    }, 10_000);
    socket.on('data', (chunk) => chunks.push(chunk));
    const done = () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('latin1');
      const status = Number(text.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
      resolve({ status, text });
    };
    socket.on('close', done);
    socket.on('error', () => socket.destroy());
    socket.write(head);
  });
}

const request = (method: string, target: string, hostHeader: string | null = `127.0.0.1:${port}`) =>
  rawRequest(
    `${method} ${target} HTTP/1.1\r\n${hostHeader === null ? '' : `Host: ${hostHeader}\r\n`}Connection: close\r\n\r\n`,
  );

/** A small deterministic generator: the same batch on every run. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

interface Case {
  method: string;
  target: string;
  host?: string | null;
  /** Allowed statuses (0: the host closed the connection without an answer). */
  expect: number[];
}

function badRequests(): Case[] {
  const next = random(6);
  const pick = <T>(items: T[]): T => items[Math.floor(next() * items.length)]!;
  const cases: Case[] = [];
  // Bad percent-encoding: fixed ones, then generated.
  for (const target of ['/%E0%A4%A', '/%', '/%zz', '/%C0%AF', '/%ED%A0%80', '/assets/%FF', '/%E0%A4%A?x=1']) {
    cases.push({ method: 'GET', target, expect: [400] });
  }
  const broken = ['%', '%E0', '%A4%A', '%ff', '%C3', '%E0%A4', '%G0', '%%'];
  for (let i = 0; i < 120; i++) {
    const pieces = Array.from({ length: 1 + Math.floor(next() * 4) }, () =>
      pick(['a', 'assets', 'index.html', 'x.js']),
    );
    pieces.splice(Math.floor(next() * (pieces.length + 1)), 0, pick(broken));
    cases.push({ method: pick(['GET', 'HEAD']), target: `/${pieces.join('/')}`, expect: [400] });
  }
  // Traversal, plain and encoded: always 400, never the file beside the renderer's folder.
  const up = ['..', '%2e%2e', '%2E%2E', '.%2e', '%2e.'];
  const sep = ['/', '%2f', '%2F', '%5c', '\\'];
  for (let i = 0; i < 120; i++) {
    const depth = 1 + Math.floor(next() * 4);
    const s = pick(sep);
    const target = `/${pick(['', 'assets/'])}${Array.from({ length: depth }, () => pick(up)).join(s)}${s}secret.txt`;
    cases.push({ method: 'GET', target, expect: [400] });
  }
  for (const target of ['/assets/../../secret.txt', '/%00', '/index.html%00.js', '/a\\b', '//../secret.txt']) {
    cases.push({ method: 'GET', target, expect: [400] });
  }
  // Not a path: absolute-form or asterisk targets.
  for (const target of ['*', 'http://evil.example/', 'index.html'])
    cases.push({ method: 'GET', target, expect: [400] });
  // Methods other than GET and HEAD.
  for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL']) {
    for (const target of ['/', '/index.html', '/api']) cases.push({ method, target, expect: [405] });
  }
  // Methods Node's parser refuses.
  for (const method of ['G@T', 'GET GET', 'get\u0001']) cases.push({ method, target: '/', expect: [400] });
  // Host headers: only 127.0.0.1:PORT and localhost:PORT.
  for (const hostHeader of foreignHostHeaders(port)) {
    for (const target of ['/', '/index.html', '/assets/app.js'])
      cases.push({ method: 'GET', target, host: hostHeader, expect: [421] });
  }
  // HTTP/1.1 without Host: Node refuses it (400).
  cases.push({ method: 'GET', target: '/', host: null, expect: [400] });
  // Huge URLs: ours refused with 400; past Node's header limit (16 KiB), 431 from Node.
  for (const length of [MAX_URL_LENGTH + 1, 4000, 8000, 15_000]) {
    cases.push({ method: 'GET', target: `/${'a'.repeat(length)}`, expect: [400] });
    cases.push({ method: 'GET', target: `/${'%41'.repeat(Math.ceil(length / 3))}`, expect: [400] });
  }
  for (const length of [20_000, 100_000, 1_000_000]) {
    cases.push({ method: 'GET', target: `/${'a'.repeat(length)}`, expect: [431, 0] });
  }
  // Good requests mixed in: these must still be served.
  for (const target of ['/', '/index.html', '/assets/app.js', '/?x=%E0', '/missing.js']) {
    cases.push({ method: 'GET', target, expect: target === '/missing.js' ? [404] : [200] });
  }
  return cases;
}

describe('the web host over HTTP', () => {
  it('answers a few hundred generated bad requests with their status and keeps serving', async () => {
    const started = Date.now();
    const cases = badRequests();
    expect(cases.length).toBeGreaterThan(250);
    const statuses = new Map<number, number>();
    const wrong: string[] = [];
    for (let i = 0; i < cases.length; i += 16) {
      const batch = cases.slice(i, i + 16);
      const answers = await Promise.all(batch.map((c) => request(c.method, c.target, c.host)));
      answers.forEach((answer, j) => {
        const c = batch[j]!;
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (!c.expect.includes(answer.status)) {
          wrong.push(`${c.method} ${c.target.slice(0, 80)} Host=${String(c.host)}: ${answer.status}`);
        }
        if (answer.text.includes(SECRET)) wrong.push(`${c.method} ${c.target}: served the secret`);
        if (answer.status === 405 && !/\r\nallow: GET, HEAD\r\n/i.test(answer.text))
          wrong.push(`${c.method}: no Allow`);
      });
    }
    console.log(
      `HTTP: ${cases.length} requests in ${Date.now() - started} ms, statuses`,
      Object.fromEntries([...statuses].sort(([a], [b]) => a - b)),
    );
    expect(wrong).toEqual([]);
    // Still alive and serving.
    const good = await request('GET', '/');
    expect(good.status).toBe(200);
    expect(good.text).toContain('<title>lab</title>');
    const head = await request('HEAD', '/assets/app.js', `localhost:${port}`);
    expect(head.status).toBe(200);
    expect(head.text).not.toContain('console.log');
    expect(Date.now() - started).toBeLessThan(60_000);
  });
});

/** A WebSocket to the host's /api, as the host's own page would open it. */
async function openSocket(): Promise<{ ws: WebSocket; replies: ServerMessage[]; next: () => Promise<ServerMessage> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, { origin: `http://127.0.0.1:${port}` });
  const replies: ServerMessage[] = [];
  const waiting: ((message: ServerMessage) => void)[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as ServerMessage;
    if (message.type === 'run-event') return;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else replies.push(message);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = () =>
    new Promise<ServerMessage>((resolve, reject) => {
      const queued = replies.shift();
      if (queued) return resolve(queued);
      const timer = setTimeout(() => reject(new Error('no reply')), 10_000);
      waiting.push((message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
  return { ws, replies, next };
}

/** Upgrades by hand, to send the headers a browser page elsewhere would; returns the status line's code. */
const upgradeStatus = (hostHeader: string, origin: string, target = '/api') =>
  rawRequest(
    `GET ${target} HTTP/1.1\r\nHost: ${hostHeader}\r\nOrigin: ${origin}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
  ).then((answer) => answer.status);

describe('the web host over its WebSocket', () => {
  it('refuses an upgrade with a foreign Host (421) or Origin (403)', async () => {
    const origin = `http://127.0.0.1:${port}`;
    expect(await upgradeStatus(`evil.example:${port}`, origin)).toBe(421);
    expect(await upgradeStatus('127.0.0.1', origin)).toBe(421);
    expect(await upgradeStatus(`127.0.0.1:${port}`, 'http://evil.example')).toBe(403);
    expect(await upgradeStatus(`127.0.0.1:${port}`, origin, '/other')).toBe(403);
  });

  it('answers bad messages with an error, closes on an oversized one, and keeps answering info', async () => {
    const { ws, next } = await openSocket();
    const bad: { send: string | Buffer; id: number | null; message: RegExp }[] = [
      { send: 'not json', id: null, message: /not JSON/ },
      { send: '{"id": 1', id: null, message: /not JSON/ },
      { send: Buffer.from([0xff, 0x00, 0x13]), id: null, message: /not JSON/ },
      { send: 'null', id: null, message: /not a call/ },
      { send: '[]', id: null, message: /not a call/ },
      { send: '42', id: null, message: /not a call/ },
      { send: '{}', id: null, message: /not a call/ },
      { send: '{"id": 3}', id: 3, message: /not a call/ },
      { send: '{"id": "4", "method": "info", "args": []}', id: null, message: /not a call/ },
      { send: '{"id": -1, "method": "info", "args": []}', id: null, message: /not a call/ },
      { send: '{"id": 5, "method": 7, "args": []}', id: 5, message: /not a call/ },
    ];
    const calls: [string, unknown][] = [
      ['noSuchCall', []],
      ['__proto__', []],
      ['constructor', []],
      ['info', 'x'],
      ['info', { 0: 1 }],
      ['getRun', [123]],
      ['getRun', []],
      ['cancelRun', [{}]],
      ['deleteRun', [null]],
      ['deleteRuns', ['x']],
      ['deleteRuns', [[1, 2]]],
      ['updateRunMeta', [1, 2]],
      ['startRun', [{ experiment: 5, params: {} }]],
      ['startRun', [{ experiment: 'no-such-experiment', params: {} }]],
      ['startRun', [{ experiment: 'optimizers-mnist', params: { iterations: 'many' } }]],
      ['startRun', ['optimizers-mnist']],
      ['dropoutMasks', [{ ratio: 'x' }]],
      ['saveFile', [{ suggestedName: 3 }]],
      ['chooseDatasetDir', [42]],
    ];
    calls.forEach(([method, args], i) => {
      bad.push({
        send: JSON.stringify({ id: 100 + i, method, args }),
        id: 100 + i,
        message: /unknown call|bad arguments|experiment|iterations/,
      });
    });
    for (const message of bad) {
      ws.send(message.send);
      const reply = await next();
      expect(reply, String(message.send)).toMatchObject({ type: 'error', id: message.id });
      expect((reply as { message: string }).message, String(message.send)).toMatch(message.message);
    }
    ws.send(JSON.stringify({ id: 1000, method: 'info', args: [] }));
    expect(await next()).toMatchObject({ type: 'result', id: 1000, result: { host: 'web', version: 'test' } });
    expect(host.service.listRuns()).toEqual([]);

    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(MAX_SOCKET_MESSAGE_BYTES + 1));
    expect(await closed).toBe(1009);

    const again = await openSocket();
    again.ws.send(JSON.stringify({ id: 1, method: 'info', args: [] }));
    expect(await again.next()).toMatchObject({ type: 'result', id: 1 });
    again.ws.close();
    console.log(`WebSocket: ${bad.length + 3} messages (${bad.length} bad, 1 oversized), all answered`);
  });
});

/** PIDs of the direct children of `pid`. */
function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((line) => Number(line.trim()))
      .filter((n) => n > 0);
  } catch {
    return [];
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the web host process', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    if (child?.exitCode === null) child.kill('SIGKILL');
  });

  it('ends within 2 s of SIGTERM with a client connected and a run training, saving it as cancelled', async () => {
    const historyDir = path.join(tmp, 'process-state');
    child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        'src/host/index.ts',
        '--port',
        '0',
        '--history',
        historyDir,
        '--renderer',
        path.join(tmp, 'renderer'),
      ],
      { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the host did not start: ${output}`)), 60_000);
      child!.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const found = output.match(/listening on (http:\S+)/);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]!);
        }
      });
    });
    const childPort = Number(new URL(url).port);
    const ws = new WebSocket(`ws://127.0.0.1:${childPort}/api`, { origin: `http://127.0.0.1:${childPort}` });
    const events: string[] = [];
    const results = new Map<number, unknown>();
    ws.on('message', (data) => {
      const message = JSON.parse((data as Buffer).toString('utf8')) as ServerMessage;
      if (message.type === 'run-event') events.push(message.event.event.type);
      else if (message.type === 'result') results.set(message.id, message.result);
    });
    ws.on('error', () => {});
    await new Promise<void>((resolve) => ws.once('open', () => resolve()));
    ws.send(
      JSON.stringify({
        id: 1,
        method: 'startRun',
        args: [{ experiment: 'optimizers-mnist', params: { iterations: 50_000 } }],
      }),
    );
    // Training: the first points have streamed (the worker loaded tfjs and MNIST).
    const deadline = Date.now() + 90_000;
    while (!events.includes('progress')) {
      if (Date.now() > deadline) throw new Error(`no progress: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const { runId } = results.get(1) as { runId: string };
    const workers = childPids(child.pid!);
    expect(workers.length).toBeGreaterThan(0);

    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await exited;
    const took = Date.now() - started;
    console.log(`SIGTERM: host exited with ${code} after ${took} ms (workers ${workers.join(', ')})`);
    expect(took).toBeLessThan(2000);
    expect(code).toBe(0);
    // No worker left behind (they got SIGTERM before the host exited).
    const gone = Date.now() + 2000;
    while (workers.some(alive) && Date.now() < gone) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(workers.filter(alive)).toEqual([]);
    const runDir = path.join(historyDir, 'runs', runId);
    expect(readdirSync(runDir)).toContain('record.json');
    const record = JSON.parse(readFileSync(path.join(runDir, 'record.json'), 'utf8')) as { status: string };
    expect(record.status).toBe('cancelled');
  });
});
