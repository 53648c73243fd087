import type { KindSpec } from './ghostcp-kind-spec';
import { check, cols, defined, num, PHP, secret, select, text } from './ghostcp-kind-spec';
import {
  bool,
  displayName,
  domain,
  domainList,
  email,
  ident,
  int,
  ip,
  mailbox,
  oneOf,
  RECORD_TYPES,
  recordName,
  recordValue,
  secretValue,
  str,
  username,
} from './ghostcp-values';

/** Panel users (accounts): searchable, suspend/unsuspend, delete. */
export const users: KindSpec = {
  info: {
    id: 'users',
    label: 'Users',
    columns: cols(
      ['username', 'User'],
      ['email', 'E-mail'],
      ['full_name', 'Name'],
      ['role', 'Role'],
      ['package_name', 'Package'],
      ['is_suspended', 'Suspended'],
      ['web_domains_count', 'Web domains'],
    ),
    fields: [
      text('username', 'User name'),
      text('email', 'E-mail'),
      secret('password', 'Password'),
      text('full_name', 'Full name', false),
      select('role', 'Role', ['user', 'reseller', 'admin']),
      text('package_name', 'Package', false, { placeholder: 'default' }),
    ],
    canDelete: true,
    searchable: true,
    actions: [
      { id: 'suspend', label: 'Suspend', confirm: true },
      { id: 'unsuspend', label: 'Unsuspend', confirm: false },
    ],
  },
  what: 'Users',
  key: 'users',
  path: () => '/api/v1/users',
  search: (q) => ({ search: q }),
  build(v) {
    const name = username(str(v, 'username', true), 'username');
    const password = secretValue(str(v, 'password', true), 'password');
    const fullName = str(v, 'full_name');
    const pkg = str(v, 'package_name');
    return {
      body: defined({
        username: name,
        email: email(str(v, 'email', true), 'email'),
        password,
        full_name: fullName !== undefined ? displayName(fullName, 'full_name') : undefined,
        role: oneOf(v, 'role', ['user', 'reseller', 'admin'], 'user'),
        package_name: pkg !== undefined ? ident(pkg, 'package_name') : undefined,
      }),
      secrets: [password],
      name: `user ${name}`,
      match: (r) => r['username'] === name,
    };
  },
};

/** Web domains (also the driver's sites). */
export const domains: KindSpec = {
  info: {
    id: 'web-domains',
    label: 'Web domains',
    columns: cols(
      ['domain', 'Domain'],
      ['ip_address', 'IP'],
      ['backend_template', 'Backend'],
      ['aliases', 'Aliases'],
      ['ssl_enabled', 'SSL'],
      ['is_suspended', 'Suspended'],
    ),
    fields: [
      text('domain', 'Domain', true, { placeholder: 'example.com' }),
      text('ip_address', 'IP address', false),
      select('backend_template', 'Backend', PHP, false),
      { key: 'aliases', label: 'Aliases', type: 'textarea', required: false, help: 'One per line' },
      check('ssl_enabled', 'SSL'),
      check('letsencrypt_enabled', "Let's Encrypt"),
    ],
    canDelete: true,
    searchable: false,
    actions: [],
  },
  what: 'Web domains',
  key: 'domains',
  path: () => '/api/v1/domains',
  build(v) {
    const d = domain(str(v, 'domain', true), 'domain');
    const ipAddress = str(v, 'ip_address');
    const backend = oneOf(v, 'backend_template', PHP, 'PHP-8.3');
    return {
      body: defined({
        domain: d,
        ip_address: ipAddress !== undefined ? ip(ipAddress, 'ip_address') : undefined,
        web_template: 'default',
        backend_template: backend === 'none' ? undefined : backend,
        aliases: domainList(v, 'aliases'),
        ssl_enabled: bool(v, 'ssl_enabled') ?? false,
        letsencrypt_enabled: bool(v, 'letsencrypt_enabled') ?? false,
      }),
      secrets: [],
      name: `web domain ${d}`,
      match: (r) => r['domain'] === d,
    };
  },
};

/** DNS zones. */
export const zones: KindSpec = {
  info: {
    id: 'dns-zones',
    label: 'DNS zones',
    columns: cols(
      ['domain', 'Zone'],
      ['primary_ns', 'Primary NS'],
      ['dns_provider', 'Provider'],
      ['dnssec_enabled', 'DNSSEC'],
      ['serial', 'Serial'],
    ),
    fields: [
      text('domain', 'Domain'),
      text('primary_ns', 'Primary name server', false),
      text('admin_email', 'Admin e-mail', false),
      select('dns_provider', 'Provider', ['local', 'cloudflare', 'powerdns'], false),
      check('dnssec_enabled', 'DNSSEC'),
    ],
    canDelete: true,
    searchable: false,
    actions: [],
  },
  what: 'DNS zones',
  key: 'zones',
  path: () => '/api/v1/dns',
  build(v) {
    const d = domain(str(v, 'domain', true), 'domain');
    const ns = str(v, 'primary_ns');
    const admin = str(v, 'admin_email');
    return {
      body: defined({
        domain: d,
        primary_ns: ns !== undefined ? domain(ns, 'primary_ns') : undefined,
        admin_email: admin !== undefined ? email(admin, 'admin_email') : undefined,
        dns_provider: oneOf(v, 'dns_provider', ['local', 'cloudflare', 'powerdns'], 'local'),
        dnssec_enabled: bool(v, 'dnssec_enabled'),
        template: 'default',
      }),
      secrets: [],
      name: `DNS zone ${d}`,
      match: (r) => r['domain'] === d,
    };
  },
};

