import type { LoggedRequest } from './loopback-server';
import {
  body,
  paginate,
  processesOf,
  T0,
  type NexusStore,
  type NxAlert,
  type NxRule,
  type NxServer,
  type NxUser,
} from './nexuspanel-store';

/** What a route needs from the server: the request, who is signed in, and how to answer. */
export interface RouteContext {
  readonly req: LoggedRequest;
  readonly store: NexusStore;
  readonly deviations: boolean;
  readonly user: NxUser;
  readonly effects: string[];
  ok(status: number, message: string, data?: unknown): true;
  bad(status: number, code: number, message: string, details?: unknown): true;
}

const NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._()#@+-]{0,99}$/u;
const HOST = /^[A-Za-z0-9.:-]{1,253}$/;
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const METRICS = new Set(['cpu', 'memory', 'disk', 'network']);
const CONDITIONS = new Set(['greater_than', 'less_than', 'equals']);
const SEVERITIES = new Set(['critical', 'warning', 'info']);

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
const publicUser = ({ password: _p, ...u }: NxUser) => u;
const list = (ctx: RouteContext, key: string, rows: readonly unknown[], always: boolean): true => {
  const p = paginate(ctx.req, rows, always);
  return ctx.ok(200, 'Success', { [key]: p.items, ...(p.pagination ? { pagination: p.pagination } : {}) });
};

function usersRoute(ctx: RouteContext, id: string | undefined): true {
  const { req, store } = ctx;
  const m = req.method;
  const admin = ctx.user.role === 'admin';
  if (m === 'GET' && id === undefined) {
    if (!admin) return ctx.bad(403, 40301, 'Insufficient permissions');
    const search = req.query.get('search')?.toLowerCase();
    const role = req.query.get('role');
    const rows = store.users
      .filter((u) => !search || u.username.toLowerCase().includes(search) || u.email.toLowerCase().includes(search))
      .filter((u) => !role || u.role === role)
      .map(publicUser);
    return list(ctx, 'users', rows, true);
  }
  if (m === 'POST' && id === undefined) {
    if (!admin) return ctx.bad(403, 40301, 'Insufficient permissions');
    const b = body(req) ?? {};
    const fields: { field: string; message: string }[] = [];
    const username = str(b['username']) ?? '';
    if (!USERNAME.test(username)) fields.push({ field: 'username', message: 'Username must be 3-32 characters' });
    if (!EMAIL.test(str(b['email']) ?? '')) fields.push({ field: 'email', message: 'Invalid email address' });
    if ((str(b['password']) ?? '').length < 8) fields.push({ field: 'password', message: 'Password too short' });
    if (fields.length > 0) return ctx.bad(422, 42201, 'Validation error', { fields });
    if (store.users.some((u) => u.username === username)) return ctx.bad(409, 40901, 'Username already exists');
    const user: NxUser = {
      id: store.nextId.user++,
      username,
      email: str(b['email']) ?? '',
      password: str(b['password']) ?? '',
      role: b['role'] === 'admin' ? 'admin' : 'user',
      status: 'active',
      language: str(b['language']) ?? 'en-US',
      created_at: T0,
      last_login_at: null,
    };
    store.users.push(user);
    ctx.effects.push(`user.create ${username}`);
    return ctx.ok(201, 'User created successfully', { user: publicUser(user) });
  }
  const user = store.users.find((u) => String(u.id) === id);
  if (!user) return ctx.bad(404, 40401, 'User not found');
  if (m === 'GET') return ctx.ok(200, 'Success', { user: publicUser(user) });
  if (m === 'PUT') {
    if (!admin && ctx.user.id !== user.id) return ctx.bad(403, 40301, 'Insufficient permissions');
    const b = body(req) ?? {};
    if (typeof b['email'] === 'string') user.email = b['email'];
    if (typeof b['language'] === 'string') user.language = b['language'];
    return ctx.ok(200, 'User updated successfully', { user: publicUser(user) });
  }
  if (m === 'DELETE') {
    if (!admin) return ctx.bad(403, 40301, 'Insufficient permissions');
    store.users.splice(store.users.indexOf(user), 1);
    ctx.effects.push(`user.delete ${user.username}`);
    return ctx.ok(200, 'User deleted successfully');
  }
  return ctx.bad(405, 40001, 'Method not allowed');
}

