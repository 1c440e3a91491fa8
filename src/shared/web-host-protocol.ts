import { z } from 'zod';
import type { RunEvent } from './api';

/**
 * The web host's WebSocket messages: calls from the renderer (`method` is a name of the call table in
 * lab-calls.ts, checked by the host's dispatcher), results and run events back.
 */
export const clientMessageSchema = z.object({
  id: z.number(),
  method: z.string(),
  /** Validated against the call's schema by the dispatcher. */
  args: z.unknown(),
});
export type ClientMessage = z.output<typeof clientMessageSchema>;

export type ServerMessage =
  | { type: 'result'; id: number; result: unknown }
  | { type: 'error'; id: number; message: string }
  | { type: 'run-event'; event: RunEvent };
