import type { PanelField } from '../../../shared/contract/panels.contract';
import type { PanelResourceKindInfo, PanelRowData } from '../capabilities';
import { isSecretKey, MASK } from './website-factory-values';

type Col = readonly [key: string, label: string];

function kind(
  id: string,
  label: string,
  columns: readonly Col[],
  o: {
    fields?: PanelField[];
    canDelete?: boolean;
    searchable?: boolean;
    actions?: readonly (readonly [id: string, label: string, confirm: boolean])[];
  } = {},
): PanelResourceKindInfo {
  return {
    id,
    label,
    columns: columns.map(([key, l]) => ({ key, label: l })),
    fields: o.fields ?? [],
    canDelete: o.canDelete ?? false,
    searchable: o.searchable ?? true,
    actions: (o.actions ?? []).map(([a, l, confirm]) => ({ id: a, label: l, confirm })),
  };
}

function text(key: string, label: string, required: boolean, extra: Partial<PanelField> = {}): PanelField {
  return { key, label, type: 'text', required, ...extra };
}

function secretField(key: string, label: string, required: boolean): PanelField {
  return { key, label, type: 'password', required, secret: true };
}

function select(key: string, label: string, values: readonly string[]): PanelField {
  return { key, label, type: 'select', required: true, options: values.map((v) => ({ value: v, label: v })) };
}

const active: PanelField = { key: 'is_active', label: 'Active', type: 'checkbox', required: false };

/** Documented site states (Data Models → Site). */
export const SITE_STATUS: Readonly<Record<string, readonly string[]>> = {
  status_dns: ['pending', 'active', 'failed'],
  status_hosting: ['pending', 'active', 'failed'],
  status_content: ['pending', 'generating', 'generated', 'failed'],
  status_deployment: ['pending', 'deploying', 'deployed', 'failed'],
};

/** Workflow types /workflows/trigger accepts. */
export const TRIGGER_TYPES = ['content', 'deployment'] as const;

const execColumns: Col[] = [
  ['id', 'Execution'],
  ['site_id', 'Site'],
  ['workflow_type', 'Workflow'],
  ['status', 'Status'],
  ['started_at', 'Started'],
  ['completed_at', 'Completed'],
  ['error_message', 'Error'],
  ['retry_count', 'Retries'],
];

const retry = [['retry', 'Retry now', false]] as const;

const keyValue: Col[] = [
  ['key', 'Metric'],
  ['value', 'Value'],
];

/**
 * Every kind of thing PanelDeck shows of a Website Factory hub (seed website-factory-api.md): sites (search
 * accepts the documented filters as `status_dns:failed has_error:true`), workflow executions (create = trigger),
 * failed and retrying workflows, alerts, the four credential stores (secret fields are write-only), and the
 * read-only statistics, system health and processing status.
 */