function serverFields(b: Record<string, unknown>, partial: boolean): { field: string; message: string }[] {
  const fields: { field: string; message: string }[] = [];
  if ((!partial || b['name'] !== undefined) && !NAME.test(str(b['name']) ?? ''))
    fields.push({ field: 'name', message: 'Name is required' });
  if ((!partial || b['host'] !== undefined) && !HOST.test(str(b['host']) ?? ''))
    fields.push({ field: 'host', message: 'Host must be a hostname or IP address' });
  const port = b['port'];
  if (port !== undefined && (typeof port !== 'number' || port < 1 || port > 65535))
    fields.push({ field: 'port', message: 'Port must be between 1 and 65535' });
  return fields;
}

function serverMetrics(s: NxServer, tick: number) {
  const cpu = 20 + ((s.id * 7 + tick * 3) % 60);
  const total = 8_589_934_592;
  const used = Math.round((total * (30 + ((s.id * 5 + tick) % 40))) / 100);
  const disk = 107_374_182_400;
  return {
    timestamp: new Date().toISOString(),
    cpu: {
      usage_percent: cpu,
      cores: [
        { core: 0, usage_percent: cpu - 5 },
        { core: 1, usage_percent: cpu + 5 },
      ],
    },
    memory: { total, used, free: total - used, usage_percent: Math.round((used / total) * 1000) / 10 },
    disk: [{ device: '/dev/sda1', mount_point: '/', total: disk, used: disk / 2, free: disk / 2, usage_percent: 50 }],
    network: {
      bytes_sent: 1_073_741_824 + tick * 1000,
      bytes_recv: 2_147_483_648 + tick * 2000,
      packets_sent: 1_000_000,
      packets_recv: 2_000_000,
    },
  };
}

