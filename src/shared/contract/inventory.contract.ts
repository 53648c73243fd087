import { z } from 'zod';
import { DisplayName, Host, Id, Port, PosixUser, Tag } from '../validators';
import { event, method, secret } from './define';
import { panelKindLabel, panelNeedsEndpoint } from '../panel-kinds';

/** The kinds of remote-system driver a server can be bound to (DESIGN.md rule 5). */
export const DriverKind = z.enum([
  'linux-ssh',
  'cloudpanel-cli',
  'cloudpanel-api',
  'ghostcp',
  'nexuspanel',
  'skypanel',
  'website-factory',
  'hestia',
  'aapanel',
]);
export type DriverKind = z.infer<typeof DriverKind>;

export const AuthMethod = z.enum(['password', 'key', 'agent', 'keyboard-interactive']);
export type AuthMethod = z.infer<typeof AuthMethod>;

/**
 * A panel the server is bound to. HTTP kinds need the panel's URL; SSH kinds (linux-ssh, clpctl, Hestia) reach
 * the server through its own SSH login, so their endpoint is optional (null). One rule, checked here for every
 * transport and the UI alike (src/shared/panel-kinds.ts says which kind is which).
 */
export const PanelBinding = z
  .object({
    kind: DriverKind,
    endpoint: z
      .url({ protocol: /^https?$/, error: 'Enter the panel address as http(s)://host[:port]' })
      .nullable()
      .default(null),
    credentialId: Id.nullable(),
  })
  .superRefine((b, ctx) => {
    if (panelNeedsEndpoint(b.kind) && b.endpoint === null) {
      ctx.addIssue({
        code: 'custom',
        path: ['endpoint'],
        message: `${panelKindLabel(b.kind)} needs the panel's address (https://host:port).`,
      });
    }
  });
export type PanelBinding = z.infer<typeof PanelBinding>;

/** What a user edits about a server. */
export const ServerFields = z.object({
  name: DisplayName,
  host: Host,
  port: Port.default(22),
  user: PosixUser,
  auth: AuthMethod,
  /** The credential the auth method uses: a password, a key, or the password answered to kbd-interactive. */
  credentialId: Id.nullable().default(null),
  /** ProxyJump chain, first hop first: ids of other servers. */
  jumpHostIds: z.array(Id).max(8).default([]),
  tags: z.array(Tag).max(32).default([]),
  group: z.string().trim().max(80).nullable().default(null),
  notes: z.string().max(20_000).default(''),
  panels: z.array(PanelBinding).max(8).default([]),
});
export type ServerFields = z.infer<typeof ServerFields>;

/**
 * A patch of server fields: every field optional and without defaults. (`ServerFields.partial()` would apply the
 * defaults in zod 4, so a patch of just the name would have wiped tags, notes and jump hosts.)
 */
export const ServerPatch = z.strictObject({
  name: DisplayName.optional(),
  host: Host.optional(),
  port: Port.optional(),
  user: PosixUser.optional(),
  auth: AuthMethod.optional(),
  credentialId: Id.nullable().optional(),
  jumpHostIds: z.array(Id).max(8).optional(),
  tags: z.array(Tag).max(32).optional(),
  group: z.string().trim().max(80).nullable().optional(),
  notes: z.string().max(20_000).optional(),
  panels: z.array(PanelBinding).max(8).optional(),
});
export type ServerPatch = z.infer<typeof ServerPatch>;

