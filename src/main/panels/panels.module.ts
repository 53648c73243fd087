import type { EventBus } from '../core/event-bus';
import type { Handlers } from '../core/dispatcher';
import type { ServiceContext } from '../core/service-context';
import { PANEL_FACTORIES } from '../drivers/panel-factories';
import type { PlanStore } from '../plans/plan-store';
import type { VaultService } from '../vault/vault.service';
import { PanelsService, type PanelTuning } from './panels.service';

/** What the panels module needs from the rest of the core. */
export interface PanelsModuleDeps {
  readonly vault: VaultService;
  readonly ctx: ServiceContext;
  readonly plans: PlanStore;
  readonly events: EventBus;
  /** Tests only: short retry/poll intervals for the panels' HTTP clients. */
  readonly tuning?: PanelTuning | undefined;
}

/** The panels feature module: panel accounts in the vault, their drivers, and the panels.* handlers. */
export function createPanelsModule(deps: PanelsModuleDeps): {
  handlers: Pick<Handlers, Extract<keyof Handlers, `panels.${string}`>>;
  panels: PanelsService;
  close(): Promise<void>;
} {
  const panels = new PanelsService({
    vault: deps.vault,
    ctx: deps.ctx,
    plans: deps.plans,
    factories: PANEL_FACTORIES,
    tuning: deps.tuning,
  });
  // Drivers hold the panel's secret and session: a locked vault drops them.
  const unsubscribe = deps.events.subscribe((name, payload) => {
    if (name === 'vault.changed' && !(payload as { unlocked: boolean }).unlocked) void panels.close();
  });
  return {
    panels,
    handlers: {
      'panels.list': () => panels.list(),
      'panels.add': (i) => panels.add(i),
      'panels.update': (i) => panels.update(i.id, i.patch),
      'panels.remove': (i) => panels.remove(i.id),
      'panels.test': (i) => panels.test(i.id, i.otp),
      'panels.trust': (i) => panels.trust(i.id, i.hostPort, i.fingerprint),
      'panels.resources.list': (i) => panels.listResource(i),
      'panels.resources.create': (i) => panels.createResource(i),
      'panels.resources.delete': (i) => panels.deleteResource(i),
      'panels.resources.action': (i) => panels.action(i),
      'panels.bulkSites.preview': (i) => panels.bulkPreview(i.id, i.csv),
      'panels.bulkSites.create': (i) => panels.bulkCreate(i.id, i.csv, i.dryRun),
    },
    async close() {
      unsubscribe();
      await panels.close();
    },
  };
}
