import crypto from 'node:crypto';
import type { LoggedRequest } from './loopback-server';

/** A row of the loopback GhostCP (JSON as the API returns it, plus hidden fields starting with `_`). */
export type Row = Record<string, unknown>;

/** What a route answers: a status and a JSON body (or no body: the public code's bare statuses). */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
}

/** A field error list for a 422. */
export type Fields = Record<string, string>;

const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const USERNAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const DB = /^[a-z][a-z0-9_]{0,62}$/;
const JOB_TYPES = new Set(['backup', 'ssl_renew', 'dns_sync', 'mail_sync', 'user_sync', 'cleanup']);
const RECORD_TYPES = new Set(['A', 'AAAA', 'CNAME', 'MX', 'TXT', 'NS', 'SRV', 'CAA']);

/** The JSON body of a request as an object, or null. */
export function body(req: LoggedRequest): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(req.body || 'null');
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A row as the API shows it: hidden `_` fields (passwords, TOTP secrets, storage keys) left out. */
export function visible(r: Row): Row {
  return Object.fromEntries(Object.entries(r).filter(([k]) => !k.startsWith('_')));
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const b = (v: unknown, d: boolean): boolean => (typeof v === 'boolean' ? v : d);
const n = (v: unknown, d: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : d);

/** The loopback panel's tables and the create rules of each (what GhostCP's handlers check). */
export class GhostStore {
  readonly users: Row[] = [];
  readonly domains: Row[] = [];
  readonly zones: Row[] = [];
  readonly records: Row[] = [];
  readonly mailDomains: Row[] = [];
  readonly mailAccounts: Row[] = [];
  readonly databases: Row[] = [];
  readonly certificates: Row[] = [];
  readonly jobs: Row[] = [];
  readonly backups: Row[] = [];
  /** Every change that took effect, "user.create ops": one per accepted create. */
  readonly effects: string[] = [];
  /** Job types whose next job fails with this message. */
  readonly failJobs = new Map<string, string>();
  #seq = 0;

  constructor(readonly now: () => number) {}

  id(): string {
    this.#seq++;
    const hex = this.#seq.toString(16).padStart(12, '0');
    return `00000000-0000-4000-8000-${hex}`;
  }

  #stamp(): Row {
    const t = iso(this.now() + this.#seq);
    return { created_at: t, updated_at: t };
  }

  addUser(u: {
    username: string;
    password: string;
    role?: string;
    email?: string;
    totpSecret?: string;
    fullName?: string;
  }): Row {
    const row: Row = {
      id: this.id(),
      username: u.username,
      email: u.email ?? `${u.username}@example.com`,
      full_name: u.fullName ?? u.username,
      role: u.role ?? 'user',
      package_name: 'default',
      disk_quota: 1024,
      bandwidth_quota: 10240,
      web_domains_limit: 5,
      dns_domains_limit: 5,
      mail_domains_limit: 3,
      databases_limit: 5,
      cron_jobs_limit: 10,
      disk_used: 0,
      bandwidth_used: 0,
      web_domains_count: 0,
      dns_domains_count: 0,
      mail_domains_count: 0,
      databases_count: 0,
      cron_jobs_count: 0,
      is_active: true,
      is_suspended: false,
      ...this.#stamp(),
      _password: u.password,
      ...(u.totpSecret ? { _totp: u.totpSecret } : {}),
    };
    this.users.push(row);
    return row;
  }

  createUser(x: Record<string, unknown>, deviations: boolean): Row | Fields | string {
    const username = s(x['username']);
    const email = s(x['email']);
    const password = s(x['password']);
    if (deviations) {
      if (username === '' || email === '' || password === '') return 'Username, email, and password are required';
      if (this.users.some((u) => u['username'] === username || u['email'] === email)) {
        return 'Username or email already exists';
      }
    } else {
      const f: Fields = {};
      if (!USERNAME.test(username)) f['username'] = 'Username must be 1-32 lower-case letters, digits, _ or -';
      else if (this.users.some((u) => u['username'] === username)) f['username'] = 'Username already exists';
      if (!/^[^@\s]+@[^@\s]+\.[a-z]{2,}$/.test(email)) f['email'] = 'Invalid email address';
      else if (this.users.some((u) => u['email'] === email)) f['email'] = 'Email already exists';
      if (password.length < 8) f['password'] = 'Password must be at least 8 characters';
      if (x['role'] !== undefined && !['admin', 'user', 'reseller'].includes(s(x['role']))) {
        f['role'] = 'Role must be admin, user or reseller';
      }
      if (Object.keys(f).length > 0) return f;
    }
    const row = this.addUser({
      username,
      password,
      email,
      role: s(x['role']) || 'user',
      fullName: s(x['full_name']) || username,
    });
    if (typeof x['package_name'] === 'string') row['package_name'] = x['package_name'];
    this.effects.push(`user.create ${username}`);
    return row;
  }

  createDomain(x: Record<string, unknown>, userId: string): Row | Fields {
    const domain = s(x['domain']);
    const f: Fields = {};
    if (!DOMAIN.test(domain)) f['domain'] = 'Invalid domain name';
    else if (this.domains.some((d) => d['domain'] === domain)) f['domain'] = 'Domain already exists';
    const aliases = Array.isArray(x['aliases']) ? x['aliases'] : [];
    if (aliases.some((a) => typeof a !== 'string' || !DOMAIN.test(a))) f['aliases'] = 'Invalid alias';
    if (Object.keys(f).length > 0) return f;
    const row: Row = {
      id: this.id(),
      user_id: userId,
      domain,
      ip_address: s(x['ip_address']) || '192.168.1.100',
      ipv6_address: null,
      web_template: s(x['web_template']) || 'default',
      backend_template: typeof x['backend_template'] === 'string' ? x['backend_template'] : null,
      proxy_template: null,
      document_root: `/home/admin/web/${domain}/public_html`,
      ssl_enabled: b(x['ssl_enabled'], false),
      ssl_force: false,
      ssl_hsts: false,
      letsencrypt_enabled: b(x['letsencrypt_enabled'], false),
      letsencrypt_wildcard: false,
      aliases,
      bandwidth_used: 0,
      is_active: true,
      is_suspended: false,
      ...this.#stamp(),
    };
    this.domains.push(row);
    this.effects.push(`domain.create ${domain}`);
    return row;
  }

  createZone(x: Record<string, unknown>, userId: string): Row | Fields | { badRequest: string } {
    const domain = s(x['domain']);
    if (!DOMAIN.test(domain)) return { domain: 'Invalid domain name' };
    if (this.zones.some((z) => z['domain'] === domain)) return { domain: 'Zone already exists' };
    const provider = s(x['dns_provider']) || 'local';
    if (provider !== 'local') return { badRequest: `DNS provider '${provider}' not available` };
    const row: Row = {
      id: this.id(),
      user_id: userId,
      domain,
      primary_ns: s(x['primary_ns']) || 'ns1.ghostcp.com',
      admin_email: s(x['admin_email']) || 'admin@example.com',
      serial: 2024010101,
      refresh_interval: 3600,
      retry_interval: 1800,
      expire_interval: 1209600,
      minimum_ttl: 86400,
      dns_provider: provider,
      provider_zone_id: `local-${domain}`,
      dnssec_enabled: b(x['dnssec_enabled'], true),
      template: s(x['template']) || 'default',
      is_active: true,
      ...this.#stamp(),
    };
    this.zones.push(row);
    this.effects.push(`zone.create ${domain}`);
    return row;
  }

  createRecord(zone: Row, x: Record<string, unknown>): Row | Fields {
    const name = s(x['name']);
    const type = s(x['record_type']);
    const value = s(x['value']);
    const f: Fields = {};
    if (!/^(@|\*|[a-z0-9_*][a-z0-9_.-]{0,252})$/.test(name)) f['name'] = 'Invalid record name';
    if (!RECORD_TYPES.has(type)) f['record_type'] = 'Unsupported record type';
    if (value === '') f['value'] = 'Value is required';
    if (Object.keys(f).length > 0) return f;
    const row: Row = {
      id: this.id(),
      zone_id: zone['id'],
      name,
      record_type: type,
      value,
      ttl: n(x['ttl'], 3600),
      priority: n(x['priority'], 0),
      is_active: true,
      ...this.#stamp(),
    };
    this.records.push(row);
    this.effects.push(`record.create ${name} ${type}`);
    return row;
  }

  createMailDomain(x: Record<string, unknown>, userId: string): Row | Fields {
    const domain = s(x['domain']);
    if (!DOMAIN.test(domain)) return { domain: 'Invalid domain name' };
    if (this.mailDomains.some((d) => d['domain'] === domain)) return { domain: 'Mail domain already exists' };
    const row: Row = {
      id: this.id(),
      user_id: userId,
      domain,
      dkim_enabled: b(x['dkim_enabled'], true),
      dkim_selector: 'default',
      dkim_public_key: 'v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3',
      antispam_enabled: b(x['antispam_enabled'], true),
      antivirus_enabled: b(x['antivirus_enabled'], false),
      catchall_enabled: false,
      rate_limit: n(x['rate_limit'], 100),
      ssl_enabled: true,
      is_active: true,
      ...this.#stamp(),
    };
    this.mailDomains.push(row);
    this.effects.push(`mail.create ${domain}`);
    return row;
  }

  createMailAccount(dom: Row, x: Record<string, unknown>): Row | Fields {
    const username = s(x['username']);
    const f: Fields = {};
    if (!/^[a-z0-9][a-z0-9._-]{0,63}$/.test(username)) f['username'] = 'Invalid mailbox name';
    else if (this.mailAccounts.some((a) => a['domain_id'] === dom['id'] && a['username'] === username)) {
      f['username'] = 'Mailbox already exists';
    }
    if (s(x['password']).length < 8) f['password'] = 'Password must be at least 8 characters';
    if (Object.keys(f).length > 0) return f;
    const row: Row = {
      id: this.id(),
      domain_id: dom['id'],
      username,
      email: `${username}@${s(dom['domain'])}`,
      quota_mb: n(x['quota_mb'], 1024),
      disk_used_mb: 0,
      forward_to: Array.isArray(x['forward_to']) ? x['forward_to'] : [],
      forward_only: b(x['forward_only'], false),
      autoreply_enabled: false,
      is_active: true,
      ...this.#stamp(),
      _password: s(x['password']),
    };
    this.mailAccounts.push(row);
    this.effects.push(`mailbox.create ${s(row['email'])}`);
    return row;
  }

  createDatabase(x: Record<string, unknown>, userId: string): Row | Fields {
    const name = s(x['name']);
    const type = s(x['type']) || 'postgresql';
    const f: Fields = {};
    if (!DB.test(name)) f['name'] = 'Invalid database name';
    else if (this.databases.some((d) => d['name'] === name)) f['name'] = 'Database already exists';
    if (type !== 'postgresql' && type !== 'mysql') f['type'] = 'Type must be postgresql or mysql';
    if (Object.keys(f).length > 0) return f;
    const row: Row = {
      id: this.id(),
      user_id: userId,
      name,
      type,
      host: 'localhost',
      port: type === 'mysql' ? 3306 : 5432,
      charset: s(x['charset']) || 'utf8mb4',
      size_mb: 0,
      is_active: true,
      ...this.#stamp(),
    };
    this.databases.push(row);
    this.effects.push(`database.create ${name}`);
    return row;
  }

  createCertificate(x: Record<string, unknown>, userId: string): Row | Fields {
    const domain = s(x['domain']);
    if (!DOMAIN.test(domain)) return { domain: 'Invalid domain name' };
    if (this.certificates.some((c) => c['domain'] === domain)) return { domain: 'Certificate already exists' };
    const now = this.now();
    const row: Row = {
      id: this.id(),
      user_id: userId,
      domain,
      issuer: "Let's Encrypt",
      subject: `CN=${domain}`,
      san_domains: Array.isArray(x['san_domains']) ? x['san_domains'] : [domain],
      valid_from: iso(now),
      valid_until: iso(now + 90 * 86_400_000),
      acme_provider: s(x['acme_provider']) || 'letsencrypt',
      acme_challenge_type: s(x['acme_challenge_type']) || 'http01',
      auto_renew: b(x['auto_renew'], true),
      is_active: true,
      is_wildcard: b(x['is_wildcard'], false),
      ...this.#stamp(),
    };
    this.certificates.push(row);
    this.effects.push(`certificate.issue ${domain}`);
    return row;
  }

  renewCertificate(cert: Row): Row {
    const until = Date.parse(s(cert['valid_until']));
    cert['valid_until'] = iso(until + 90 * 86_400_000);
    this.effects.push(`certificate.renew ${s(cert['domain'])}`);
    return cert;
  }

  createJob(x: Record<string, unknown>, userId: string): Row | Fields {
    const type = s(x['job_type']);
    if (!JOB_TYPES.has(type)) return { job_type: 'Unknown job type' };
    const row: Row = {
      id: this.id(),
      job_type: type,
      user_id: s(x['user_id']) || userId,
      status: 'pending',
      parameters: typeof x['parameters'] === 'object' && x['parameters'] !== null ? x['parameters'] : {},
      priority: n(x['priority'], 1),
      started_at: null,
      completed_at: null,
      output_log: '',
      ...this.#stamp(),
      _steps: 0,
      _fail: this.failJobs.get(type) ?? null,
    };
    this.failJobs.delete(type);
    this.jobs.push(row);
    this.effects.push(`job.create ${type}`);
    return row;
  }

  createBackup(x: Record<string, unknown>, userId: string): Row | Fields {
    const name = s(x['name']);
    const backend = s(x['backend_type']);
    const cfg = (
      typeof x['backend_config'] === 'object' && x['backend_config'] !== null ? x['backend_config'] : {}
    ) as Row;
    const f: Fields = {};
    if (name.trim() === '') f['name'] = 'Name is required';
    else if (this.backups.some((c) => c['name'] === name)) f['name'] = 'A backup configuration with this name exists';
    if (!['s3', 'b2', 'sftp', 'local'].includes(backend)) f['backend_type'] = 'Unknown backend type';
    if (s(cfg['bucket']) === '') f['backend_config.bucket'] = 'Bucket is required';
    if ((backend === 's3' || backend === 'b2') && (s(cfg['access_key']) === '' || s(cfg['secret_key']) === '')) {
      f['backend_config.access_key'] = 'Access and secret key are required for S3-compatible storage';
    }
    if (s(x['repository_password']).length < 8)
      f['repository_password'] = 'Repository password must be at least 8 characters';
    if (Object.keys(f).length > 0) return f;
    const { access_key: accessKey, secret_key: secretKey, ...shown } = cfg;
    const row: Row = {
      id: this.id(),
      user_id: userId,
      name,
      include_files: b(x['include_files'], true),
      include_databases: b(x['include_databases'], true),
      include_mail: b(x['include_mail'], false),
      backend_type: backend,
      backend_config: shown,
      schedule_cron: s(x['schedule_cron']) || '0 2 * * *',
      retention_policy: x['retention_policy'] ?? { daily: 7 },
      is_active: true,
      last_backup: null,
      next_backup: null,
      ...this.#stamp(),
      _keys: { accessKey, secretKey, repositoryPassword: x['repository_password'] },
    };
    this.backups.push(row);
    this.effects.push(`backup.create ${name}`);
    return row;
  }

  /** The job worker, run by every job list: one look moves each unfinished job one step. */
  advanceJobs(stepsToFinish: number): void {
    for (const j of this.jobs) {
      if (j['status'] === 'completed' || j['status'] === 'failed') continue;
      const step = n(j['_steps'], 0) + 1;
      j['_steps'] = step;
      const lines = s(j['output_log']) === '' ? [] : s(j['output_log']).split('\n');
      if (step === 1) {
        j['status'] = 'running';
        j['started_at'] = iso(this.now());
        lines.push(`Starting ${s(j['job_type'])}`);
      } else if (step <= stepsToFinish) {
        lines.push(`Step ${step - 1} of ${stepsToFinish - 1}: ${s(j['job_type'])} in progress`);
      } else if (typeof j['_fail'] === 'string') {
        j['status'] = 'failed';
        j['completed_at'] = iso(this.now());
        lines.push(`Error: ${j['_fail']}`);
        this.effects.push(`job.fail ${s(j['job_type'])}`);
      } else {
        j['status'] = 'completed';
        j['completed_at'] = iso(this.now());
        lines.push(`${s(j['job_type'])} completed successfully`);
        this.effects.push(`job.complete ${s(j['job_type'])}`);
      }
      j['output_log'] = lines.join('\n');
    }
  }
}

/** A random HS256 signing key for the loopback panel's JWTs. */
export function signingKey(): Uint8Array {
  return new Uint8Array(crypto.randomBytes(32));
}
