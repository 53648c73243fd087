import type { Handlers } from '../core/dispatcher';
import type { DriverRegistry } from '../drivers/registry';
import type { PlanRegistry } from '../operations';
import type { PlanStore } from '../plans/plan-store';
import type { DbCredentialStore } from './db-credentials';
import { DatabasesService } from './databases.service';

/** What the databases module needs from the rest of the core. */
export interface DatabasesModuleDeps {
  /** The driver registry and kept plans the sites module made (one of each per core). */
  readonly drivers: DriverRegistry;
  readonly plans: PlanStore;
  readonly registry: PlanRegistry;
  readonly credentials: DbCredentialStore;
  readonly serverIds: () => string[];
  readonly serverName: (id: string) => string;
}

/** The databases feature module: the databases.* handlers, with rebuilders registered for retry after a restart. */
export function createDatabasesModule(deps: DatabasesModuleDeps): {
  handlers: Pick<
    Handlers,
    'databases.list' | 'databases.create' | 'databases.changePassword' | 'databases.delete' | 'databases.deleteUser'
  >;
} {
  const databases = new DatabasesService({
    drivers: deps.drivers,
    plans: deps.plans,
    rebuilders: deps.registry,
    credentials: deps.credentials,
    serverIds: deps.serverIds,
    serverName: deps.serverName,
  });
  return {
    handlers: {
      'databases.list': (i) => databases.list(i),
      'databases.create': (i) => databases.create(i),
      'databases.changePassword': (i) => databases.changePassword(i),
      'databases.delete': (i) => databases.delete(i),
      'databases.deleteUser': (i) => databases.deleteUser(i),
    },
  };
}
