import { afterEach, expect, test } from 'vitest';
import { createAlertsModule } from '../../../src/main/alerts/alerts.module';
import { observationsFromCertificates } from '../../../src/main/alerts/observations';
import { RenewalScheduler } from '../../../src/main/certificates/renewal-scheduler';
import { Logger } from '../../../src/main/core/logger';
import type { Plan } from '../../../src/main/operations/operation.types';
import { ManualClock } from '../../../src/main/vault/clock';
import type { Alert } from '../../../src/shared/contract/alerts.contract';
import type { Certificate } from '../../../src/shared/contract/certificates.contract';
import { harness, type Harness } from '../operations/helpers';

const DAY = 86_400_000;
const SERVER = '66666666-6666-4666-8666-666666666666';
const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

function cert(id: string, notBefore: number, notAfter: number): Certificate {
  return {
    id,
    serverId: SERVER,
    path: `/etc/ssl/paneldeck/${id}.test/fullchain.pem`,
    source: 'nginx',
    domains: [`${id}.test`],
    subject: `CN=${id}.test`,
    sans: [`${id}.test`],
    issuer: 'CN=Test CA',
    notBefore,
    notAfter,
    serial: '01',
    keyType: 'EC P-256',
    fingerprint: `FP-${id}`,
    state: 'valid',
    served: [],
    renewal: null,
    scannedAt: notBefore,
  };
}

test('rules live in the vault; a certificate near expiry raises its alert with a desktop notification that opens the server', async () => {
  const clock = new ManualClock(1_800_000_000_000);
  const h = await harness({ clock });
  open.push(h);
  h.vault.setAutoLock(0);
  let n = 0;
  const notes: { title: string; body: string; onClick?: () => void }[] = [];
  const alerts = createAlertsModule({
    vault: h.vault,
    ctx: {
      clock,
      logger: new Logger({ sink: () => undefined }),
      newId: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
    },
    events: h.events,
    server: (id) => (id === SERVER ? { name: 'web-1', tags: ['prod'] } : null),
    notify: (note) => notes.push(note),
  });
  const rule = await alerts.handlers['alerts.rules.create'](
    {
      name: 'Certificates',
      metric: 'certificate-expiry',
      condition: '<',
      threshold: 14,
      forSeconds: 0,
      severity: 'critical',
      scope: { kind: 'tag', tag: 'prod' },
      enabled: true,
    },
    { transport: 'in-process' },
  );
  // Kept sealed in the vault: a fresh read of the records has it.
  expect([...h.vault.records().all('alert-rule').keys()]).toEqual([rule.id]);

  const t0 = clock.now();
  const store = h.mod.history.certificates;
  for (const c of [cert('soon', t0 - 80 * DAY, t0 + 20 * DAY), cert('later', t0, t0 + 90 * DAY)]) {
    store.put([{ id: c.id, serverId: c.serverId, notAfter: c.notAfter, state: 'valid', updatedAt: t0, details: c }]);
  }
  const scheduler = new RenewalScheduler({
    clock,
    store,
    ready: () => h.vault.unlocked,
    renewPlan: () => Promise.reject(new Error('no renewals here')),
    run: (_plan: Plan) => Promise.resolve(),
    emit: () => undefined,
    logger: new Logger({ sink: () => undefined }),
    onChecked: (entries, now) => alerts.observe(observationsFromCertificates(entries, now), now),
  });
  await scheduler.check();
  expect(alerts.engine.list()).toHaveLength(0); // 20 days left: not yet

  clock.advance(7 * DAY); // 13 days left on "soon"
  await scheduler.check();
  const fired = alerts.engine.list({ state: ['triggered'] });
  expect(fired.map((a) => [a.subject, a.value, a.severity])).toEqual([['certificate:soon', 13, 'critical']]);
  expect(notes.map((x) => x.title)).toEqual(['web-1: Certificate expiry: Certificates']);

  const opened: unknown[] = [];
  h.events.subscribe((name, payload) => {
    if (name === 'alerts.opened') opened.push(payload);
  });
  notes[0]?.onClick?.();
  expect(opened).toEqual([{ alertId: (fired[0] as Alert).id, serverId: SERVER }]);

  // Deleting the rule resolves its open alert.
  await alerts.handlers['alerts.rules.delete']({ id: rule.id }, { transport: 'in-process' });
  expect(alerts.engine.list({ state: ['resolved'] })).toHaveLength(1);
  expect(h.vault.records().all('alert-rule').size).toBe(0);
  scheduler.stop();
});
