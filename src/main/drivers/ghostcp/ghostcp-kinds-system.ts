import { jsonObject as obj } from '../http/json-values';
import type { KindSpec } from './ghostcp-kind-spec';
import { BACKENDS, check, cols, defined, JOB_TYPES, num, secret, select, text } from './ghostcp-kind-spec';
import {
  bool,
  cron,
  dbName,
  displayName,
  domain,
  domainList,
  ident,
  int,
  invalid,
  oneOf,
  panelId,
  secretValue,
  str,
} from './ghostcp-values';

/** Databases. */
export const databases: KindSpec = {
  info: {
    id: 'databases',
    label: 'Databases',
    columns: cols(['name', 'Name'], ['type', 'Engine'], ['host', 'Host'], ['port', 'Port'], ['size_mb', 'Size (MB)']),
    fields: [
      text('name', 'Name'),
      select('type', 'Engine', ['postgresql', 'mysql']),
      select('charset', 'Charset', ['utf8mb4', 'utf8'], false),
    ],
    canDelete: true,
    searchable: false,
    actions: [],
  },
  what: 'Databases',
  key: 'databases',
  path: () => '/api/v1/databases',
  build(v) {
    const name = dbName(str(v, 'name', true), 'name');
    return {
      body: {
        name,
        type: oneOf(v, 'type', ['postgresql', 'mysql'], 'postgresql'),
        charset: oneOf(v, 'charset', ['utf8mb4', 'utf8'], 'utf8mb4'),
      },
      secrets: [],
      name: `database ${name}`,
      match: (r) => r['name'] === name,
    };
  },
};

/** SSL certificates (request, renew). */
export const certificates: KindSpec = {
  info: {
    id: 'ssl-certificates',
    label: 'SSL certificates',
    columns: cols(
      ['domain', 'Domain'],
      ['san_domains', 'Names'],
      ['issuer', 'Issuer'],
      ['valid_until', 'Valid until'],
      ['auto_renew', 'Auto renew'],
      ['is_wildcard', 'Wildcard'],
    ),
    fields: [
      text('domain', 'Domain'),
      { key: 'san_domains', label: 'Other names', type: 'textarea', required: false, help: 'One per line' },
      select('acme_challenge_type', 'Challenge', ['http01', 'dns01'], false),
      check('auto_renew', 'Renew automatically'),
      check('is_wildcard', 'Wildcard'),
    ],
    canDelete: true,
    searchable: false,
    actions: [{ id: 'renew', label: 'Renew', confirm: false }],
  },
  what: 'SSL certificates',
  key: 'certificates',
  path: () => '/api/v1/ssl',
  build(v) {
    const d = domain(str(v, 'domain', true), 'domain');
    const san = domainList(v, 'san_domains');
    return {
      body: {
        domain: d,
        san_domains: san.includes(d) ? san : [d, ...san],
        acme_provider: 'letsencrypt',
        acme_challenge_type: oneOf(v, 'acme_challenge_type', ['http01', 'dns01'], 'http01'),
        auto_renew: bool(v, 'auto_renew') ?? true,
        is_wildcard: bool(v, 'is_wildcard') ?? false,
      },
      secrets: [],
      name: `certificate for ${d}`,
      match: (r) => r['domain'] === d,
    };
  },
};

/** System jobs (create, follow to the end). */
export const jobs: KindSpec = {
  info: {
    id: 'jobs',
    label: 'System jobs',
    columns: cols(
      ['job_type', 'Type'],
      ['status', 'Status'],
      ['user_id', 'User'],
      ['started_at', 'Started'],
      ['completed_at', 'Completed'],
      ['created_at', 'Created'],
    ),
    fields: [
      select('job_type', 'Type', JOB_TYPES),
      text('user_id', 'User id', false),
      select('backup_type', 'Backup type', ['full', 'incremental'], false),
      num('priority', 'Priority'),
    ],
    canDelete: false,
    searchable: false,
    actions: [{ id: 'follow', label: 'Follow to the end', confirm: false }],
  },
  what: 'System jobs',
  key: 'jobs',
  path: () => '/api/v1/jobs',
  build(v) {
    const type = oneOf(v, 'job_type', JOB_TYPES);
    const user = str(v, 'user_id');
    const backupType = type === 'backup' ? oneOf(v, 'backup_type', ['full', 'incremental'], 'full') : undefined;
    return {
      body: defined({
        job_type: type,
        user_id: user !== undefined ? panelId(user, 'user_id') : undefined,
        parameters: backupType ? { backup_type: backupType, include_files: true, include_databases: true } : {},
        priority: int(v, 'priority', 0, 10) ?? 1,
      }),
      secrets: [],
      name: `${type} job`,
      match: null,
    };
  },
};

