import { z } from 'zod';
import { Id, Port } from '../validators';
import { event, method, Ok } from './define';

/** Local and SOCKS (dynamic) port forwards over a server's SSH connection. */

/** Forwards listen on loopback unless the user explicitly binds elsewhere. */
const BindHost = z.enum(['127.0.0.1', '::1', 'localhost', '0.0.0.0', '::']).default('127.0.0.1');
const DestHost = z.string().trim().min(1).max(253);

export const ForwardSpecInput = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('local'),
    serverId: Id,
    bindHost: BindHost,
    bindPort: z.number().int().min(0).max(65535).default(0),
    destHost: DestHost,
    destPort: Port,
  }),
  z.strictObject({
    kind: z.literal('dynamic'),
    serverId: Id,
    bindHost: BindHost,
    bindPort: z.number().int().min(0).max(65535).default(0),
  }),
]);

export const ForwardInfo = z.object({
  id: z.uuid(),
  kind: z.enum(['local', 'dynamic']),
  targetId: Id,
  bindHost: z.string(),
  bindPort: z.number().int(),
  destHost: z.string().nullable(),
  destPort: z.number().int().nullable(),
  connections: z.number().int().nonnegative(),
  totalConnections: z.number().int().nonnegative(),
});
export type ForwardInfo = z.infer<typeof ForwardInfo>;

export const forwardsMethods = {
  'forwards.start': method({
    input: ForwardSpecInput,
    output: ForwardInfo,
    summary: 'Start a local (-L) or dynamic SOCKS5 (-D) forward; binds loopback unless told otherwise.',
    /** A forward lives in the process that started it: from the CLI it would die as soon as the command returns. */
    cli: false,
  }),
  'forwards.stop': method({
    input: z.strictObject({ id: z.uuid() }),
    output: Ok,
    summary: 'Stop a forward.',
    cli: false,
  }),
  'forwards.list': method({
    input: z.strictObject({}),
    output: z.array(ForwardInfo),
    summary: 'Active forwards.',
    cli: false,
  }),
};

export const forwardsEvents = {
  'forwards.changed': event({
    payload: z.object({ forwards: z.array(ForwardInfo) }),
    summary: 'A forward started, stopped, or its connection count changed.',
  }),
};