export const WF_KINDS: readonly PanelResourceKindInfo[] = [
  kind(
    'sites',
    'Sites',
    [
      ['domain', 'Domain'],
      ['brand_name', 'Brand'],
      ['status_dns', 'DNS'],
      ['status_hosting', 'Hosting'],
      ['status_content', 'Content'],
      ['status_deployment', 'Deployment'],
      ['error_message', 'Error'],
      ['created_at', 'Created'],
    ],
    {
      fields: [
        text('domain', 'Domain', true, { placeholder: 'example.com' }),
        text('brand_name', 'Brand name', false),
        text('cloudflare_account_id', 'Cloudflare account id', false),
      ],
      canDelete: true,
      actions: [
        ['retry', 'Retry failed workflows', false],
        ['trigger-content', 'Generate content', false],
        ['trigger-deployment', 'Deploy', false],
      ],
    },
  ),
  kind('site-stats', 'Site statistics', keyValue, { searchable: false }),
  kind('workflow-executions', 'Workflow executions', execColumns, {
    fields: [select('workflow_type', 'Workflow', TRIGGER_TYPES), text('site_id', 'Site id', true)],
    actions: retry,
  }),
  kind('workflows-failed', 'Failed workflows', [...execColumns, ['failed_at', 'Failed']], { actions: retry }),
  kind(
    'workflows-retrying',
    'Retrying workflows',
    [...execColumns, ['max_retries', 'Max retries'], ['next_retry_at', 'Next retry']],
    { actions: retry },
  ),
  kind('workflow-stats', 'Workflow statistics', keyValue, { searchable: false }),
  kind('system-health', 'System health', keyValue, {
    searchable: false,
    actions: [['health-check', 'Run health checks', false]],
  }),
  kind(
    'processing-status',
    'Processing status',
    [
      ['module', 'Module'],
      ['status', 'Status'],
      ['current_site', 'Current site'],
      ['sites_in_queue', 'Queue'],
      ['last_execution', 'Last run'],
    ],
    { searchable: false },
  ),
  kind(
    'alerts',
    'Alerts',
    [
      ['severity', 'Severity'],
      ['message', 'Message'],
      ['acknowledged', 'Acknowledged'],
      ['created_at', 'Created'],
    ],
    {
      actions: [
        ['acknowledge', 'Acknowledge', false],
        ['resolve', 'Resolve', true],
      ],
    },
  ),
  kind(
    'servers',
    'Servers',
    [
      ['name', 'Name'],
      ['ip_address', 'Address'],
      ['type', 'Type'],
      ['cloudpanel_url', 'CloudPanel'],
      ['is_active', 'Active'],
    ],
    {
      fields: [
        text('name', 'Name', true),
        text('ip_address', 'IP address', true),
        text('type', 'Type', true, { placeholder: 'vultr' }),
        text('cloudpanel_url', 'CloudPanel URL', false, { placeholder: 'https://203.0.113.10:8443' }),
        active,
      ],
      canDelete: true,
    },
  ),
  kind(
    'registrars',
    'Registrar credentials',
    [
      ['provider', 'Provider'],
      ['api_user', 'API user'],
      ['api_key', 'API key'],
      ['api_endpoint', 'Endpoint'],
      ['username', 'User'],
      ['client_ip', 'Client IP'],
      ['is_active', 'Active'],
    ],
    {
      fields: [
        text('provider', 'Provider', true, { placeholder: 'namecheap' }),
        text('api_user', 'API user', true),
        secretField('api_key', 'API key', true),
        secretField('api_secret', 'API secret', false),
        text('api_endpoint', 'API endpoint', false),
        text('username', 'User name', false),
        text('client_ip', 'Client IP', false),
        active,
      ],
    },
  ),
  kind(
    'infrastructure',
    'Infrastructure credentials',
    [
      ['service', 'Service'],
      ['url', 'URL'],
      ['username', 'User'],
      ['password', 'Password'],
      ['is_active', 'Active'],
    ],
    {
      fields: [
        text('service', 'Service', true, { placeholder: 'matomo' }),
        text('url', 'URL', true),
        text('username', 'User name', false),
        secretField('password', 'Password', false),
        secretField('api_token', 'API token', false),
        active,
      ],
    },
  ),
  kind(
    'cloudflare-accounts',
    'Cloudflare accounts',
    [
      ['account_nickname', 'Nickname'],
      ['email', 'E-mail'],
      ['api_token', 'API token'],
      ['cloudflare_account_id', 'Account id'],
      ['created_at', 'Created'],
    ],
    {
      fields: [
        text('email', 'E-mail', true),
        text('account_nickname', 'Nickname', true, { placeholder: 'CF_Batch_1' }),
        secretField('api_token', 'API token', true),
        text('cloudflare_account_id', 'Account id', false),
      ],
      canDelete: true,
    },
  ),
  kind(
    'cloudflare-import',
    'Cloudflare accounts: bulk import',
    [
      ['account_nickname', 'Nickname'],
      ['email', 'E-mail'],
      ['api_token', 'API token'],
      ['cloudflare_account_id', 'Account id'],
    ],
    {
      fields: [
        {
          key: 'csv',
          label: 'CSV (email,account_nickname,api_token,cloudflare_account_id)',
          type: 'textarea',
          required: true,
          secret: true,
        },
      ],
    },
  ),
];

function cell(v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return JSON.stringify(v);
}

/**
 * A panel item as a table row: only the kind's columns are copied (a secret the panel sends back but the kind
 * does not show never leaves the driver), and a column holding a secret shows a mask when it is set.
 */
export function rowOf(info: PanelResourceKindInfo, item: Record<string, unknown>, id?: string): PanelRowData {
  const cells: PanelRowData['cells'] = {};
  for (const c of info.columns) {
    const v = item[c.key];
    cells[c.key] = isSecretKey(c.key) ? (v === null || v === undefined || v === '' ? null : MASK) : cell(v);
  }
  const rawId = id ?? item['id'];
  return { id: typeof rawId === 'string' || typeof rawId === 'number' ? String(rawId) : '', cells };
}

/** A nested statistics object as metric rows: `{dns_stats: {active: 3}}` → `dns_stats.active = 3`. */
export function flatten(v: unknown, prefix = ''): { key: string; value: string | number | boolean | null }[] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return [{ key: prefix, value: Array.isArray(v) ? (v.length === 0 ? 'none' : JSON.stringify(v)) : cell(v) }];
  }
  return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => flatten(x, prefix ? `${prefix}.${k}` : k));
}