/** DNS records of one zone (a child kind). */
export const records: KindSpec = {
  info: {
    id: 'dns-records',
    label: 'DNS records',
    columns: cols(
      ['name', 'Name'],
      ['record_type', 'Type'],
      ['value', 'Value'],
      ['ttl', 'TTL'],
      ['priority', 'Priority'],
    ),
    fields: [
      text('zone_id', 'Zone id'),
      text('name', 'Name', true, { placeholder: '@' }),
      select('record_type', 'Type', RECORD_TYPES),
      text('value', 'Value'),
      num('ttl', 'TTL'),
      num('priority', 'Priority'),
    ],
    canDelete: true,
    searchable: false,
    actions: [],
  },
  what: 'DNS records',
  key: 'records',
  parent: { field: 'zone_id', label: 'DNS zone' },
  path: (zone) => `/api/v1/dns/${zone ?? ''}/records`,
  build(v) {
    const name = recordName(str(v, 'name', true), 'name');
    const type = oneOf(v, 'record_type', RECORD_TYPES);
    const value = recordValue(type, str(v, 'value', true), 'value');
    return {
      body: defined({
        name,
        record_type: type,
        value,
        ttl: int(v, 'ttl', 60, 604_800) ?? 3600,
        priority: int(v, 'priority', 0, 65_535) ?? 0,
      }),
      secrets: [],
      name: `${type} record ${name}`,
      match: (r) => r['name'] === name && r['record_type'] === type && r['value'] === value,
    };
  },
};

/** Mail domains. */
export const mailDomains: KindSpec = {
  info: {
    id: 'mail-domains',
    label: 'Mail domains',
    columns: cols(
      ['domain', 'Domain'],
      ['dkim_enabled', 'DKIM'],
      ['antispam_enabled', 'Antispam'],
      ['antivirus_enabled', 'Antivirus'],
      ['rate_limit', 'Rate limit'],
    ),
    fields: [
      text('domain', 'Domain'),
      check('dkim_enabled', 'DKIM'),
      check('antispam_enabled', 'Antispam'),
      check('antivirus_enabled', 'Antivirus'),
      num('rate_limit', 'Messages per hour'),
    ],
    canDelete: true,
    searchable: false,
    actions: [],
  },
  what: 'Mail domains',
  key: 'domains',
  path: () => '/api/v1/mail',
  build(v) {
    const d = domain(str(v, 'domain', true), 'domain');
    return {
      body: defined({
        domain: d,
        dkim_enabled: bool(v, 'dkim_enabled') ?? true,
        antispam_enabled: bool(v, 'antispam_enabled') ?? true,
        antivirus_enabled: bool(v, 'antivirus_enabled') ?? false,
        rate_limit: int(v, 'rate_limit', 1, 1_000_000),
      }),
      secrets: [],
      name: `mail domain ${d}`,
      match: (r) => r['domain'] === d,
    };
  },
};

/** Mailboxes of one mail domain (a child kind). */
export const mailAccounts: KindSpec = {
  info: {
    id: 'mail-accounts',
    label: 'Mail accounts',
    columns: cols(
      ['email', 'Address'],
      ['quota_mb', 'Quota (MB)'],
      ['disk_used_mb', 'Used (MB)'],
      ['forward_to', 'Forwards to'],
      ['forward_only', 'Forward only'],
    ),
    fields: [
      text('domain_id', 'Mail domain id'),
      text('username', 'Mailbox'),
      secret('password', 'Password'),
      num('quota_mb', 'Quota (MB)'),
      { key: 'forward_to', label: 'Forward to', type: 'textarea', required: false, help: 'One address per line' },
      check('forward_only', 'Forward only'),
    ],
    canDelete: true,
    searchable: false,
    actions: [],
  },
  what: 'Mail accounts',
  key: 'accounts',
  parent: { field: 'domain_id', label: 'mail domain' },
  path: (dom) => `/api/v1/mail/${dom ?? ''}/accounts`,
  build(v) {
    const box = mailbox(str(v, 'username', true), 'username');
    const password = secretValue(str(v, 'password', true), 'password');
    const fwd = str(v, 'forward_to');
    return {
      body: defined({
        username: box,
        password,
        quota_mb: int(v, 'quota_mb', 1, 10_000_000) ?? 1024,
        forward_to:
          fwd === undefined
            ? []
            : fwd
                .split(/[\s,]+/)
                .filter((s) => s !== '')
                .map((a) => email(a, 'forward_to')),
        forward_only: bool(v, 'forward_only') ?? false,
      }),
      secrets: [password],
      name: `mailbox ${box}`,
      match: (r) => r['username'] === box,
    };
  },
};
