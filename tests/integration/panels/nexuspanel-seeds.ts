import { alertRow } from './nexuspanel-routes';
import { T0, type NexusStore, type NxServer } from './nexuspanel-store';

/** Seeding helpers of the NexusPanel stand-in (see nexuspanel-server.ts): n rows of each kind, ids in order. */

/** `n` online servers "Web Server 001" … with distinct 10.0.x.y hosts. */
export function seedServers(store: NexusStore, n: number): NxServer[] {
  const out: NxServer[] = [];
  for (let i = 0; i < n; i++) {
    const id = store.nextId.server++;
    const s: NxServer = {
      id,
      name: `Web Server ${String(id).padStart(3, '0')}`,
      host: `10.0.${Math.floor(id / 250)}.${(id % 250) + 1}`,
      port: 22,
      ssh_user: 'root',
      ssh_key_id: 1,
      status: 'online',
      os_info: 'Ubuntu 22.04 LTS',
      last_heartbeat: T0,
      created_at: T0,
      updated_at: T0,
    };
    store.servers.push(s);
    out.push(s);
  }
  return out;
}

/** `n` ordinary users "user0003" …. */
export function seedUsers(store: NexusStore, n: number): void {
  for (let i = 0; i < n; i++) {
    const id = store.nextId.user++;
    store.users.push({
      id,
      username: `user${String(id).padStart(4, '0')}`,
      email: `user${id}@example.com`,
      password: 'Seeded-Pass-123',
      role: 'user',
      status: 'active',
      language: 'en-US',
      created_at: T0,
      last_login_at: null,
    });
  }
}

/** `n` triggered alerts spread over the servers. */
export function seedAlerts(store: NexusStore, n: number): void {
  for (let i = 0; i < n; i++) {
    const id = store.nextId.alert++;
    store.alerts.push(alertRow(id, store.servers[i % Math.max(1, store.servers.length)], i));
  }
}

/** `n` alert rules "Rule 0001" …. */
export function seedRules(store: NexusStore, n: number): void {
  for (let i = 0; i < n; i++) {
    const id = store.nextId.rule++;
    store.rules.push({
      id,
      name: `Rule ${String(id).padStart(4, '0')}`,
      metric_type: ['cpu', 'memory', 'disk', 'network'][i % 4] ?? 'cpu',
      condition: 'greater_than',
      threshold: 80,
      severity: 'warning',
      enabled: true,
      created_at: T0,
    });
  }
}

/** `n` scheduled tasks. */
export function seedTasks(store: NexusStore, n: number): void {
  for (let i = 0; i < n; i++) {
    const id = store.nextId.task++;
    store.tasks.push({
      id,
      name: `Task ${String(id).padStart(4, '0')}`,
      type: 'scheduled',
      cron_expression: '0 2 * * *',
      status: 'active',
      last_run_at: '2024-01-15T02:00:00Z',
      next_run_at: '2024-01-16T02:00:00Z',
      created_at: T0,
    });
  }
}

/** `n` installed plugins. */
export function seedPlugins(store: NexusStore, n: number): void {
  for (let i = 0; i < n; i++) {
    const id = store.nextId.plugin++;
    store.plugins.push({
      id,
      name: `plugin-${String(id).padStart(4, '0')}`,
      version: '1.0.0',
      description: 'A plugin',
      author: 'NexusPanel Team',
      status: 'active',
      installed_at: T0,
    });
  }
}
