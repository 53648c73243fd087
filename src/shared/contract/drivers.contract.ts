import { z } from 'zod';
import { Id } from '../validators';
import { method } from './define';
import { DriverKind } from './inventory.contract';

/** What a driver can do for a server (DESIGN.md rule 5): the UI shows only what is there. */
export const Capability = z.enum([
  'sites',
  'databases',
  'certificates',
  'metrics',
  'power',
  'users',
  'dns',
  'mail',
  'backups',
]);

/** What the probe found on a server. */
export const Probe = z.object({
  at: z.number().int(),
  os: z.string().nullable(),
  webServer: z.object({ name: z.enum(['nginx', 'apache']), version: z.string().nullable() }).nullable(),
  php: z.array(z.string()),
  databases: z.array(z.object({ engine: z.enum(['mariadb', 'mysql', 'postgresql']), version: z.string() })),
  tools: z.object({ certbot: z.boolean(), clpctl: z.boolean(), hestia: z.boolean(), sudo: z.boolean() }),
  privileged: z.boolean(),
});

export const driversMethods = {
  'servers.capabilities': method({
    input: z.strictObject({ id: Id, refresh: z.boolean().default(false) }),
    output: z.object({ kind: DriverKind, capabilities: z.array(Capability), probe: Probe }),
    summary: 'Which driver serves a server, what it can do, and what the server runs (probed over SSH, cached).',
  }),
};
