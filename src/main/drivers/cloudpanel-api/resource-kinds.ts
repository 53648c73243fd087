import type { PanelResourceKindInfo, PanelRowData } from '../capabilities';
import type { CpSite } from './cloudpanel-api.client';

/** A database as CloudPanel's API lists it, with its users. */
export interface CpDatabase {
  readonly id: number;
  readonly name: string;
  readonly siteId: number;
  readonly users?: readonly { readonly username: string }[];
  readonly status?: string;
}

/** A panel user (admin key only). */
export interface CpUser {
  readonly id: number;
  readonly username: string;
  readonly email?: string;
  readonly role?: string;
  readonly status?: string;
}

/** A certificate of a site. The private key of an upload is never part of it (nor of our row). */
export interface CpCertificate {
  readonly id: number;
  readonly siteId: number;
  readonly domainName?: string;
  readonly type: string;
  readonly issuer?: string;
  readonly subject?: string;
  readonly sans?: readonly string[];
  readonly notBefore?: string;
  readonly expiresAt?: string;
  readonly fingerprint?: string;
  readonly serial?: string;
  readonly keyType?: string;
}

/** The panel's 422 field names → the create forms' keys. */
export const FORM_FIELDS: Readonly<Record<string, string>> = {
  domainName: 'domain',
  rootDirectory: 'root',
  reverseProxyUrl: 'upstream',
  phpVersion: 'phpVersion',
  siteId: 'site',
  site_id: 'site',
  name: 'name',
  'user.username': 'username',
  'user.password': 'password',
  username: 'username',
  password: 'password',
  email: 'email',
  role: 'role',
  certificate: 'certificate',
  privateKey: 'privateKey',
  private_key: 'privateKey',
  chain: 'chain',
  type: 'type',
};

const col = (key: string, label: string) => ({ key, label });

/** The resource kinds of a CloudPanel API panel (issue 10): what the Panels section shows and can create. */
export const CLOUDPANEL_KINDS: readonly PanelResourceKindInfo[] = [
  {
    id: 'sites',
    label: 'Sites',
    columns: [
      col('domain', 'Domain'),
      col('type', 'Type'),
      col('php', 'PHP'),
      col('root', 'Root'),
      col('status', 'Status'),
    ],
    fields: [
      { key: 'domain', label: 'Domain', type: 'text', required: true, placeholder: 'shop.example.com' },
      {
        key: 'kind',
        label: 'Type',
        type: 'select',
        required: true,
        options: [
          { value: 'php', label: 'PHP' },
          { value: 'static', label: 'Static' },
          { value: 'proxy', label: 'Reverse proxy' },
        ],
      },
      { key: 'phpVersion', label: 'PHP version', type: 'text', required: false, placeholder: '8.2' },
      { key: 'upstream', label: 'Upstream (reverse proxy)', type: 'text', required: false },
      { key: 'root', label: 'Root directory', type: 'text', required: false },
      { key: 'systemUser', label: 'Site user', type: 'text', required: false },
    ],
    canDelete: true,
    searchable: true,
    actions: [],
  },
  {
    id: 'databases',
    label: 'Databases',
    columns: [col('name', 'Name'), col('site', 'Site'), col('users', 'Users'), col('status', 'Status')],
    fields: [
      { key: 'name', label: 'Database name', type: 'text', required: true },
      {
        key: 'site',
        label: 'Site (domain)',
        type: 'text',
        required: true,
        help: 'CloudPanel keeps every database under a site.',
      },
      { key: 'username', label: 'New user', type: 'text', required: false },
      { key: 'password', label: 'Password of the new user', type: 'password', required: false, secret: true },
    ],
    canDelete: true,
    searchable: true,
    actions: [],
  },
  {
    id: 'database-users',
    label: 'Database users',
    columns: [col('username', 'User'), col('database', 'Database')],
    fields: [
      { key: 'database', label: 'Database', type: 'text', required: true },
      { key: 'username', label: 'User name', type: 'text', required: true },
      { key: 'password', label: 'Password', type: 'password', required: true, secret: true },
    ],
    canDelete: true,
    searchable: true,
    actions: [],
  },
  {
    id: 'users',
    label: 'Users',
    columns: [col('username', 'User'), col('email', 'Email'), col('role', 'Role')],
    fields: [
      { key: 'username', label: 'User name', type: 'text', required: true },
      { key: 'email', label: 'Email', type: 'text', required: true },
      {
        key: 'role',
        label: 'Role',
        type: 'select',
        required: true,
        options: [
          { value: 'user', label: 'User' },
          { value: 'site-manager', label: 'Site manager' },
          { value: 'admin', label: 'Admin' },
        ],
      },
    ],
    canDelete: true,
    searchable: true,
    actions: [],
  },
  {
    id: 'certificates',
    label: 'Certificates',
    columns: [col('site', 'Site'), col('type', 'Type'), col('issuer', 'Issuer'), col('expiresAt', 'Expires')],
    fields: [
      { key: 'site', label: 'Site (domain)', type: 'text', required: true },
      {
        key: 'type',
        label: 'Certificate',
        type: 'select',
        required: true,
        options: [
          { value: 'letsencrypt', label: "Let's Encrypt" },
          { value: 'custom', label: 'Upload my own' },
        ],
      },
      { key: 'certificate', label: 'Certificate (PEM)', type: 'textarea', required: false },
      { key: 'privateKey', label: 'Private key (PEM)', type: 'textarea', required: false, secret: true },
      { key: 'chain', label: 'Chain (PEM, optional)', type: 'textarea', required: false },
    ],
    canDelete: true,
    searchable: true,
    actions: [{ id: 'renew', label: 'Renew', confirm: false }],
  },
];

/** API path and answer key of each listed kind (database users are read from the databases list). */
export const LIST_OF: Readonly<Record<string, { path: string; key: string }>> = {
  sites: { path: '/api/v1/sites', key: 'sites' },
  databases: { path: '/api/v1/databases', key: 'databases' },
  'database-users': { path: '/api/v1/databases', key: 'databases' },
  users: { path: '/api/v1/users', key: 'users' },
  certificates: { path: '/api/v1/certificates', key: 'certificates' },
};

const s = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** A site row. */
export function siteRow(x: CpSite): PanelRowData {
  return {
    id: String(x.id),
    cells: {
      domain: x.domainName,
      type: x.type,
      php: x.phpVersion ?? null,
      root: x.rootDirectory ?? null,
      status: s(x.status),
    },
  };
}

/** A database row (its users joined). */
export function databaseRow(x: CpDatabase): PanelRowData {
  return {
    id: String(x.id),
    cells: {
      name: x.name,
      site: x.siteId,
      users: (x.users ?? []).map((u) => u.username).join(', '),
      status: s(x.status),
    },
  };
}

/** The rows of a database's users: id `<databaseId>:<username>`. */
export function databaseUserRows(x: CpDatabase): PanelRowData[] {
  return (x.users ?? []).map((u) => ({
    id: `${x.id}:${u.username}`,
    cells: { username: u.username, database: x.name },
  }));
}

/** A panel user row. */
export function userRow(x: CpUser): PanelRowData {
  return { id: String(x.id), cells: { username: x.username, email: s(x.email), role: s(x.role) } };
}

/** A certificate row: only the public facts, whatever else the panel answered. */
export function certificateRow(x: CpCertificate): PanelRowData {
  return {
    id: String(x.id),
    cells: {
      site: x.domainName ?? x.siteId,
      type: x.type,
      issuer: s(x.issuer),
      expiresAt: s(x.expiresAt),
    },
  };
}
