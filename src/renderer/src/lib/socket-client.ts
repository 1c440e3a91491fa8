import type { RunEvent } from '../../../shared/api';
import type { LabCallName, LabTransport } from '../../../shared/lab-calls';
import type { ClientMessage, ServerMessage } from '../../../shared/web-host-protocol';

/**
 * The web host's WebSocket as a LabTransport, without the DOM: the socket comes from `createSocket`
 * (the browser's WebSocket, or a fake in tests). When the socket drops it reconnects with backoff;
 * run-event listeners stay registered across sockets (the host sends every socket the run events), and
 * the connection's state says 'lost' until a socket opens again. Calls made while reconnecting wait
 * for the socket; every call fails after `callTimeoutMs` with a message naming the call.
 */

export type ConnectionState = 'open' | 'connecting' | 'lost';

export interface Connection {
  readonly state: ConnectionState;
  /** Called when the state changes; returns the function that unsubscribes. */
  onChange(listener: (state: ConnectionState) => void): () => void;
}

/** What is used of a WebSocket (the browser's satisfies it). */
export interface SocketLike {
  readonly readyState: number;
  send(text: string): void;
  close(): void;
  addEventListener(type: 'open' | 'close', listener: () => void): void;
  addEventListener(type: 'message', listener: (message: { data: unknown }) => void): void;
}

export interface SocketClientOptions {
  url: string;
  createSocket: (url: string) => SocketLike;
  /** Every call fails after this long without an answer (default 30 s). */
  callTimeoutMs?: number;
  /** The first reconnection's delay, doubled after each failure up to `maxBackoffMs` (defaults 500 ms, 10 s). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
}

export const LOST_CONNECTION = 'lost connection to the lab';

/** Calls that train before they answer (step 4 of a search trains a net): they wait longer than others. */
const LONG_CALLS: Partial<Record<LabCallName, number>> = { evaluateOnTest: 60 * 60_000 };
const OPEN = 1;

export function timeoutMessage(method: string, ms: number): string {
  return `the lab did not answer "${method}" within ${Math.round(ms / 1000)} s`;
}

/** The delay before reconnection attempt `attempt` (0-based): 500 ms, 1 s, 2 s, ... capped. */
export function backoffDelay(attempt: number, initialMs = 500, maxMs = 10_000): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}

interface Pending {
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  /** The message, until it has been sent. */
  unsent?: string;
}

export function createSocketClient(options: SocketClientOptions): {
  transport: LabTransport;
  connection: Connection;
  /** Stops for good: closes the socket, no more reconnecting; pending calls fail. */
  close(): void;
} {
  const callTimeoutMs = options.callTimeoutMs ?? 30_000;
  const listeners = new Set<(state: ConnectionState) => void>();
  const runListeners = new Set<(event: RunEvent) => void>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let attempt = 0;
  let stopped = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let state: ConnectionState = 'connecting';
  const connection: Connection = {
    get state() {
      return state;
    },
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const setState = (next: ConnectionState) => {
    if (state === next) return;
    state = next;
    for (const listener of listeners) listener(next);
  };
  const settle = (id: number): Pending | undefined => {
    const call = pending.get(id);
    if (!call) return undefined;
    pending.delete(id);
    clearTimeout(call.timer);
    return call;
  };

  let socket: SocketLike;
  const connect = () => {
    const current = options.createSocket(options.url);
    socket = current;
    current.addEventListener('open', () => {
      if (current !== socket) return;
      attempt = 0;
      setState('open');
      for (const call of pending.values()) {
        if (call.unsent === undefined) continue;
        current.send(call.unsent);
        call.unsent = undefined;
      }
    });
    current.addEventListener('close', () => {
      if (current !== socket) return;
      // Calls already sent may or may not have run: they fail. Calls not yet sent wait for the next socket.
      for (const [id, call] of pending) {
        if (call.unsent === undefined) settle(id)?.reject(new Error(LOST_CONNECTION));
      }
      if (stopped) return;
      setState('lost');
      reconnectTimer = setTimeout(connect, backoffDelay(attempt++, options.initialBackoffMs, options.maxBackoffMs));
    });
    current.addEventListener('message', (message) => {
      if (current !== socket) return;
      let data: ServerMessage;
      try {
        data = JSON.parse(String(message.data)) as ServerMessage;
      } catch {
        return;
      }
      if (data.type === 'run-event') {
        for (const listener of runListeners) listener(data.event);
        return;
      }
      if (typeof data.id !== 'number') return;
      const call = settle(data.id);
      if (!call) return;
      if (data.type === 'result') call.resolve(data.result);
      else call.reject(new Error(data.message));
    });
  };
  connect();

  const call = (method: LabCallName, args: unknown[]): Promise<unknown> =>
    new Promise<unknown>((resolve, reject) => {
      if (stopped) {
        reject(new Error(LOST_CONNECTION));
        return;
      }
      const message: ClientMessage = { id: nextId++, method, args };
      const text = JSON.stringify(message);
      const limit = LONG_CALLS[method] ?? callTimeoutMs;
      const timer = setTimeout(() => settle(message.id)?.reject(new Error(timeoutMessage(method, limit))), limit);
      const entry: Pending = { method, resolve, reject, timer };
      pending.set(message.id, entry);
      if (socket.readyState === OPEN) socket.send(text);
      else entry.unsent = text;
    });

  return {
    transport: {
      call,
      onRunEvent: (listener) => {
        runListeners.add(listener);
        return () => runListeners.delete(listener);
      },
    },
    connection,
    close() {
      stopped = true;
      clearTimeout(reconnectTimer);
      for (const id of [...pending.keys()]) settle(id)?.reject(new Error(LOST_CONNECTION));
      socket.close();
    },
  };
}
