import { staticPins } from '../../../src/main/drivers/http';
import {
  createWebsiteFactoryDriver,
  type WebsiteFactoryDriver,
  type WebsiteFactoryDriverOptions,
} from '../../../src/main/drivers/website-factory';
import type { PanelRowData } from '../../../src/main/drivers/capabilities';
import { FAST_RETRY, failure } from '../../support/panel-test-kit';
import type { WebsiteFactoryServer } from './website-factory-server';

/** The hub account the stand-in knows. */
export const HUB_USER = 'operator';
export const HUB_PASSWORD = 'hub-password-1';
export const PANEL_ID = 'panel-wf';

/** The error a promise rejects with (the test fails when it resolves). */
export { failure };

/** A driver for the stand-in with short retry delays. */
export function driverFor(
  server: WebsiteFactoryServer,
  extra: Partial<WebsiteFactoryDriverOptions> = {},
): WebsiteFactoryDriver {
  return createWebsiteFactoryDriver({
    panelId: PANEL_ID,
    baseUrl: server.url,
    username: HUB_USER,
    secret: HUB_PASSWORD,
    pins: staticPins(),
    retry: FAST_RETRY,
    ...extra,
  });
}

/** Every row of a resource, page by page to the end (the Panels table's paging). */
export async function allRows(
  driver: WebsiteFactoryDriver,
  kind: string,
  pageSize = 100,
  search: string | null = null,
): Promise<{ rows: PanelRowData[]; pages: number; total: number | null }> {
  const rows: PanelRowData[] = [];
  for (let page = 1; ; page++) {
    const p = await driver.resources.list(kind, { page, pageSize, search });
    rows.push(...p.items);
    if (p.items.length < pageSize) return { rows, pages: page, total: p.total };
  }
}

/** "METHOD /path status" of each request (the query left out). */
export function trail(server: WebsiteFactoryServer, from = 0): string[] {
  return server.log.slice(from).map((r) => `${r.method} ${r.path} ${String(r.status)}`);
}

/** A CSV of `n` good sites (BOM, CRLF, quoted fields with commas, doubled quotes and a line break). */
export function sitesCsv(n: number, extraLines: readonly string[] = []): string {
  const lines = ['\uFEFFdomain,Brand Name,cloudflare_account_nickname,notes'];
  for (let i = 1; i <= n; i++) {
    const notes = i % 50 === 0 ? '"said ""hi"",\r\nthen left"' : '';
    lines.push(`bulk-${String(i).padStart(3, '0')}.example.com,"Bulk's ${i}, Inc.",,${notes}`);
  }
  return [...lines, ...extraLines].join('\r\n') + '\r\n';
}
