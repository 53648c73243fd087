import Database from 'better-sqlite3';
import { afterEach, expect, test } from 'vitest';
import { EventBus } from '../../../src/main/core/event-bus';
import { Logger, memorySink } from '../../../src/main/core/logger';
import { createMetricsModule, type MetricsServerRef } from '../../../src/main/metrics/metrics.module';
import type { CollectorLike } from '../../../src/main/metrics/metrics.service';
import { migrateHistory } from '../../../src/main/storage/history/migrations';
import { ManualClock } from '../../../src/main/vault/clock';
import { AppError } from '../../../src/shared/errors';

/*
 * The module's wiring: inventory and vault events drive the collection. The collector is a scripted stand-in that
 * records start/stop (the real one runs against a real server in tests/integration/metrics.test.ts).
 */

const open: Database.Database[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function setup() {
  const db = new Database(':memory:');
  open.push(db);
  migrateHistory(db);
  const meta = new Map<string, string>();
  const events = new EventBus({ validate: true });
  const vault = { unlocked: true };
  const servers: MetricsServerRef[] = [{ id: 'a', credentialId: 'k1', jumpHostIds: [] }];
  const log: string[] = [];
  const running = new Map<string, number>();
  // Like MetricsCollector: starting a running server at the same interval does nothing.
  const collector: CollectorLike = {
    start: (id, o) => {
      if (running.get(id) !== o.intervalMs) log.push(`start ${id} ${o.intervalMs}`);
      running.set(id, o.intervalMs);
      return Promise.resolve();
    },
    stop: (id) => {
      if (running.delete(id)) log.push(`stop ${id}`);
      return Promise.resolve();
    },
    stopAll: () => Promise.resolve(),
  };
  const m = createMetricsModule({
    history: { db, getMeta: (k) => meta.get(k) ?? null, setMeta: (k, v) => void meta.set(k, v) },
    manager: { execStream: () => Promise.reject(new Error('not used')) },
    target: () => {
      throw new Error('not used');
    },
    servers: () => {
      if (!vault.unlocked) throw new AppError('VAULT_LOCKED', 'locked');
      return servers;
    },
    vault,
    events,
    clock: new ManualClock(),
    logger: new Logger({ sink: memorySink().sink }),
    makeCollector: () => collector,
  });
  /** Resolves once the module's queued reconciliations ran (a sync queued behind them). */
  const settled = () => m.service.sync();
  return { m, events, vault, servers, log, settled };
}

test('inventory.changed starts a new server, restarts one whose credential or jump host changed, stops a removed one', async () => {
  const { m, events, servers, log, settled } = setup();
  await m.handlers['metrics.settings.set']({ enabled: true }, { transport: 'in-process' });
  expect(log).toEqual(['start a 5000']);
  servers.push({ id: 'b', credentialId: 'k2', jumpHostIds: ['a'] });
  events.emit('inventory.changed', { kind: 'server', id: 'b', change: 'created' });
  await settled();
  expect(log.slice(1)).toEqual(['start b 5000']);
  events.emit('inventory.changed', { kind: 'credential', id: 'k2', change: 'updated' });
  await settled();
  expect(log.slice(2)).toEqual(['stop b', 'start b 5000']);
  // a is b's jump host: both restart.
  events.emit('inventory.changed', { kind: 'server', id: 'a', change: 'updated' });
  await settled();
  expect(log.slice(4).sort()).toEqual(['start a 5000', 'start b 5000', 'stop a', 'stop b']);
  servers.splice(0, 1);
  events.emit('inventory.changed', { kind: 'server', id: 'a', change: 'deleted' });
  await settled();
  expect(log.slice(8)).toEqual(['stop a']);
  await m.close();
  expect(log.slice(9)).toEqual(['stop b']);
});

test('vault.changed: a lock stops every server, an unlock starts them again', async () => {
  const { m, events, vault, log, settled } = setup();
  await m.handlers['metrics.settings.set']({ enabled: true, intervalSec: 2 }, { transport: 'in-process' });
  vault.unlocked = false;
  const status = { exists: true, keychainEnabled: false, autoLockMinutes: 0, kdf: null, retryAfter: null };
  events.emit('vault.changed', { ...status, unlocked: false });
  await settled();
  expect(log).toEqual(['start a 2000', 'stop a']);
  vault.unlocked = true;
  events.emit('vault.changed', { ...status, unlocked: true });
  await settled();
  expect(log).toEqual(['start a 2000', 'stop a', 'start a 2000']);
  await m.close();
});
