import type { LabApi, RunEvent } from '../../shared/api';
import { type LabCallName, type LabTransport, labApiOver } from '../../shared/lab-calls';
import type { ClientMessage, ServerMessage } from '../../shared/web-host-protocol';

/**
 * The renderer's one way to its host, chosen once at start: Electron's preload bridge (window.lab)
 * when present, else the web host's WebSocket at /api. Nothing else in the renderer knows which. Both
 * are a LabTransport under the same LabApi, built from the shared call table (src/shared/lab-calls.ts).
 */

export type ConnectionState = 'open' | 'connecting' | 'lost';

interface Connection {
  state: ConnectionState;
  /** Called when the state changes; returns the function that unsubscribes. */
  onChange(listener: (state: ConnectionState) => void): () => void;
}

/** "Error invoking remote method 'lab:startRun': Error: bad" -> "bad". */
export function cleanErrorMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.replace(/^Error invoking remote method '[^']*':\s*/, '').replace(/^(?:[A-Za-z]*Error):\s*/, '');
}

/** Every call of a transport, so that a rejected one carries its clean message. */
function withCleanErrors(transport: LabTransport): LabTransport {
  return {
    call: async (name, args) => {
      try {
        return await transport.call(name, args);
      } catch (error) {
        throw new Error(cleanErrorMessage(error), { cause: error });
      }
    },
    onRunEvent: (listener) => transport.onRunEvent(listener),
  };
}

/** The preload's window.lab, called by name (its members are the table's calls). */
function bridgeTransport(bridge: LabApi): LabTransport {
  return {
    call: (name, args) => (bridge[name] as (...args: unknown[]) => Promise<unknown>)(...args),
    onRunEvent: (listener) => bridge.onRunEvent(listener),
  };
}

export const LOST_CONNECTION = 'lost connection to the lab';

function webSocketTransport(url: string): { transport: LabTransport; connection: Connection } {
  const listeners = new Set<(state: ConnectionState) => void>();
  const runListeners = new Set<(event: RunEvent) => void>();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const queue: string[] = [];
  let nextId = 1;
  const connection: Connection = {
    state: 'connecting',
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  const setState = (state: ConnectionState) => {
    if (connection.state === state) return;
    connection.state = state;
    for (const listener of listeners) listener(state);
  };

  const socket = new WebSocket(url);
  socket.addEventListener('open', () => {
    setState('open');
    for (const text of queue.splice(0)) socket.send(text);
  });
  socket.addEventListener('close', () => {
    setState('lost');
    for (const call of pending.values()) call.reject(new Error(LOST_CONNECTION));
    pending.clear();
    queue.length = 0;
  });
  socket.addEventListener('message', (message) => {
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
    const call = pending.get(data.id);
    if (!call) return;
    pending.delete(data.id);
    if (data.type === 'result') call.resolve(data.result);
    else call.reject(new Error(data.message));
  });

  const call = (method: LabCallName, args: unknown[]): Promise<unknown> =>
    new Promise<unknown>((resolve, reject) => {
      if (connection.state === 'lost') {
        reject(new Error(LOST_CONNECTION));
        return;
      }
      const message: ClientMessage = { id: nextId++, method, args };
      pending.set(message.id, { resolve, reject });
      const text = JSON.stringify(message);
      if (socket.readyState === WebSocket.OPEN) socket.send(text);
      else queue.push(text);
    });

  const transport: LabTransport = {
    call,
    onRunEvent: (listener) => {
      runListeners.add(listener);
      return () => runListeners.delete(listener);
    },
  };
  return { transport, connection };
}

function pickTransport(): { api: LabApi; connection: Connection } {
  if (window.lab) {
    const connection: Connection = { state: 'open', onChange: () => () => {} };
    return { api: labApiOver(withCleanErrors(bridgeTransport(window.lab))), connection };
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const { transport, connection } = webSocketTransport(`${scheme}://${location.host}/api`);
  return { api: labApiOver(withCleanErrors(transport)), connection };
}

const transport = pickTransport();

/** The LabApi of whichever host runs this page. */
export const lab: LabApi = transport.api;
/** Whether the host can still be reached (only a WebSocket can be lost). */
export const labConnection: Connection = transport.connection;
