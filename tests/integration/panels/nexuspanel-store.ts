import type { LoggedRequest } from './loopback-server';

/**
 * The NexusPanel stand-in's rows and the helpers every route shares (see nexuspanel-server.ts): the seed's
 * shapes, its page/per_page pagination and its `{code, message, data}` envelope.
 */

export interface NxUser {
  id: number;
  username: string;
  email: string;
  password: string;
  role: 'admin' | 'user';
  status: string;
  language: string;
  created_at: string;
  last_login_at: string | null;
}
export interface NxServer {
  id: number;
  name: string;
  host: string;
  port: number;
  ssh_user: string;
  ssh_key_id: number | null;
  status: string;
  os_info: string;
  last_heartbeat: string;
  created_at: string;
  updated_at: string;
}
export interface NxAlert {
  id: number;
  server_id: number;
  server_name: string;
  alert_type: string;
  severity: string;
  message: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  triggered_at: string;
  resolved_at: string | null;
}
export interface NxRule {
  id: number;
  name: string;
  metric_type: string;
  condition: string;
  threshold: number;
  severity: string;
  enabled: boolean;
  created_at: string;
}
export interface NxTask {
  id: number;
  name: string;
  type: string;
  cron_expression: string;
  status: string;
  last_run_at: string;
  next_run_at: string;
  created_at: string;
}
export interface NxPlugin {
  id: number;
  name: string;
  version: string;
  description: string;
  author: string;
  status: string;
  installed_at: string;
}
export interface NxProcess {
  pid: number;
  name: string;
  user: string;
  cpu_percent: number;
  memory_percent: number;
  status: string;
  command: string;
}

/** Everything the stand-in stores. */
export interface NexusStore {
  readonly users: NxUser[];
  readonly servers: NxServer[];
  readonly alerts: NxAlert[];
  readonly rules: NxRule[];
  readonly tasks: NxTask[];
  readonly plugins: NxPlugin[];
  readonly processes: Map<number, NxProcess[]>;
  readonly nextId: { user: number; server: number; alert: number; rule: number; task: number; plugin: number };
}

/** A fixed clock for the rows' timestamps (the seed's dates). */
export const T0 = '2024-01-15T14:00:00Z';

/** A new empty store with the admin and one ordinary user. */
export function newStore(adminPassword: string, userPassword: string): NexusStore {
  return {
    users: [
      {
        id: 1,
        username: 'admin',
        email: 'admin@example.com',
        password: adminPassword,
        role: 'admin',
        status: 'active',
        language: 'en-US',
        created_at: '2024-01-01T00:00:00Z',
        last_login_at: null,
      },
      {
        id: 2,
        username: 'operator',
        email: 'operator@example.com',
        password: userPassword,
        role: 'user',
        status: 'active',
        language: 'en-US',
        created_at: '2024-01-01T00:00:00Z',
        last_login_at: null,
      },
    ],
    servers: [],
    alerts: [],
    rules: [],
    tasks: [],
    plugins: [],
    processes: new Map(),
    nextId: { user: 3, server: 1, alert: 1, rule: 1, task: 1, plugin: 1 },
  };
}

/** A server's processes (generated on first use: a handful of daemons). */
export function processesOf(store: NexusStore, serverId: number, n = 12): NxProcess[] {
  let list = store.processes.get(serverId);
  if (!list) {
    list = makeProcesses(n);
    store.processes.set(serverId, list);
  }
  return list;
}

/** `n` processes with distinct, varied CPU and memory shares. */
export function makeProcesses(n: number): NxProcess[] {
  const names = ['nginx', 'postgres', 'sshd', 'node', 'redis-server', 'cron', 'systemd', 'php-fpm'];
  return Array.from({ length: n }, (_, i) => ({
    pid: 1000 + i,
    name: `${names[i % names.length] ?? 'proc'}`,
    user: i % 3 === 0 ? 'root' : 'www-data',
    cpu_percent: Math.round(((i * 37) % 1000) / 10) / 1,
    memory_percent: Math.round(((i * 53) % 500) / 10) / 1,
    status: 'running',
    command: `${names[i % names.length] ?? 'proc'}: worker ${i}`,
  }));
}

/** The request body as a JSON object (null when it is not one). */
export function body(req: LoggedRequest): Record<string, unknown> | null {
  try {
    const v = JSON.parse(req.body) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * page/per_page pagination as the seed documents it (page default 1, per_page default 20, max 100), answering
 * `pagination {current_page, per_page, total_pages, total_count, has_next, has_prev}`. `always: false` (the
 * lists the seed shows without pagination) answers everything unless page or per_page is asked for.
 */
export function paginate<T>(
  req: LoggedRequest,
  rows: readonly T[],
  always: boolean,
): { items: T[]; pagination?: Record<string, number | boolean> } {
  if (!always && !req.query.has('page') && !req.query.has('per_page')) return { items: [...rows] };
  const page = Math.max(1, Number(req.query.get('page') ?? 1) || 1);
  const per = Math.min(100, Math.max(1, Number(req.query.get('per_page') ?? 20) || 20));
  const pages = Math.max(1, Math.ceil(rows.length / per));
  return {
    items: rows.slice((page - 1) * per, page * per),
    pagination: {
      current_page: page,
      per_page: per,
      total_pages: pages,
      total_count: rows.length,
      has_next: page < pages,
      has_prev: page > 1,
    },
  };
}
