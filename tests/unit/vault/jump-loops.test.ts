import { afterAll, beforeEach, describe, expect, test } from 'vitest';
import { leaksFound, PASSWORD, tempDir, testCore, type TestCore } from '../../support/core-harness';

afterAll(() => expect(leaksFound()).toEqual([]));

let t: TestCore;
beforeEach(async () => {
  t = testCore(tempDir());
  await t.call('vault.create', { password: PASSWORD });
});

const base = { user: 'root', auth: 'password' as const };
const add = async (name: string, jumpHostIds: string[] = []) =>
  (await t.call('servers.create', { ...base, name, host: `${name}.example.com`, jumpHostIds })).id;

describe('jump loops are refused when saving (issue 8 #21)', () => {
  test('A, then B through A, then A through B: the update is VALIDATION naming the chain; nothing changes', async () => {
    const a = await add('a');
    const b = await add('b', [a]);
    const before = await t.call('servers.list', {});
    const err = await t.fail('servers.update', { id: a, patch: { jumpHostIds: [b] } });
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toBe('The jump hosts of a form a loop: a → b → a.');
    expect(err.details).toMatchObject({ serverId: a, chain: [a, b, a] });
    expect(await t.call('servers.list', {})).toEqual(before);
  });

  test('a loop of any length (a → d → c → b → a) is refused, whichever server closes it', async () => {
    const a = await add('a');
    const b = await add('b', [a]);
    const c = await add('c', [b]);
    const d = await add('d', [c]);
    const err = await t.fail('servers.update', { id: a, patch: { jumpHostIds: [d] } });
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toBe('The jump hosts of a form a loop: a → b → c → d → a.');
    // The saved server itself is not on the loop, but a server that reaches it now loops: still refused.
    const e = await add('e');
    await t.call('servers.update', { id: a, patch: { jumpHostIds: [e] } });
    const closing = await t.fail('servers.update', { id: e, patch: { jumpHostIds: [c] } });
    expect(closing.code).toBe('VALIDATION');
    expect(closing.message).toMatch(/form a loop: .*e → .*c/);
  });

  test('a later hop that the first hop already passes through is a loop too; a plain chain is accepted', async () => {
    const a = await add('a');
    const b = await add('b', [a]);
    const err = await t.fail('servers.create', { ...base, name: 'x', host: 'x.example.com', jumpHostIds: [b, a] });
    expect(err.code).toBe('VALIDATION');
    expect(err.message).toMatch(/form a loop: a → b → a/);
    const c = await add('c');
    const ok = await t.call('servers.create', { ...base, name: 'y', host: 'y.example.com', jumpHostIds: [b, c] });
    expect(ok.jumpHostIds).toEqual([b, c]);
  });
});
