import { z } from 'zod';
import { DisplayName, Id } from '../validators';
import { Ok, method, secret } from './define';
import { DriverKind } from './inventory.contract';
import { PlanResult } from './sites.contract';
import { panelNeedsEndpoint } from '../panel-kinds';

/**
 * Panel accounts (issue 10): a hosting or server panel reached over its HTTP API (CloudPanel API, GhostCP, the
 * Website Factory hub, NexusPanel, SkyPANEL). Kept in the vault like servers; its secret is a vault credential.
 * A panel account's id is used wherever a `serverId` names where a site, database or certificate lives, so the
 * fleet tables and the journal treat panel rows and SSH rows alike (ids are unique across both).
 */

/** The kinds a panel account can be: the HTTP ones (SSH panels are bound to a server instead). */
export const PanelKind = DriverKind.refine(panelNeedsEndpoint, 'That kind is reached over SSH: bind it to a server.');
export type PanelKind = z.infer<typeof DriverKind>;

const BaseUrl = z
  .url({ protocol: /^https?$/, error: 'Enter the panel address as http(s)://host[:port][/path]' })
  .max(2048)
  .transform((u) => u.replace(/\/+$/, ''));

/** A panel account as the UI sees it (the secret stays in its credential). */
export const PanelAccount = z.object({
  id: Id,
  name: z.string(),
  kind: DriverKind,
  baseUrl: z.string(),
  credentialId: Id,
  /** Servers this panel manages (shown in the inventory; optional). */
  serverIds: z.array(Id),
  /** Trusted self-signed certificate fingerprints by host:port (SHA-256, colon hex). */
  tlsPins: z.record(z.string(), z.string()),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type PanelAccount = z.infer<typeof PanelAccount>;

/** A new credential typed in the "Add panel" dialog (instead of picking one from the vault). */
const NewPanelCredential = z.strictObject({
  /** Login name (GhostCP, Website Factory, NexusPanel, SkyPANEL); null for key-only panels (CloudPanel API). */
  username: z.string().trim().min(1).max(200).nullable().default(null),
  /** Password or API key. */
  secret: secret(z.string().min(1).max(8_000)),
});

export const PanelAdd = z
  .strictObject({
    name: DisplayName,
    kind: PanelKind,
    baseUrl: BaseUrl,
    credentialId: Id.optional(),
    credential: NewPanelCredential.optional(),
    serverIds: z.array(Id).max(64).default([]),
  })
  .refine((p) => (p.credentialId === undefined) !== (p.credential === undefined), {
    message: 'Pick a credential from the vault or type a new one (not both).',
    path: ['credentialId'],
  });

export const PanelPatch = z.strictObject({
  name: DisplayName.optional(),
  baseUrl: BaseUrl.optional(),
  credentialId: Id.optional(),
  serverIds: z.array(Id).max(64).optional(),
});

/** One column of a panel resource table. */
export const PanelColumn = z.object({ key: z.string(), label: z.string() });

/** One field of a panel resource's create form; `secret` fields are never shown back. */
export const PanelField = z.object({
  key: z.string(),
  label: z.string(),
  type: z.enum(['text', 'password', 'number', 'select', 'checkbox', 'textarea']),
  required: z.boolean(),
  options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  placeholder: z.string().optional(),
  help: z.string().optional(),
  secret: z.boolean().optional(),
});
export type PanelField = z.infer<typeof PanelField>;

/** A kind of thing a panel holds (users, web domains, DNS zones, jobs, …): how to show, create and delete it. */
export const PanelResourceKind = z.object({
  id: z.string(),
  label: z.string(),
  columns: z.array(PanelColumn),
  /** Empty: the panel cannot create it through its API. */
  fields: z.array(PanelField),
  canDelete: z.boolean(),
  searchable: z.boolean(),
  /** Extra actions on one row (suspend, renew, acknowledge, retry…): each runs as a plan. */
  actions: z.array(z.object({ id: z.string(), label: z.string(), confirm: z.boolean() })).default([]),
});
export type PanelResourceKind = z.infer<typeof PanelResourceKind>;

/** One row of a resource table: its id on the panel and the cells by column key (secrets masked). */
export const PanelRow = z.object({
  id: z.string(),
  cells: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
});
export type PanelRow = z.infer<typeof PanelRow>;

/** What "Test connection" answers: who we are on the panel, its version and what PanelDeck can do there. */
export const PanelIdentity = z.object({
  identity: z.string(),
  role: z.string().nullable(),
  version: z.string().nullable(),
  /** Capabilities in PanelDeck's terms (sites, databases, certificates, …). */
  supports: z.array(z.string()),
  resources: z.array(PanelResourceKind),
});
export type PanelIdentity = z.infer<typeof PanelIdentity>;

/** One CSV row of a bulk site create, checked before anything is sent. */
export const BulkRow = z.object({
  line: z.number().int(),
  values: z.record(z.string(), z.string()),
  errors: z.array(z.object({ field: z.string(), message: z.string() })),
});

const ById = z.strictObject({ id: Id });
const Resource = { id: Id, resource: z.string().min(1).max(60) };
const DryRun = { dryRun: z.boolean().default(false) };

export const panelsMethods = {
  'panels.list': method({
    input: z.strictObject({}),
    output: z.array(PanelAccount),
    summary: 'List panel accounts.',
  }),
  'panels.add': method({
    input: PanelAdd,
    output: PanelAccount,
    summary: 'Add a panel account (kind, URL, a vault credential or a new one).',
  }),
  'panels.update': method({
    input: z.strictObject({ id: Id, patch: PanelPatch }),
    output: PanelAccount,
    summary: 'Change a panel account.',
  }),
  'panels.remove': method({ input: ById, output: Ok, summary: 'Remove a panel account (its credential stays).' }),
  'panels.test': method({
    input: z.strictObject({
      id: Id,
      otp: z
        .string()
        .regex(/^\d{6,8}$/, 'Enter the 6-digit code')
        .optional(),
    }),
    output: PanelIdentity,
    summary:
      'Sign in and report identity, version and what the panel supports. A GhostCP with 2FA answers AUTH_FAILED with details.needsOtp until the code is given.',
  }),
  'panels.trust': method({
    input: z.strictObject({ id: Id, hostPort: z.string().min(3).max(300), fingerprint: z.string().min(10).max(200) }),
    output: PanelAccount,
    summary: "Trust a panel's self-signed TLS certificate (the fingerprint the first contact showed).",
  }),
  'panels.resources.list': method({
    input: z.strictObject({
      ...Resource,
      page: z.number().int().min(1).default(1),
      pageSize: z.number().int().min(1).max(200).default(50),
      search: z.string().max(200).optional(),
    }),
    output: z.object({ items: z.array(PanelRow), total: z.number().int().nullable() }),
    summary: 'One page of a panel resource (users, web domains, jobs, …).',
  }),
  'panels.resources.create': method({
    input: z.strictObject({ ...Resource, values: z.record(z.string(), z.unknown()), ...DryRun }),
    output: PlanResult,
    summary: 'Create a panel resource (validated before sending; an operation in the journal).',
  }),
  'panels.resources.delete': method({
    input: z.strictObject({ ...Resource, itemId: z.string().min(1).max(200), ...DryRun }),
    output: PlanResult,
    summary: 'Delete a panel resource (an operation in the journal).',
  }),
  'panels.resources.action': method({
    input: z.strictObject({
      ...Resource,
      itemId: z.string().min(1).max(200),
      action: z.string().min(1).max(60),
      ...DryRun,
    }),
    output: PlanResult,
    summary: 'Run a row action (suspend, renew, acknowledge, retry, …) as an operation.',
  }),
  'panels.bulkSites.preview': method({
    input: z.strictObject({ id: Id, csv: z.string().max(5_000_000) }),
    output: z.object({ columns: z.array(z.string()), rows: z.array(BulkRow), valid: z.number().int() }),
    summary: 'Check a CSV of sites for a bulk create (Website Factory): per-row errors, nothing sent.',
  }),
  'panels.bulkSites.create': method({
    input: z.strictObject({ id: Id, csv: z.string().max(5_000_000), ...DryRun }),
    output: PlanResult,
    summary: 'Bulk-create the valid rows of a CSV of sites, chunked to the panel’s bulk limit, with per-row results.',
  }),
};

export const panelsEvents = {};
