import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunListEntry } from '../../shared/api';
import { LAB_CALLS, LAB_CALL_NAMES } from '../../shared/lab-calls';
import { MAX_SOCKET_MESSAGE_BYTES } from '../../shared/web-host-protocol';
import { LabSocket, type TestHost, countCrashes, endOf, report, seeded, startTestHost, until } from './fault-helpers';

/**
 * The web host's /api socket under generated bad messages (seeded): junk, binary frames, wrong
 * shapes, arguments of the wrong type for every call of the LabApi's table, oversized messages, and
 * 50 startRun calls at once. After each batch the host still answers `info`, lists its runs cleanly
 * and trains at most maxConcurrentRuns runs.
 */
const crashes = countCrashes();
const N = 2;
let t: TestHost;
let messages = 0;
/** The most runs the service had training at once, sampled at each of its events. */
let maxTraining = 0;

beforeAll(async () => {
  t = await startTestHost('socket', { maxConcurrentRuns: N });
  t.host.service.onRunEvent(() => (maxTraining = Math.max(maxTraining, t.host.service.trainingCount())));
});
afterAll(async () => {
  report('socket', { messagesSent: messages, crashes: crashes.count() });
  await t?.close();
});

/** The host's health after a batch: info answers, listRuns lists cleanly, at most N runs train. */
async function healthy(): Promise<void> {
  const s = await LabSocket.open(t.port);
  const info = await s.result<{ host: string }>('info');
  expect(info.host).toBe('web');
  const runs = await s.result<RunListEntry[]>('listRuns');
  messages += 2;
  expect(runs.filter((r) => r.status === 'damaged')).toEqual([]);
  expect(t.host.service.trainingCount()).toBeLessThanOrEqual(t.host.service.maxConcurrentRuns);
  expect(maxTraining).toBeLessThanOrEqual(N);
  s.close();
}

/** Values of every JSON type, odd ones included. */
function values(r: ReturnType<typeof seeded>): unknown[] {
  const deep: unknown[] = [];
  let at = deep;
  for (let i = 0; i < 2000; i++) at.push((at = []));
  return [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -0,
    '',
    'x',
    '../../etc/passwd',
    'a/b',
    '\u0000',
    'é'.repeat(70),
    'x'.repeat(5000),
    [],
    [1, 2],
    [null],
    {},
    { a: 1 },
    { __proto__: { polluted: true } },
    { constructor: { prototype: { polluted: true } } },
    { experiment: 5, params: [] },
    { experiment: 'optimizers-mnist' },
    { experiment: 'optimizers-mnist', params: { iterations: -r.int(100) } },
    { experiment: 'optimizers-mnist', params: { iterations: 'many' } },
    { ratio: 2, seed: -1, step: 0, sizes: [] },
    { notes: 5, tags: 'x', starred: 'yes' },
    { suggestedName: '../x.png', content: 'x' },
    deep,
  ];
}

