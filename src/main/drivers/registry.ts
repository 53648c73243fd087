import type { Server } from '../../shared/contract/inventory.contract';
import { AppError } from '../../shared/errors';
import type { ConnectionManager } from '../ssh/connection-manager';
import type { SshTarget } from '../ssh/ssh.types';
import type { Capability, Driver, ProbeResult } from './capabilities';
import { CloudPanelCliDriver } from './cloudpanel-cli/cloudpanel-cli.driver';
import { HestiaDriver } from './hestia/hestia.driver';
import { LinuxSshDriver } from './linux-ssh/linux-ssh.driver';
import { RemoteHost } from './remote-host';

/** What the registry needs from the rest of the core (injected: drivers import no services). */
export interface DriverRegistryDeps {
  readonly manager: ConnectionManager;
  /** The server record and its SSH target (jump chain resolved), from the vault. */
  readonly server: (serverId: string) => Server;
  readonly target: (serverId: string) => SshTarget;
  readonly now: () => number;
  /** The panel account's driver when `id` names a panel account (issue 10), else null. */
  readonly panel?: (id: string) => Driver | null;
}

/**
 * Which driver serves a server: a panel bound to it when the capability is the panel's, else the linux-ssh driver
 * over the server's own SSH connection. Drivers are cached per server and dropped when the server changes.
 */
export class DriverRegistry {
  readonly #deps: DriverRegistryDeps;
  readonly #cache = new Map<string, { key: string; driver: Driver }>();

  constructor(deps: DriverRegistryDeps) {
    this.#deps = deps;
  }

  /** The driver that serves `capability` on the server, or UNSUPPORTED saying why there is none. */
  for(serverId: string, capability: Capability): Driver {
    const driver = this.driver(serverId);
    if (!driver.capabilities.includes(capability)) {
      throw new AppError('UNSUPPORTED', `This server's driver (${driver.kind}) has no ${capability}.`);
    }
    return driver;
  }

  /**
   * Like {@link for}, but when the capability is missing it probes the server once (capabilities such as
   * databases depend on what the server runs) before answering UNSUPPORTED.
   */
  async need(serverId: string, capability: Capability): Promise<Driver> {
    const driver = this.driver(serverId);
    if (!driver.capabilities.includes(capability)) await driver.probe();
    return this.for(serverId, capability);
  }

  /** servers.capabilities: the driver's kind, what it can do and what the server runs (probe cached). */
  async describe(
    serverId: string,
    refresh: boolean,
  ): Promise<{ kind: Driver['kind']; capabilities: Capability[]; probe: ProbeResult }> {
    const driver = this.driver(serverId);
    const probe = await driver.probe(refresh);
    return { kind: driver.kind, capabilities: [...driver.capabilities], probe };
  }

  /**
   * The driver of a panel account (its id stands where a server id does: a panel's sites, databases and
   * certificates list and plan like a server's), else the server's SSH driver (cached while the server record is
   * unchanged): a panel CLI bound to the server
   * (stock CloudPanel's clpctl, HestiaCP's v-* commands) manages its sites and databases through that CLI, so
   * the panel's own records stay true; otherwise the linux-ssh driver edits nginx and the databases directly.
   */
  driver(serverId: string): Driver {
    const panel = this.#deps.panel?.(serverId) ?? null;
    if (panel !== null) return panel;
    const server = this.#deps.server(serverId);
    const key = JSON.stringify([
      server.host,
      server.port,
      server.user,
      server.auth,
      server.jumpHostIds,
      server.panels.map((p) => p.kind),
      server.updatedAt,
    ]);
    const hit = this.#cache.get(serverId);
    if (hit && hit.key === key) return hit.driver;
    const host = new RemoteHost(this.#deps.manager, this.#deps.target(serverId));
    const kinds = new Set(server.panels.map((p) => p.kind));
    const opts = { now: this.#deps.now };
    const driver = kinds.has('cloudpanel-cli')
      ? new CloudPanelCliDriver(host, opts)
      : kinds.has('hestia')
        ? new HestiaDriver(host, opts)
        : new LinuxSshDriver(host, opts);
    this.#cache.set(serverId, { key, driver });
    return driver;
  }

  /** What the server's drivers can do (servers.capabilities). */
  capabilities(serverId: string): readonly Capability[] {
    return this.driver(serverId).capabilities;
  }
}