export const Server = ServerFields.extend({
  id: Id,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type Server = z.infer<typeof Server>;

export const CredentialKind = z.enum(['password', 'ssh-key', 'api-token', 'login']);
export type CredentialKind = z.infer<typeof CredentialKind>;

/** A credential as the UI sees it: everything but the secret (and the key passphrase). */
export const CredentialSummary = z.object({
  id: Id,
  name: DisplayName,
  kind: CredentialKind,
  username: z.string().nullable(),
  notes: z.string(),
  /** For ssh-key: the OpenSSH public key line and its SHA256 fingerprint as ssh-keygen prints it. */
  publicKey: z.string().nullable(),
  fingerprint: z.string().nullable(),
  keyType: z.string().nullable(),
  hasPassphrase: z.boolean(),
  /** Ids of servers (and panel bindings) that reference this credential. */
  usedBy: z.array(Id),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type CredentialSummary = z.infer<typeof CredentialSummary>;

export const CredentialInput = z.object({
  name: DisplayName,
  kind: CredentialKind,
  /** Password, token, or private key text (OpenSSH or PEM). */
  secret: secret(z.string().min(1).max(64_000)),
  username: z.string().trim().max(200).nullable().default(null),
  /** Passphrase of an encrypted private key. */
  passphrase: secret(z.string().max(1024)).nullable().default(null),
  notes: z.string().max(20_000).default(''),
});

/** A patch of a credential: every field optional and without defaults (see ServerPatch). */
export const CredentialPatch = z.strictObject({
  name: DisplayName.optional(),
  kind: CredentialKind.optional(),
  secret: secret(z.string().min(1).max(64_000)).optional(),
  username: z.string().trim().max(200).nullable().optional(),
  passphrase: secret(z.string().max(1024)).nullable().optional(),
  notes: z.string().max(20_000).optional(),
});
export type CredentialPatch = z.infer<typeof CredentialPatch>;

export const ServerQuery = z.strictObject({
  /** Free text over name, host, user, tags, group and notes. */
  query: z.string().max(200).optional(),
  tag: z.string().max(40).optional(),
  group: z.string().max(80).optional(),
  host: z.string().max(253).optional(),
});

export const SshConfigPreview = z.object({
  create: z.array(
    z.object({
      alias: z.string(),
      name: z.string(),
      host: z.string(),
      port: z.number().int(),
      user: z.string(),
      identityFile: z.string().nullable(),
      proxyJump: z.array(z.string()),
    }),
  ),
  skip: z.array(z.object({ alias: z.string(), reason: z.string() })),
  /** Hosts that are imported, but without something (an unreadable or encrypted IdentityFile, an unknown jump). */
  warnings: z.array(z.object({ alias: z.string(), reason: z.string() })),
});
export type SshConfigPreview = z.infer<typeof SshConfigPreview>;

const ById = z.strictObject({ id: Id });
const SshConfigSource = z.strictObject({
  /** A path to read (default ~/.ssh/config), or the text itself. */
  path: z.string().max(4096).optional(),
  text: z.string().max(1_000_000).optional(),
  /** With sshConfig.import: only these aliases (default: everything the preview would create). */
  aliases: z.array(z.string()).optional(),
  /** User name for entries that have none (default: the local user). */
  defaultUser: PosixUser.optional(),
});

/** The inventory: servers, credentials, SSH keys and the ~/.ssh/config importer. All need an unlocked vault. */
export const inventoryMethods = {
  'servers.list': method({
    input: ServerQuery,
    output: z.array(Server),
    summary: 'List servers, filtered by free text, tag, group or host.',
  }),
  'servers.get': method({ input: ById, output: Server, summary: 'One server by id.' }),
  'servers.create': method({ input: ServerFields, output: Server, summary: 'Add a server.' }),
  'servers.update': method({
    input: z.strictObject({ id: Id, patch: ServerPatch }),
    output: Server,
    summary: 'Change some fields of a server.',
  }),
  'servers.delete': method({ input: ById, output: z.object({ id: Id }), summary: 'Delete a server.' }),
  'inventory.facets': method({
    input: z.strictObject({}),
    output: z.object({
      groups: z.array(z.object({ name: z.string(), count: z.number().int() })),
      tags: z.array(z.object({ name: z.string(), count: z.number().int() })),
    }),
    summary: 'Groups and tags in use, with counts.',
  }),
  'credentials.list': method({
    input: z.strictObject({ query: z.string().max(200).optional(), kind: CredentialKind.optional() }),
    output: z.array(CredentialSummary),
    summary: 'List credentials (secrets masked).',
  }),
  'credentials.create': method({
    input: CredentialInput,
    output: CredentialSummary,
    summary: 'Store a password, key, token or login.',
  }),
  'credentials.update': method({
    input: z.strictObject({ id: Id, patch: CredentialPatch }),
    output: CredentialSummary,
    summary: 'Change a credential (name, notes, secret...).',
  }),
  'credentials.delete': method({
    input: z.strictObject({ id: Id, force: z.boolean().default(false) }),
    output: z.object({ id: Id, detachedFrom: z.array(Id) }),
    summary: 'Delete a credential; refused with IN_USE while servers use it unless force (which detaches them).',
  }),
  'credentials.reveal': method({
    input: z.strictObject({ id: Id, purpose: z.enum(['reveal', 'copy']) }),
    output: z.object({ secret: z.string() }),
    summary: 'Return a secret to show or copy it (recorded in the audit trail).',
  }),
  'keys.generate': method({
    input: z.strictObject({
      name: DisplayName,
      type: z.enum(['ed25519', 'rsa']).default('ed25519'),
      passphrase: secret(z.string().max(1024)).nullable().default(null),
      comment: z.string().max(200).default(''),
    }),
    output: CredentialSummary,
    summary: 'Generate an SSH key pair (ed25519, or RSA 4096) and store it.',
  }),
  'keys.import': method({
    input: z.strictObject({
      name: DisplayName,
      privateKey: secret(z.string().min(1).max(64_000)),
      passphrase: secret(z.string().max(1024)).nullable().default(null),
    }),
    output: CredentialSummary,
    summary: 'Import an OpenSSH or PEM private key (checks the passphrase).',
  }),
  'keys.exportPrivate': method({
    input: ById,
    output: z.object({ privateKey: z.string() }),
    summary: 'Export a private key (explicit; recorded in the audit trail).',
  }),
  'sshConfig.preview': method({
    input: SshConfigSource,
    output: SshConfigPreview,
    summary: 'What importing ~/.ssh/config would create and skip.',
  }),
  'sshConfig.import': method({
    input: SshConfigSource,
    output: z.object({
      created: z.array(Server),
      credentials: z.array(CredentialSummary),
      skipped: z.array(z.object({ alias: z.string(), reason: z.string() })),
      warnings: z.array(z.object({ alias: z.string(), reason: z.string() })),
    }),
    summary: 'Import hosts from ~/.ssh/config (IdentityFile keys become credentials).',
  }),
};

export const inventoryEvents = {
  'inventory.changed': event({
    payload: z.object({
      kind: z.enum(['server', 'credential']),
      id: z.string(),
      change: z.enum(['created', 'updated', 'deleted']),
    }),
    summary: 'A server or credential changed (another window, an import, the CLI).',
  }),
};
