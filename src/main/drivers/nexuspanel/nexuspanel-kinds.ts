import type { PanelResourceKindInfo, PanelRowData } from '../capabilities';
import type { NexusRow } from './nexuspanel.client';

const col = (key: string, label: string) => ({ key, label });

/** The resource kinds of a NexusPanel (issue 11): what the Panels section shows, creates and acts on. */
export const NEXUS_KINDS: readonly PanelResourceKindInfo[] = [
  {
    id: 'servers',
    label: 'Servers',
    columns: [
      col('name', 'Name'),
      col('host', 'Host'),
      col('port', 'Port'),
      col('sshUser', 'SSH user'),
      col('status', 'Status'),
      col('os', 'OS'),
      col('heartbeat', 'Last heartbeat'),
    ],
    fields: [
      { key: 'name', label: 'Name', type: 'text', required: true, placeholder: 'Web Server 01' },
      { key: 'host', label: 'Host', type: 'text', required: true, placeholder: '192.168.1.100' },
      { key: 'port', label: 'SSH port', type: 'number', required: false, placeholder: '22' },
      { key: 'sshUser', label: 'SSH user', type: 'text', required: false, placeholder: 'root' },
      { key: 'sshKeyId', label: 'SSH key id (on the panel)', type: 'number', required: false },
    ],
    canDelete: true,
    searchable: true,
    actions: [{ id: 'test-connection', label: 'Test connection', confirm: false }],
  },
  {
    id: 'processes',
    label: 'Processes',
    columns: [
      col('pid', 'PID'),
      col('name', 'Name'),
      col('user', 'User'),
      col('cpu', 'CPU %'),
      col('memory', 'Memory %'),
      col('status', 'Status'),
      col('command', 'Command'),
    ],
    fields: [],
    canDelete: false,
    searchable: true,
    actions: [],
  },
  {
    id: 'alerts',
    label: 'Alerts',
    columns: [
      col('server', 'Server'),
      col('type', 'Type'),
      col('severity', 'Severity'),
      col('message', 'Message'),
      col('status', 'Status'),
      col('triggeredAt', 'Triggered'),
      col('resolvedAt', 'Resolved'),
    ],
    fields: [],
    canDelete: false,
    searchable: true,
    actions: [
      { id: 'acknowledge', label: 'Acknowledge', confirm: false },
      { id: 'resolve', label: 'Resolve', confirm: false },
    ],
  },
  {
    id: 'alert-rules',
    label: 'Alert rules',
    columns: [
      col('name', 'Name'),
      col('metric', 'Metric'),
      col('condition', 'Condition'),
      col('threshold', 'Threshold'),
      col('severity', 'Severity'),
      col('enabled', 'Enabled'),
    ],
    fields: [
      { key: 'name', label: 'Name', type: 'text', required: true, placeholder: 'High CPU usage' },
      {
        key: 'metric',
        label: 'Metric',
        type: 'select',
        required: true,
        options: ['cpu', 'memory', 'disk', 'network'].map((v) => ({ value: v, label: v })),
      },
      {
        key: 'condition',
        label: 'Condition',
        type: 'select',
        required: true,
        options: [
          { value: 'greater_than', label: 'greater than' },
          { value: 'less_than', label: 'less than' },
          { value: 'equals', label: 'equals' },
        ],
      },
      { key: 'threshold', label: 'Threshold', type: 'number', required: true },
      {
        key: 'severity',
        label: 'Severity',
        type: 'select',
        required: true,
        options: ['critical', 'warning', 'info'].map((v) => ({ value: v, label: v })),
      },
      { key: 'enabled', label: 'Enabled', type: 'checkbox', required: false },
    ],
    canDelete: true,
    searchable: true,
    actions: [],
  },
  {
    id: 'users',
    label: 'Users',
    columns: [
      col('username', 'User'),
      col('email', 'Email'),
      col('role', 'Role'),
      col('status', 'Status'),
      col('lastLogin', 'Last sign-in'),
    ],
    fields: [
      { key: 'username', label: 'User name', type: 'text', required: true },
      { key: 'email', label: 'Email', type: 'text', required: true },
      { key: 'password', label: 'Password', type: 'password', required: true, secret: true },
      {
        key: 'role',
        label: 'Role',
        type: 'select',
        required: true,
        options: [
          { value: 'user', label: 'User' },
          { value: 'admin', label: 'Admin' },
        ],
      },
    ],
    canDelete: true,
    searchable: true,
    actions: [],
  },
  {
    id: 'tasks',
    label: 'Tasks',
    columns: [
      col('name', 'Name'),
      col('type', 'Type'),
      col('cron', 'Schedule'),
      col('status', 'Status'),
      col('lastRun', 'Last run'),
      col('nextRun', 'Next run'),
    ],
    fields: [],
    canDelete: false,
    searchable: true,
    actions: [],
  },
  {
    id: 'plugins',
    label: 'Plugins',
    columns: [
      col('name', 'Name'),
      col('version', 'Version'),
      col('author', 'Author'),
      col('status', 'Status'),
      col('description', 'Description'),
    ],
    fields: [],
    canDelete: false,
    searchable: true,
    actions: [],
  },
];

