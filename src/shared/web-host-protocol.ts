import { z } from 'zod';
import type { RunEvent } from './api';

/**
 * The web host's WebSocket messages: calls from the renderer (`method` is a name of the call table in
 * lab-calls.ts, checked by the host's dispatcher), results and run events back.
 */
export const clientMessageSchema = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  /** Validated against the call's schema by the dispatcher. */
  args: z.unknown(),
});
export type ClientMessage = z.output<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: 'result'; id: number; result: unknown }
  /** id null: the message could not be read as a call (not JSON, no id, too large), so nothing to answer. */
  | { type: 'error'; id: number | null; message: string }
  | { type: 'run-event'; event: RunEvent };

/** The largest message either side accepts (a chart's PNG export is the largest call: saveFile). */
export const MAX_SOCKET_MESSAGE_BYTES = 8 * 1024 * 1024;
