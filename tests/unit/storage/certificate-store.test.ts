import { afterEach, expect, test } from 'vitest';
import { harness, type Harness } from '../operations/helpers';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

test('the certificate inventory: put (upsert), list by expiry / server / deadline, remove; sealed details need the key', async () => {
  const h = await harness();
  open.push(h);
  const certs = h.mod.history.certificates;
  const entry = (id: string, serverId: string, notAfter: number, domain: string) => ({
    id,
    serverId,
    notAfter,
    state: 'valid',
    updatedAt: 1,
    details: { domains: [domain] },
  });
  certs.put([
    entry('c1', 's1', 3000, 'a.example'),
    entry('c2', 's2', 1000, 'b.example'),
    entry('c3', 's1', 2000, 'c.example'),
  ]);
  expect(certs.list().map((c) => c.id)).toEqual(['c2', 'c3', 'c1']);
  expect(certs.list({ serverId: 's1' }).map((c) => c.details)).toEqual([
    { domains: ['c.example'] },
    { domains: ['a.example'] },
  ]);
  expect(certs.list({ notAfterBefore: 2500 }).map((c) => c.id)).toEqual(['c2', 'c3']);
  certs.put([{ ...entry('c2', 's2', 4000, 'b.example'), state: 'renewed' }]);
  expect(certs.list().map((c) => [c.id, c.state])).toEqual([
    ['c3', 'valid'],
    ['c1', 'valid'],
    ['c2', 'renewed'],
  ]);
  expect(certs.remove(['c1'])).toBe(1);
  expect(certs.removeServer('s2')).toBe(1);
  expect(certs.list().map((c) => c.id)).toEqual(['c3']);

  // A sealed blob moved to another row fails its integrity check (the row id is the associated data).
  certs.put([entry('c4', 's1', 5000, 'd.example')]);
  h.mod.history.db.exec(
    "UPDATE certificates SET nonce = (SELECT nonce FROM certificates WHERE id = 'c3'), sealed = (SELECT sealed FROM certificates WHERE id = 'c3') WHERE id = 'c4'",
  );
  expect(() => certs.list()).toThrow(/integrity/);

  h.vault.lock();
  expect(() => certs.list()).toThrow(/locked/);
});