function serversRoute(ctx: RouteContext, id: string | undefined, sub: string[]): true {
  const { req, store } = ctx;
  const m = req.method;
  if (id === undefined) {
    if (m === 'GET') {
      const search = req.query.get('search')?.toLowerCase();
      const status = req.query.get('status');
      const rows = store.servers
        .filter((s) => !search || s.name.toLowerCase().includes(search) || s.host.includes(search))
        .filter((s) => !status || s.status === status)
        .map(({ ssh_key_id: _k, updated_at: _u, ...s }) => s);
      return list(ctx, 'servers', rows, true);
    }
    if (m === 'POST') {
      const b = body(req) ?? {};
      const fields = serverFields(b, false);
      if (fields.length > 0) return ctx.bad(422, 42201, 'Validation error', { fields });
      if (store.servers.some((s) => s.name === b['name'])) return ctx.bad(409, 40901, 'Server name already exists');
      const s: NxServer = {
        id: store.nextId.server++,
        name: str(b['name']) ?? '',
        host: str(b['host']) ?? '',
        port: typeof b['port'] === 'number' ? b['port'] : 22,
        ssh_user: str(b['ssh_user']) ?? 'root',
        ssh_key_id: typeof b['ssh_key_id'] === 'number' ? b['ssh_key_id'] : null,
        status: 'unknown',
        os_info: '',
        last_heartbeat: T0,
        created_at: T0,
        updated_at: T0,
      };
      store.servers.push(s);
      ctx.effects.push(`server.create ${s.name}`);
      return ctx.ok(201, 'Server added successfully', { server: s });
    }
    return ctx.bad(405, 40001, 'Method not allowed');
  }
  const s = store.servers.find((x) => String(x.id) === id);
  if (!s) return ctx.bad(404, 40401, 'Server not found');
  const [what, more] = sub;
  if (what === undefined) {
    if (m === 'GET') return ctx.ok(200, 'Success', { server: { ...s, groups: [{ id: 1, name: 'Production' }] } });
    if (m === 'PUT') {
      const b = body(req) ?? {};
      const fields = serverFields(b, true);
      if (fields.length > 0) return ctx.bad(422, 42201, 'Validation error', { fields });
      for (const k of ['name', 'host', 'port', 'ssh_user', 'ssh_key_id'] as const) {
        if (b[k] !== undefined) Object.assign(s, { [k]: b[k] });
      }
      s.updated_at = new Date().toISOString();
      ctx.effects.push(`server.update ${s.id}`);
      return ctx.ok(200, 'Server updated successfully', { server: s });
    }
    if (m === 'DELETE') {
      store.servers.splice(store.servers.indexOf(s), 1);
      ctx.effects.push(`server.delete ${s.name}`);
      return ctx.ok(200, 'Server deleted successfully');
    }
  }
  if (what === 'test-connection' && m === 'POST') {
    s.status = 'online';
    s.os_info = 'Ubuntu 22.04 LTS';
    return ctx.ok(200, 'Connection successful', { connected: true, latency_ms: 45, os_info: s.os_info });
  }
  if (what === 'info' && m === 'GET') {
    return ctx.ok(200, 'Success', {
      hostname: s.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'),
      os: 'Linux',
      platform: 'ubuntu',
      platform_version: '22.04',
      kernel_version: '5.15.0-91-generic',
      architecture: 'x86_64',
      cpu_count: 4,
      total_memory: 8_589_934_592,
      uptime: 864_000,
    });
  }
  if (what === 'metrics' && more === undefined && m === 'GET') return ctx.ok(200, 'Success', serverMetrics(s, 0));
  if (what === 'metrics' && more === 'history' && m === 'GET') {
    if (ctx.deviations) return ctx.bad(501, 50101, 'Feature not implemented');
    const type = req.query.get('metric_type') ?? '';
    const start = Date.parse(req.query.get('start_time') ?? '');
    const end = Date.parse(req.query.get('end_time') ?? '');
    if (!METRICS.has(type) || Number.isNaN(start) || Number.isNaN(end)) {
      return ctx.bad(400, 42201, 'Validation error', 'metric_type, start_time and end_time are required');
    }
    const interval = req.query.get('interval') ?? '5m';
    const step = { '1m': 60_000, '5m': 300_000, '1h': 3_600_000, '1d': 86_400_000 }[interval] ?? 300_000;
    const points: { timestamp: string; value: number }[] = [];
    for (let t = start, i = 0; t <= end && points.length < 1000; t += step, i++) {
      points.push({ timestamp: new Date(t).toISOString(), value: 30 + (i % 10) });
    }
    return ctx.ok(200, 'Success', { metric_type: type, interval, data_points: points });
  }
  if (what === 'processes' && m === 'GET') {
    const sort = req.query.get('sort') ?? 'cpu';
    const rows = [...processesOf(store, s.id)].sort((a, b) =>
      sort === 'name'
        ? a.name.localeCompare(b.name) || a.pid - b.pid
        : sort === 'memory'
          ? b.memory_percent - a.memory_percent || a.pid - b.pid
          : b.cpu_percent - a.cpu_percent || a.pid - b.pid,
    );
    const limit = Number(req.query.get('limit') ?? 0);
    return list(ctx, 'processes', limit > 0 ? rows.slice(0, limit) : rows, false);
  }
  return ctx.bad(404, 40401, `Route ${m} ${req.path} not found`);
}

function alertsRoute(ctx: RouteContext, id: string | undefined, action: string | undefined): true {
  const { req, store } = ctx;
  if (id === undefined && req.method === 'GET') {
    const sid = req.query.get('server_id');
    const severity = req.query.get('severity');
    const status = req.query.get('status');
    const rows = store.alerts
      .filter((a) => !sid || String(a.server_id) === sid)
      .filter((a) => !severity || a.severity === severity)
      .filter((a) => !status || a.status === status);
    return list(ctx, 'alerts', rows, false);
  }
  const alert = store.alerts.find((a) => String(a.id) === id);
  if (!alert) return ctx.bad(404, 40401, 'Alert not found');
  if (req.method === 'POST' && (action === 'acknowledge' || action === 'resolve')) {
    if (alert.status === 'resolved') return ctx.bad(409, 40901, 'Alert is already resolved');
    alert.status = action === 'acknowledge' ? 'acknowledged' : 'resolved';
    if (alert.status === 'resolved') alert.resolved_at = new Date().toISOString();
    ctx.effects.push(`alert.${action} ${alert.id}`);
    return ctx.ok(200, `Alert ${alert.status}`, { alert });
  }
  return ctx.bad(404, 40401, `Route ${req.method} ${req.path} not found`);
}

