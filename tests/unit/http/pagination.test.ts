import { afterEach, describe, expect, it } from 'vitest';
import { collectOffsets, collectPages, HttpClient } from '../../../src/main/drivers/http';
import type { AppError } from '../../../src/shared/errors';
import { sendJson, startLoopback, type LoopbackServer } from '../../integration/panels/loopback-server';

const ITEMS = Array.from({ length: 263 }, (_, i) => ({ id: i + 1 }));
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});

async function setup(): Promise<{ s: LoopbackServer; c: HttpClient }> {
  const s = await startLoopback((req, res) => {
    const q = req.query;
    if (req.path === '/endless') {
      sendJson(res, 200, { items: [{ id: 1 }], has_more: true });
      return;
    }
    const size = Number(q.get('limit') ?? q.get('per_page'));
    const offset = q.has('offset') ? Number(q.get('offset')) : (Number(q.get('page')) - 1) * size;
    sendJson(res, 200, { items: ITEMS.slice(offset, offset + size), total: ITEMS.length });
  });
  const c = new HttpClient({ baseUrl: s.url, panelName: 'P' });
  open.push(s, c);
  return { s, c };
}

describe('pagination helpers against a loopback server (263 items)', () => {
  it.each([['limit'], ['per_page']] as const)('page/%s follows to the end', async (size) => {
    const { s, c } = await setup();
    const all = await collectPages(
      { page: 'page', size },
      async (query) => (await c.request<{ items: { id: number }[] }>({ method: 'GET', path: '/items', query })).body,
      { pageSize: 50 },
    );
    expect(all).toEqual(ITEMS);
    expect(s.log).toHaveLength(6);
    expect(s.log[5]?.query.get(size)).toBe('50');
  });

  it('limit/offset follows to the end (stops on total)', async () => {
    const { s, c } = await setup();
    const all = await collectOffsets(
      async (query) =>
        (await c.request<{ items: { id: number }[]; total: number }>({ method: 'GET', path: '/items', query })).body,
      { pageSize: 100 },
    );
    expect(all).toEqual(ITEMS);
    expect(s.log.map((r) => r.query.get('offset'))).toEqual(['0', '100', '200']);
  });

  it('stops a panel that never ends at the safety cap', async () => {
    const { c } = await setup();
    let err: AppError | null = null;
    try {
      await collectPages(
        { page: 'page', size: 'limit' },
        async (query) => {
          const b = (
            await c.request<{ items: unknown[]; has_more: boolean }>({ method: 'GET', path: '/endless', query })
          ).body;
          return { items: b.items, hasMore: b.has_more };
        },
        { pageSize: 1, maxPages: 7 },
      );
    } catch (e) {
      err = e as AppError;
    }
    expect(err?.details).toEqual({ maxPages: 7 });
  });
});
