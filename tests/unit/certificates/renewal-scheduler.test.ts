import { afterEach, expect, test } from 'vitest';
import type { Payload } from '../../../src/shared/contract';
import type { Certificate } from '../../../src/shared/contract/certificates.contract';
import { RenewalScheduler } from '../../../src/main/certificates/renewal-scheduler';
import { Logger } from '../../../src/main/core/logger';
import type { Plan } from '../../../src/main/operations/operation.types';
import { ManualClock } from '../../../src/main/vault/clock';
import { harness, type Harness } from '../operations/helpers';

const DAY = 86_400_000;
const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

function cert(id: string, notBefore: number, notAfter: number, renewal: boolean): Certificate {
  return {
    id,
    serverId: 's1',
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
    renewal: renewal ? { directoryUrl: 'https://ca.test/dir', email: 'a@b.org' } : null,
    scannedAt: notBefore,
  };
}

test('expiry notices go out once at 21, 7 and 1 day(s); ACME certificates renew when a third of their life remains', async () => {
  const clock = new ManualClock(1_800_000_000_000);
  const h = await harness({ clock });
  open.push(h);
  h.vault.setAutoLock(0); // days go by on the test clock
  const t0 = clock.now();
  const store = h.mod.history.certificates;
  const put = (c: Certificate): void =>
    store.put([{ id: c.id, serverId: c.serverId, notAfter: c.notAfter, state: 'valid', updatedAt: t0, details: c }]);
  // 90-day ACME certificate: due at day 60. Uploaded certificate (no renewal): only notices.
  put(cert('acme', t0, t0 + 90 * DAY, true));
  put(cert('manual', t0, t0 + 30 * DAY, false));
  const notices: Payload<'certificates.expiring'>[] = [];
  const desktop: string[] = [];
  const renewed: string[] = [];
  const scheduler = new RenewalScheduler({
    clock,
    store,
    ready: () => h.vault.unlocked,
    renewPlan: (serverId, domain) => Promise.resolve({ title: `renew ${domain}`, serverId } as unknown as Plan),
    run: (plan) => {
      renewed.push(plan.title);
      return Promise.resolve();
    },
    emit: (p) => notices.push(p),
    notify: (n) => desktop.push(n.body),
    logger: new Logger({ sink: () => undefined }),
    intervalMs: 12 * 3_600_000,
  });
  scheduler.start();
  const step = async (days: number): Promise<void> => {
    clock.advance(days * DAY);
    await Promise.resolve();
    await scheduler.idle();
  };
  await step(8); // manual: 22 days left — nothing yet
  expect(notices).toEqual([]);
  await step(1); // 21 days left
  expect(notices.map((n) => [n.certificateId, n.threshold, n.daysLeft])).toEqual([['manual', 21, 21]]);
  await step(1); // still under 21: no second notice
  expect(notices).toHaveLength(1);
  await step(13); // 7 days left
  await step(6); // 1 day left
  expect(notices.map((n) => [n.certificateId, n.threshold])).toEqual([
    ['manual', 21],
    ['manual', 7],
    ['manual', 1],
  ]);
  expect(desktop).toHaveLength(3);
  expect(desktop[0]).toMatch(/^manual\.test expires in 21 day\(s\)\.$/);
  expect(renewed).toEqual([]); // day 29: the ACME certificate is not due yet
  await step(31); // day 60: two thirds of 90 days gone
  expect(renewed).toEqual(['renew acme.test']);
  // A locked vault: the check waits (nothing read, nothing renewed).
  h.vault.lock('user');
  await step(1);
  expect(renewed).toEqual(['renew acme.test']);
  scheduler.stop();
  expect(clock.pending).toBe(0);
});