function rulesRoute(ctx: RouteContext, id: string | undefined): true {
  const { req, store } = ctx;
  if (id === undefined && req.method === 'GET') return list(ctx, 'rules', store.rules, false);
  if (id === undefined && req.method === 'POST') {
    const b = body(req) ?? {};
    const fields: { field: string; message: string }[] = [];
    if (!NAME.test(str(b['name']) ?? '')) fields.push({ field: 'name', message: 'Name is required' });
    if (!METRICS.has(str(b['metric_type']) ?? ''))
      fields.push({ field: 'metric_type', message: 'Unknown metric type' });
    if (!CONDITIONS.has(str(b['condition']) ?? '')) fields.push({ field: 'condition', message: 'Unknown condition' });
    if (typeof b['threshold'] !== 'number' || b['threshold'] < 0)
      fields.push({ field: 'threshold', message: 'Threshold must be a positive number' });
    if (!SEVERITIES.has(str(b['severity']) ?? '')) fields.push({ field: 'severity', message: 'Unknown severity' });
    if (fields.length > 0) return ctx.bad(422, 42201, 'Validation error', { fields });
    if (store.rules.some((r) => r.name === b['name'])) return ctx.bad(409, 40901, 'Alert rule already exists');
    const rule: NxRule = {
      id: store.nextId.rule++,
      name: str(b['name']) ?? '',
      metric_type: str(b['metric_type']) ?? '',
      condition: str(b['condition']) ?? '',
      threshold: Number(b['threshold']),
      severity: str(b['severity']) ?? '',
      enabled: b['enabled'] !== false,
      created_at: T0,
    };
    store.rules.push(rule);
    ctx.effects.push(`rule.create ${rule.name}`);
    return ctx.ok(201, 'Alert rule created successfully', { rule });
  }
  const rule = store.rules.find((r) => String(r.id) === id);
  if (!rule) return ctx.bad(404, 40401, 'Alert rule not found');
  if (req.method === 'DELETE') {
    store.rules.splice(store.rules.indexOf(rule), 1);
    ctx.effects.push(`rule.delete ${rule.name}`);
    return ctx.ok(200, 'Alert rule deleted successfully');
  }
  return ctx.bad(404, 40401, `Route ${req.method} ${req.path} not found`);
}

/**
 * The resource routes under /api/v1 (everything but auth): users, servers (+ test-connection, info, metrics,
 * history, processes), alerts and rules (documented `/alerts`, `/alerts/rules`; with deviations the public
 * code's `/monitoring/alerts`, `/monitoring/alert-rules`, and 501 for plugins and metrics history), tasks, plugins.
 */
export function routeApi(ctx: RouteContext, parts: string[]): true {
  const [resource, id, ...sub] = parts;
  const m = ctx.req.method;
  if (resource === 'users') return usersRoute(ctx, id);
  if (resource === 'servers') return serversRoute(ctx, id, sub);
  if (!ctx.deviations && resource === 'alerts') {
    if (id === 'rules') return rulesRoute(ctx, sub[0]);
    return alertsRoute(ctx, id, sub[0]);
  }
  if (ctx.deviations && resource === 'monitoring') {
    if (id === 'alerts') return alertsRoute(ctx, sub[0], sub[1]);
    if (id === 'alert-rules') return rulesRoute(ctx, sub[0]);
  }
  if (resource === 'tasks' && m === 'GET' && id === undefined) return list(ctx, 'tasks', ctx.store.tasks, false);
  if (resource === 'plugins' && m === 'GET' && id === undefined) {
    if (ctx.deviations) return ctx.bad(501, 50101, 'Feature not implemented');
    return list(ctx, 'plugins', ctx.store.plugins, false);
  }
  return ctx.bad(404, 40401, `Route ${m} ${ctx.req.path} not found`);
}

/** A current-metrics reading of a server at stream tick `tick` (also used by the WS stream). */
export { serverMetrics };

/** Makes an alert row for a server. */
export function alertRow(id: number, s: NxServer | undefined, i: number): NxAlert {
  return {
    id,
    server_id: s?.id ?? 1,
    server_name: s?.name ?? 'Web Server 01',
    alert_type: i % 2 === 0 ? 'cpu_high' : 'memory_high',
    severity: ['critical', 'warning', 'info'][i % 3] ?? 'warning',
    message: i % 2 === 0 ? 'CPU usage exceeded 80%' : 'Memory usage exceeded 90%',
    status: 'triggered',
    triggered_at: T0,
    resolved_at: null,
  };
}
