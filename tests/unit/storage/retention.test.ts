import { expect, test } from 'vitest';
import type { PlanStep } from '../../../src/main/operations';
import { AuditService } from '../../../src/main/vault/audit.service';
import { ManualClock } from '../../../src/main/vault/clock';
import { harness, type Harness } from '../operations/helpers';

const DAY = 86_400_000;
const PASSWORD = 'retention test password';
const ok: PlanStep = { id: 'ok', title: 'OK', kind: 'exec', run: () => Promise.resolve() };

async function journal(h: Harness, title: string): Promise<string> {
  const op = h.mod.service.apply({ title, serverId: 'srv', kind: 'test', steps: [ok], commands: [], diffs: [] });
  await h.mod.service.wait(op.id);
  return op.id;
}

const auditActions = (h: Harness) => new AuditService(h.vault).list({ limit: 100 }).map((e) => e.action);

test('journal entries and audit lines older than 90 days are pruned daily; the audit trail of a locked vault at unlock', async () => {
  const clock = new ManualClock();
  const h = await harness({
    clock,
    password: PASSWORD,
    module: (vault) => ({ audit: new AuditService(vault), retentionTimer: clock }),
  });
  h.vault.setAutoLock(0);
  const old = await journal(h, 'old');
  clock.advance(30 * DAY);
  h.vault.audit('vault.exported', 'export on day 30');
  const mid = await journal(h, 'mid');
  expect(h.mod.retention.days).toBe(90);

  // Day 91: the daily run has pruned what was written on day 0, journal and audit alike.
  clock.advance(61 * DAY);
  await h.mod.retention.idle();
  expect(h.mod.service.list({ limit: 10 }).items.map((o) => o.id)).toEqual([mid]);
  expect(() => h.mod.service.get(old)).toThrow(/No operation/);
  expect(auditActions(h)).not.toContain('vault.created');
  expect(auditActions(h)).toContain('vault.exported');

  // Locked when the day-30 entries come of age: the journal (clear dates) is pruned anyway, the sealed
  // audit trail at the next unlock.
  h.vault.lock();
  clock.advance(31 * DAY);
  await h.mod.retention.idle();
  expect(h.mod.history.db.prepare('SELECT count(*) AS n FROM operations').get()).toEqual({ n: 0 });
  await h.vault.unlock(PASSWORD);
  expect(auditActions(h)).not.toContain('vault.exported');
  expect(auditActions(h)).toContain('vault.unlocked');
  await h.close();
});

test('the retention is configurable and applied at start', async () => {
  const clock = new ManualClock();
  const h = await harness({ clock, password: PASSWORD });
  const kept = await journal(h, 'kept');
  await h.close();
  clock.advance(8 * DAY);
  const again = await harness({ dir: h.dir, clock, password: PASSWORD, module: { retentionDays: 30 } });
  await again.mod.retention.idle();
  expect(again.mod.retention.days).toBe(30);
  expect(again.mod.service.list({ limit: 10 }).items.map((o) => o.id)).toEqual([kept]);
  await again.close();
  clock.advance(8 * DAY);
  // The setting was stored: a start without the option keeps 30 days, so 16 days old stays...
  const third = await harness({ dir: h.dir, clock, password: PASSWORD });
  await third.mod.retention.idle();
  expect(third.mod.retention.days).toBe(30);
  expect(third.mod.service.list({ limit: 10 }).total).toBe(1);
  await third.close();
  // ...and a start with 7 days prunes it at once.
  const fourth = await harness({ dir: h.dir, clock, password: PASSWORD, module: { retentionDays: 7 } });
  await fourth.mod.retention.idle();
  expect(fourth.mod.retention.days).toBe(7);
  expect(fourth.mod.service.list({ limit: 10 }).total).toBe(0);
  await fourth.close();
});

test('a large prune goes in batches and yields to the event loop between them', async () => {
  const clock = new ManualClock();
  const h = await harness({ clock, password: PASSWORD, module: { retentionTimer: clock } });
  for (let i = 0; i < 120; i++) await journal(h, `op ${i}`);
  let turns = 0;
  const ticker = setInterval(() => turns++, 0);
  clock.advance(91 * DAY); // the daily runs come due
  await h.mod.retention.idle();
  clearInterval(ticker);
  expect(h.mod.service.list({ limit: 10 }).total).toBe(0);
  // 120 operations = 6 batches: the event loop ran between them.
  expect(turns).toBeGreaterThan(0);
  await h.close();
});
