import { z } from 'zod';
import { Id } from '../validators';
import { method, Ok } from './define';
import { HostKeyInfo } from './ssh.contract';

/** Trusted host keys kept in the vault, and the known_hosts import. */

export const TrustedHostKey = HostKeyInfo.extend({
  id: Id,
  host: z.string(),
  port: z.number().int(),
  /** Where it came from: trusted at first connection, replaced after a change, or imported from known_hosts. */
  source: z.enum(['first-use', 'replaced', 'known_hosts']),
  addedAt: z.number().int(),
});
export type TrustedHostKey = z.infer<typeof TrustedHostKey>;

export const hostKeysMethods = {
  'hostKeys.list': method({
    input: z.strictObject({ host: z.string().max(253).optional() }),
    output: z.array(TrustedHostKey),
    summary: 'Trusted SSH host keys (kept in the vault).',
  }),
  'hostKeys.remove': method({
    input: z.strictObject({ id: Id }),
    output: Ok,
    summary: 'Forget a trusted host key (the next connection asks again).',
  }),
  'hostKeys.importKnownHosts': method({
    input: z.strictObject({ path: z.string().max(4096).optional(), text: z.string().max(5_000_000).optional() }),
    output: z.object({
      imported: z.number().int(),
      alreadyTrusted: z.number().int(),
      /** Hashed entries (|1|...) are kept and matched when a server with that host is first connected. */
      hashed: z.number().int(),
      skipped: z.array(z.object({ line: z.number().int(), reason: z.string() })),
    }),
    summary: 'Import ~/.ssh/known_hosts (default path), hashed entries included.',
  }),
};
