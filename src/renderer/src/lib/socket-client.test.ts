import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../../../shared/api';
import type { ClientMessage } from '../../../shared/web-host-protocol';
import { LOST_CONNECTION, type SocketLike, backoffDelay, createSocketClient, timeoutMessage } from './socket-client';

/** A WebSocket double: the test opens, closes and answers it. */
class FakeSocket implements SocketLike {
  readyState = 0;
  sent: ClientMessage[] = [];
  private handlers: Record<string, ((message: { data: unknown }) => void)[]> = {};
  addEventListener(type: string, listener: (message: { data: unknown }) => void): void {
    (this.handlers[type] ??= []).push(listener);
  }
  send(text: string): void {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(text) as ClientMessage);
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = 1;
    this.emit('open');
  }
  drop(): void {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.emit('close');
  }
  receive(message: unknown): void {
    this.emit('message', { data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  private emit(type: string, message: { data: unknown } = { data: undefined }): void {
    for (const handler of this.handlers[type] ?? []) handler(message);
  }
}

let sockets: FakeSocket[];
const latest = () => sockets[sockets.length - 1]!;
const client = (callTimeoutMs = 30_000) =>
  createSocketClient({
    url: 'ws://127.0.0.1:1/api',
    createSocket: () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket;
    },
    callTimeoutMs,
  });

beforeEach(() => {
  sockets = [];
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the WebSocket client', () => {
  it('queues calls until the socket opens and answers them by id', async () => {
    const { transport, connection } = client();
    expect(connection.state).toBe('connecting');
    const answer = transport.call('info', []);
    latest().open();
    expect(connection.state).toBe('open');
    expect(latest().sent).toEqual([{ id: 1, method: 'info', args: [] }]);
    latest().receive('not json');
    latest().receive({ type: 'error', id: null, message: 'not a call' });
    latest().receive({ type: 'result', id: 1, result: { host: 'web' } });
    await expect(answer).resolves.toEqual({ host: 'web' });
  });

  it('reconnects with backoff after a drop, shows lost meanwhile, and keeps run-event listeners', async () => {
    const { transport, connection } = client();
    const states: string[] = [];
    connection.onChange((state) => states.push(state));
    const events: RunEvent[] = [];
    transport.onRunEvent((event) => events.push(event));
    latest().open();

    const inFlight = transport.call('listRuns', []);
    latest().drop();
    await expect(inFlight).rejects.toThrow(LOST_CONNECTION);
    expect(connection.state).toBe('lost');

    // Attempts at 500 ms, then 1 s, then 2 s after each failure.
    const waiting = transport.call('info', []);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(499);
    expect(sockets).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(2);
    latest().drop();
    await vi.advanceTimersByTimeAsync(999);
    expect(sockets).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(sockets).toHaveLength(3);
    expect(connection.state).toBe('lost');

    // Open again: the waiting call is sent on the new socket, events reach the same listeners.
    latest().open();
    expect(connection.state).toBe('open');
    expect(latest().sent.map((m) => m.method)).toEqual(['info']);
    latest().receive({ type: 'result', id: latest().sent[0]!.id, result: 'ok' });
    await expect(waiting).resolves.toBe('ok');
    const event = { runId: 'r1', event: { type: 'finished' } } as unknown as RunEvent;
    latest().receive({ type: 'run-event', event });
    expect(events).toEqual([event]);
    expect(states).toEqual(['open', 'lost', 'open']);

    // A later drop starts again from the first delay.
    latest().drop();
    await vi.advanceTimersByTimeAsync(500);
    expect(sockets).toHaveLength(4);
  });

  it('fails a call that gets no answer within the timeout, with a message naming it', async () => {
    const { transport } = client(30_000);
    latest().open();
    const call = transport.call('getRun', ['r1']);
    const check = expect(call).rejects.toThrow('the lab did not answer "getRun" within 30 s');
    await vi.advanceTimersByTimeAsync(30_000);
    await check;
    // A late answer is ignored.
    latest().receive({ type: 'result', id: 1, result: {} });
  });

  it('times out a call waiting for a socket that never opens', async () => {
    const { transport, connection } = client(5_000);
    latest().drop();
    const call = transport.call('info', []);
    const check = expect(call).rejects.toThrow(timeoutMessage('info', 5_000));
    await vi.advanceTimersByTimeAsync(5_000);
    await check;
    expect(connection.state).toBe('lost');
  });

  it('stops for good on close', async () => {
    const { transport, close } = client();
    latest().open();
    const call = transport.call('info', []);
    close();
    await expect(call).rejects.toThrow(LOST_CONNECTION);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(sockets).toHaveLength(1);
    await expect(transport.call('info', [])).rejects.toThrow(LOST_CONNECTION);
  });

  it('caps the backoff', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 100].map((n) => backoffDelay(n))).toEqual([
      500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
  });
});