/** Keys of a backup's storage settings that are secret: never shown back, even if a panel echoes them. */
export const SECRET_KEYS = /key|secret|password|token|credential/i;

/** Backup configurations (storage keys and repository passwords are secret fields). */
export const backups: KindSpec = {
  info: {
    id: 'backups',
    label: 'Backup configurations',
    columns: cols(
      ['name', 'Name'],
      ['backend_type', 'Storage'],
      ['bucket', 'Bucket'],
      ['region', 'Region'],
      ['schedule_cron', 'Schedule'],
      ['is_active', 'Active'],
      ['last_backup', 'Last backup'],
    ),
    fields: [
      text('name', 'Name'),
      select('backend_type', 'Storage', BACKENDS),
      text('bucket', 'Bucket'),
      text('region', 'Region', false),
      text('endpoint', 'Endpoint', false),
      secret('access_key', 'Access key', false),
      secret('secret_key', 'Secret key', false),
      secret('repository_password', 'Repository password'),
      text('schedule_cron', 'Schedule', true, { placeholder: '0 3 * * *' }),
      check('include_files', 'Files'),
      check('include_databases', 'Databases'),
      check('include_mail', 'Mail'),
      num('retention_daily', 'Keep daily'),
      num('retention_weekly', 'Keep weekly'),
      num('retention_monthly', 'Keep monthly'),
    ],
    canDelete: true,
    searchable: false,
    actions: [],
  },
  what: 'Backup configurations',
  key: 'configs',
  path: () => '/api/v1/backups',
  cell(r, key) {
    if (key !== 'bucket' && key !== 'region') return undefined;
    const v = obj(r['backend_config'])[key];
    return typeof v === 'string' ? v : null;
  },
  build(v) {
    const name = displayName(str(v, 'name', true), 'name');
    const backend = oneOf(v, 'backend_type', BACKENDS);
    const accessKey = str(v, 'access_key');
    const secretKey = str(v, 'secret_key');
    if (backend === 's3' || backend === 'b2') {
      if (accessKey === undefined) throw invalid('access_key', 'The access key is required for this storage.');
      if (secretKey === undefined) throw invalid('secret_key', 'The secret key is required for this storage.');
    }
    const region = str(v, 'region');
    const endpoint = str(v, 'endpoint');
    const repositoryPassword = secretValue(str(v, 'repository_password', true), 'repository_password');
    const secrets = [repositoryPassword];
    const config: Record<string, unknown> = {
      bucket: ident(str(v, 'bucket', true), 'bucket', /^[a-z0-9][a-z0-9.-]{1,62}$/),
      region: region !== undefined ? ident(region, 'region') : undefined,
      endpoint: endpoint !== undefined ? domain(endpoint, 'endpoint') : undefined,
    };
    if (accessKey !== undefined) {
      config['access_key'] = secretValue(accessKey, 'access_key', 4);
      secrets.push(accessKey);
    }
    if (secretKey !== undefined) {
      config['secret_key'] = secretValue(secretKey, 'secret_key', 4);
      secrets.push(secretKey);
    }
    return {
      body: {
        name,
        include_files: bool(v, 'include_files') ?? true,
        include_databases: bool(v, 'include_databases') ?? true,
        include_mail: bool(v, 'include_mail') ?? false,
        backend_type: backend,
        backend_config: defined(config),
        repository_password: repositoryPassword,
        schedule_cron: cron(str(v, 'schedule_cron', true), 'schedule_cron'),
        retention_policy: defined({
          daily: int(v, 'retention_daily', 0, 3650) ?? 7,
          weekly: int(v, 'retention_weekly', 0, 520),
          monthly: int(v, 'retention_monthly', 0, 240),
        }),
      },
      secrets,
      name: `backup configuration ${name}`,
      match: (r) => r['name'] === name,
    };
  },
};
