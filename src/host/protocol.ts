import type { RunEvent } from '../shared/api';

/** The web host's WebSocket messages: calls from the renderer, results and run events back. */
export interface ClientMessage {
  id: number;
  method: string;
  args: unknown[];
}

export type ServerMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; message: string }
  | { type: 'run-event'; event: RunEvent };