type Cell = string | number | boolean | null;
const cell = (v: unknown): Cell =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;

/** Each kind's cells from a panel row (only these fields are ever shown: a row's other fields stay behind). */
export const ROW_CELLS: Readonly<Record<string, (x: NexusRow) => Record<string, Cell>>> = {
  servers: (x) => ({
    name: cell(x['name']),
    host: cell(x['host']),
    port: cell(x['port']),
    sshUser: cell(x['ssh_user']),
    status: cell(x['status']),
    os: cell(x['os_info']),
    heartbeat: cell(x['last_heartbeat']),
  }),
  processes: (x) => ({
    pid: cell(x['pid']),
    name: cell(x['name']),
    user: cell(x['user']),
    cpu: cell(x['cpu_percent']),
    memory: cell(x['memory_percent']),
    status: cell(x['status']),
    command: cell(x['command']),
  }),
  alerts: (x) => ({
    server: cell(x['server_name']) ?? cell(x['server_id']),
    type: cell(x['alert_type']),
    severity: cell(x['severity']),
    message: cell(x['message']),
    status: cell(x['status']),
    triggeredAt: cell(x['triggered_at']),
    resolvedAt: cell(x['resolved_at']),
  }),
  'alert-rules': (x) => ({
    name: cell(x['name']),
    metric: cell(x['metric_type']),
    condition: cell(x['condition']),
    threshold: cell(x['threshold']),
    severity: cell(x['severity']),
    enabled: cell(x['enabled']),
  }),
  users: (x) => ({
    username: cell(x['username']),
    email: cell(x['email']),
    role: cell(x['role']),
    status: cell(x['status']),
    lastLogin: cell(x['last_login_at']),
  }),
  tasks: (x) => ({
    name: cell(x['name']),
    type: cell(x['type']),
    cron: cell(x['cron_expression']),
    status: cell(x['status']),
    lastRun: cell(x['last_run_at']),
    nextRun: cell(x['next_run_at']),
  }),
  plugins: (x) => ({
    name: cell(x['name']),
    version: cell(x['version']),
    author: cell(x['author']),
    status: cell(x['status']),
    description: cell(x['description']),
  }),
};

/** A panel row in the contract's shape (id: the panel's id, or the PID for a process). */
export function rowOf(kind: string, x: NexusRow): PanelRowData {
  const id = cell(kind === 'processes' ? x['pid'] : x['id']);
  return { id: id === null ? '' : String(id), cells: ROW_CELLS[kind]?.(x) ?? {} };
}

/** Where each listed kind lives (alerts and rules: see NexusPanelApi.alertRoutes) and its array's key. */
export const LIST_OF: Readonly<Record<string, { path: string; key: string; what: string; panelSearch: boolean }>> = {
  servers: { path: '/api/v1/servers', key: 'servers', what: 'Listing servers', panelSearch: true },
  users: { path: '/api/v1/users', key: 'users', what: 'Listing users', panelSearch: true },
  tasks: { path: '/api/v1/tasks', key: 'tasks', what: 'Task management', panelSearch: false },
  plugins: { path: '/api/v1/plugins', key: 'plugins', what: 'Plugin management', panelSearch: false },
  alerts: { path: 'alerts', key: 'alerts', what: 'Alerting', panelSearch: false },
  'alert-rules': { path: 'rules', key: 'rules', what: 'Alert rules', panelSearch: false },
  processes: { path: '/api/v1/servers/:id/processes', key: 'processes', what: 'The process list', panelSearch: false },
};