describe('the web host over its socket, under generated messages', () => {
  it('answers junk, binary frames and wrong shapes with an error and keeps going', async () => {
    const r = seeded(22);
    let s = await LabSocket.open(t.port);
    let closes = 0;
    const errors: string[] = [];
    const pool = values(r);
    for (let i = 0; i < 1200; i++) {
      const kind = r.int(5);
      let send: string | Buffer;
      if (kind === 0) send = Buffer.from(Array.from({ length: 1 + r.int(200) }, () => r.int(256)));
      else if (kind === 1)
        send = JSON.stringify({ id: 5000 + i, method: r.pick(LAB_CALL_NAMES) }).slice(0, 1 + r.int(40));
      else if (kind === 2) send = JSON.stringify(r.pick(pool));
      else if (kind === 3) {
        // A call-like object with one field wrong.
        const message: Record<string, unknown> = { id: 5000 + i, method: r.pick(LAB_CALL_NAMES), args: [] };
        message[r.pick(['id', 'method', 'args', 'extra'])] = r.pick(pool);
        if (r.next() < 0.3) delete message[r.pick(['id', 'method', 'args'])];
        send = JSON.stringify(message);
      } else
        send = JSON.stringify({
          id: 5000 + i,
          method: r.pick([
            '',
            'x',
            '__proto__',
            'toString',
            'hasOwnProperty',
            'onRunEvent',
            'constructor',
            'm'.repeat(101),
          ]),
          args: [],
        });
      const before = s.orphans.length;
      const binary = kind === 0 && r.next() < 0.5;
      s.ws.send(send, { binary });
      messages++;
      if (!binary && Buffer.isBuffer(send) && !Buffer.from(send.toString('utf8')).equals(send)) {
        // A text frame that is not UTF-8 breaks the protocol: ws closes the socket (1007); a new one is opened.
        await until(() => s.closedWith !== undefined, `the close after message ${i}`, 10_000);
        expect(s.closedWith).toBe(1007);
        closes++;
        s = await LabSocket.open(t.port);
        continue;
      }
      // The id-less errors come back as orphans; those with an id too (nobody waits for them here).
      await s.orphansReach(before + 1);
      const reply = s.orphans[s.orphans.length - 1]!;
      if (reply.type === 'result' && typeof send === 'string') {
        // Only a well-formed call of a zero-argument method may succeed.
        const parsed = JSON.parse(send) as { method?: string; args?: unknown };
        const ok =
          typeof parsed.method === 'string' &&
          (LAB_CALLS as Record<string, z.ZodType>)[parsed.method]?.safeParse(parsed.args).success;
        if (!ok) errors.push(`accepted ${send.slice(0, 100)}`);
      } else if (reply.type !== 'error' && reply.type !== 'result')
        errors.push(`odd reply ${JSON.stringify(reply).slice(0, 100)}`);
    }
    s.close();
    console.log(`junk messages: 1200, ${closes} closed the socket (text frames not UTF-8, 1007)`);
    expect(errors).toEqual([]);
    await healthy();
  });

  it('refuses arguments of the wrong type for every call of the table', async () => {
    const r = seeded(33);
    const s = await LabSocket.open(t.port);
    const pool = values(r);
    const wrong: string[] = [];
    let tried = 0;
    for (const name of LAB_CALL_NAMES) {
      const schema = LAB_CALLS[name] as z.ZodType<unknown[]>;
      const arity = (schema as unknown as { def: { items: unknown[] } }).def.items.length;
      const candidates: unknown[] = [...pool.slice(0, 20)];
      for (let k = 0; k < 60; k++) {
        // Lists of the right length with one or more wrong members, and lists too long or too short.
        const length = r.next() < 0.7 ? arity : r.int(arity + 3);
        candidates.push(Array.from({ length }, () => r.pick(pool)));
      }
      for (const args of candidates) {
        // A list the schema accepts is a real call (it could change settings or delete runs): not sent.
        if (schema.safeParse(args).success) continue;
        const reply = await s.call(name, args);
        messages++;
        tried++;
        if (reply.type !== 'error' || !/^bad arguments for /.test(reply.message)) {
          wrong.push(`${name}(${JSON.stringify(args)?.slice(0, 80)}): ${JSON.stringify(reply).slice(0, 120)}`);
        }
      }
    }
    console.log(`wrong-typed calls: ${tried} over ${LAB_CALL_NAMES.length} calls`);
    expect(tried).toBeGreaterThan(LAB_CALL_NAMES.length * 40);
    s.close();
    expect(wrong).toEqual([]);
    expect(t.host.service.listRuns()).toEqual([]);
    await healthy();
  });

  it('closes on an oversized message (1009) and answers a large one that fits', async () => {
    const big = await LabSocket.open(t.port);
    // Just under the limit: a call with a wrong-typed argument 7 MB long gets its error.
    const reply = await big.call('getRun', ['x'.repeat(7 * 1024 * 1024)]);
    messages++;
    expect(reply).toMatchObject({ type: 'error' });
    for (const size of [MAX_SOCKET_MESSAGE_BYTES + 1, MAX_SOCKET_MESSAGE_BYTES * 2]) {
      const s = await LabSocket.open(t.port);
      s.ws.send('x'.repeat(size));
      messages++;
      await until(() => s.closedWith !== undefined, 'the close', 10_000);
      expect(s.closedWith).toBe(1009);
    }
    big.close();
    await healthy();
  });

  it('50 startRun calls at once: at most N train, the rest queue in order; all end once the rest are cancelled', async () => {
    const s = await LabSocket.open(t.port);
    const request = { experiment: 'optimizers-mnist', params: { iterations: 50_000, optimizers: ['SGD'] } };
    const replies = await Promise.all(Array.from({ length: 50 }, () => s.call('startRun', [request])));
    messages += 50;
    const ids = replies.map((reply) => {
      if (reply.type !== 'result') throw new Error(`startRun failed: ${JSON.stringify(reply)}`);
      return (reply.result as { runId: string }).runId;
    });
    expect(new Set(ids).size).toBe(50);
    const queued = t.host.service.queuedRuns();
    const started = 50 - queued.length;
    // The first place each queued run was given, in the order of the calls.
    await until(
      () => queued.every((id) => s.events.some((e) => e.runId === id && e.event.type === 'queued')),
      'places',
    );
    const firstPlaces = queued.map((id) => {
      const event = s.events.find((e) => e.runId === id && e.event.type === 'queued')!.event;
      return event.type === 'queued' ? event.place : -1;
    });
    expect(started).toBe(N);
    expect(queued).toEqual(ids.slice(N));
    expect(firstPlaces).toEqual(queued.map((_, i) => i + 1));
    const listed = await s.result<RunListEntry[]>('listRuns');
    messages++;
    expect(listed.filter((e) => e.status === 'queued').length).toBe(50 - N);

    // Training under way, then everything cancelled: the last queued first, the training ones last.
    await until(
      () => ids.slice(0, N).every((id) => s.events.some((e) => e.runId === id && e.event.type === 'progress')),
      'progress',
    );
    for (const id of [...ids].reverse()) {
      const reply = await s.call('cancelRun', [id]);
      messages++;
      expect(reply.type).toBe('result');
      expect(t.host.service.trainingCount()).toBeLessThanOrEqual(N);
    }
    await until(() => ids.every((id) => endOf(s.events, id) !== undefined), 'every run to end');
    const statuses = new Map((await s.result<RunListEntry[]>('listRuns')).map((e) => [e.id, e.status]));
    messages++;
    const counts: Record<string, number> = {};
    for (const id of ids) counts[statuses.get(id) ?? 'missing'] = (counts[statuses.get(id) ?? 'missing'] ?? 0) + 1;
    const note =
      `50 startRun at once with maxConcurrentRuns ${N}: ${started} started, ${queued.length} queued with places ` +
      `1..${queued.length}; most training at once ${maxTraining}; after cancelling all: ${JSON.stringify(counts)}`;
    console.log(note);
    report('socket', { notes: [note] });
    expect(counts).toEqual({ cancelled: 50 });
    expect(t.host.service.queuedRuns()).toEqual([]);
    await until(() => t.host.service.trainingCount() === 0, 'no run training');
    s.close();
    await healthy();
  });
});
