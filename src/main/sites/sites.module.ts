import type { Handlers } from '../core/dispatcher';
import type { Driver } from '../drivers/capabilities';
import { DriverRegistry } from '../drivers/registry';
import type { OperationsService, PlanRegistry } from '../operations';
import { PlanStore } from '../plans/plan-store';
import type { ConnectionManager } from '../ssh/connection-manager';
import type { SshTarget } from '../ssh/ssh.types';
import type { Server } from '../../shared/contract/inventory.contract';
import { SitesService } from './sites.service';

/** What the sites module needs from the rest of the core. */
export interface SitesModuleDeps {
  readonly manager: ConnectionManager;
  readonly server: (id: string) => Server;
  readonly target: (id: string) => SshTarget;
  readonly serverIds: () => string[];
  readonly operations: OperationsService;
  readonly registry: PlanRegistry;
  readonly now: () => number;
  /** The driver of a panel account, when the id names one (see DriverRegistryDeps.panel). */
  readonly panel?: (id: string) => Driver | null;
  /** Tests only: inject a fault into the vhosts written (proves rollback). Not reachable from the contract. */
  readonly fault?: 'invalid-directive' | undefined;
  /** Tests only: see SitesServiceDeps.holdBeforeStep. */
  readonly holdBeforeStep?: { readonly stepId: string; readonly onHold: () => void } | undefined;
}

/** The sites feature module: the driver registry, kept plans, and the sites.* / plans.apply handlers. */
export function createSitesModule(deps: SitesModuleDeps): {
  handlers: Pick<
    Handlers,
    'sites.list' | 'sites.create' | 'sites.delete' | 'sites.setEnabled' | 'plans.apply' | 'servers.capabilities'
  >;
  drivers: DriverRegistry;
  plans: PlanStore;
} {
  const drivers = new DriverRegistry({
    manager: deps.manager,
    server: deps.server,
    target: deps.target,
    now: deps.now,
    ...(deps.panel ? { panel: deps.panel } : {}),
  });
  const plans = new PlanStore({ now: deps.now, runner: { apply: (plan) => deps.operations.apply(plan) } });
  const sites = new SitesService({
    drivers,
    plans,
    rebuilders: deps.registry,
    serverIds: deps.serverIds,
    ...(deps.fault ? { fault: deps.fault } : {}),
    ...(deps.holdBeforeStep ? { holdBeforeStep: deps.holdBeforeStep } : {}),
  });
  return {
    drivers,
    plans,
    handlers: {
      'sites.list': (i) => sites.list(i),
      'sites.create': (i) => sites.create(i),
      'sites.delete': (i) => sites.delete(i),
      'sites.setEnabled': (i) => sites.setEnabled(i),
      'plans.apply': (i) => plans.apply(i.planId),
      'servers.capabilities': (i) => drivers.describe(i.id, i.refresh),
    },
  };
}
