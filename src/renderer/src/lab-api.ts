import type { LabApi } from '../../shared/api';
import { type LabTransport, labApiOver } from '../../shared/lab-calls';
import { type Connection, type ConnectionState, LOST_CONNECTION, createSocketClient } from './lib/socket-client';

/**
 * The renderer's one way to its host, chosen once at start: Electron's preload bridge (window.lab)
 * when present, else the web host's WebSocket at /api (lib/socket-client.ts: reconnects with backoff,
 * every call times out). Nothing else in the renderer knows which. Both
 * are a LabTransport under the same LabApi, built from the shared call table (src/shared/lab-calls.ts).
 */

export type { ConnectionState };
export { LOST_CONNECTION };

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

function pickTransport(): { api: LabApi; connection: Connection } {
  if (window.lab) {
    const connection: Connection = { state: 'open', onChange: () => () => {} };
    return { api: labApiOver(withCleanErrors(bridgeTransport(window.lab))), connection };
  }
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const { transport, connection } = createSocketClient({
    url: `${scheme}://${location.host}/api`,
    createSocket: (url) => new WebSocket(url),
  });
  return { api: labApiOver(withCleanErrors(transport)), connection };
}

const transport = pickTransport();

/** The LabApi of whichever host runs this page. */
export const lab: LabApi = transport.api;
/** Whether the host can still be reached (only a WebSocket can be lost). */
export const labConnection: Connection = transport.connection;
