import type { PanelDriver, PanelRowData } from '../../../src/main/drivers/capabilities';
import type { CloudPanelApiDriver } from '../../../src/main/drivers/cloudpanel-api';
import { staticPins } from '../../../src/main/drivers/http';
import { PANEL_FACTORIES } from '../../../src/main/drivers/panel-factories';
import type { Operation, Plan } from '../../../src/main/operations/operation.types';
import { applyAndWait, closeInOrder, FAST_POLL, FAST_RETRY, failure } from '../../support/panel-test-kit';
import { afterEach, beforeEach } from 'vitest';
import { harness, type Harness } from '../../unit/operations/helpers';
import { startCloudPanelServer, type CloudPanelServer } from './cloudpanel-api-server';

/** The loopback server's keys, the panel account id, a database password and the first seeded site. */
export const ADMIN = 'cp_admin_test_key';
export const USER = 'cp_user_test_key';
export const PANEL_ID = 'panel-cloudpanel';
export const PW = 'Db-pass-0123456789';
export const SITE = 'site-0001.example.com';

/** The AppError a promise rejects with (fails the test when it resolves). */
export { failure };

/** Builds the driver the way the panels service does: through PANEL_FACTORIES with the account's secret. */
export function panelFor(server: CloudPanelServer, secret = ADMIN): CloudPanelApiDriver {
  const factory = PANEL_FACTORIES['cloudpanel-api'];
  if (!factory) throw new Error('cloudpanel-api is not registered');
  return factory({
    panelId: PANEL_ID,
    baseUrl: server.url,
    username: null,
    secret,
    pins: staticPins(),
    retry: FAST_RETRY,
    poll: FAST_POLL,
  }) as CloudPanelApiDriver;
}

/** Every row of a kind, page by page as the Panels table asks for them. */
export async function allRows(d: PanelDriver, kind: string, pageSize = 50): Promise<PanelRowData[]> {
  const out: PanelRowData[] = [];
  for (let page = 1; ; page++) {
    const r = await d.resources.list(kind, { page, pageSize, search: null });
    out.push(...r.items);
    if (r.items.length < pageSize) return out;
  }
}

/** One test's world: a fresh loopback CloudPanel, the driver on it, and a real operations journal. */
export interface PanelWorld {
  readonly server: CloudPanelServer;
  readonly driver: CloudPanelApiDriver;
  readonly h: Harness;
  /** Closed after the test. */
  readonly extra: { close(): Promise<void> }[];
  /** Applies a plan through the operations engine and answers the journal's entry once it ended. */
  applyAndWait(plan: Plan): Promise<Operation>;
  /** The operations.step events' lines of one operation (what the UI streams while it runs). */
  streamed(operationId: string): string[];
}

/** Registers beforeEach/afterEach that build and tear down a {@link PanelWorld}; read it inside the tests. */
export function usePanelWorld(deviations: boolean): PanelWorld {
  let server: CloudPanelServer | undefined;
  let driver: CloudPanelApiDriver | undefined;
  let h: Harness | undefined;
  const extra: { close(): Promise<void> }[] = [];
  beforeEach(async () => {
    server = await startCloudPanelServer({ deviations });
    driver = panelFor(server);
    h = await harness();
  });
  afterEach(async () => {
    await closeInOrder(...extra.splice(0), driver, h, server);
  });
  const need = <T>(v: T | undefined): T => {
    if (v === undefined) throw new Error('used outside a test');
    return v;
  };
  return {
    get server() {
      return need(server);
    },
    get driver() {
      return need(driver);
    },
    get h() {
      return need(h);
    },
    extra,
    applyAndWait: (plan) => applyAndWait(need(h), plan),
    streamed(operationId) {
      return need(h)
        .seen.filter((e) => e.name === 'operations.step')
        .map((e) => e.payload as { operationId: string; lines: string[] })
        .filter((p) => p.operationId === operationId)
        .flatMap((p) => p.lines);
    },
  };
}
