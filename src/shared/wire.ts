import { z } from 'zod';
import { WireError } from './errors';

/** The answer to one call, as it crosses any transport. */
export const CallResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: WireError }),
]);
export type CallResult = z.infer<typeof CallResult>;

/** WebSocket frames from client to host. */
export const ClientFrame = z.object({
  id: z.number().int().nonnegative(),
  method: z.string().min(1).max(200),
  input: z.unknown(),
});
export type ClientFrame = z.infer<typeof ClientFrame>;

/** WebSocket frames from host to client: a reply to a call, or an event. */
export type HostFrame =
  | { kind: 'reply'; id: number; result: CallResult }
  | { kind: 'event'; name: string; payload: unknown }
  | { kind: 'refused'; error: WireError };

/** The subprotocol every PanelDeck WebSocket client offers; the token travels as a second one. */
export const WS_PROTOCOL = 'paneldeck.v1';
/** Prefix of the subprotocol that carries the per-launch token (keeps it out of URLs and logs). */
export const WS_TOKEN_PREFIX = 'token.';
