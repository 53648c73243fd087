import type { z } from 'zod';
import type { ForwardInfo, ForwardSpecInput } from '../../shared/contract/forwards.contract';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { ConnectionManager } from '../ssh/connection-manager';
import { PortForwarder } from '../ssh/forwarding';
import type { VaultSshSource } from './vault-ssh-source';

/** At most one `forwards.changed` per this many ms (a browser behind a SOCKS forward opens dozens of connections). */
const CHANGE_THROTTLE_MS = 250;

/**
 * Port forwards (-L, -D) of servers from the vault, over their pooled connections, reported to the UI as
 * `forwards.changed`. A forward lives in this process, which is why the contract hides `forwards.*` from the CLI.
 * A non-loopback bind address is allowed only because the contract makes the user name it explicitly.
 */
export class ForwardsService {
  readonly #source: VaultSshSource;
  readonly #events: EventBus;
  readonly #forwarder: PortForwarder;
  #timer: NodeJS.Timeout | undefined;
  #last = 0;

  constructor(deps: { manager: ConnectionManager; source: VaultSshSource; events: EventBus; logger: Logger }) {
    this.#source = deps.source;
    this.#events = deps.events;
    this.#forwarder = new PortForwarder({
      manager: deps.manager,
      logger: deps.logger,
      onChange: () => this.#changed(),
    });
  }

  /** Connects if needed and starts listening; resolves with the bound port. */
  start(spec: z.output<typeof ForwardSpecInput>): Promise<ForwardInfo> {
    const target = this.#source.target(spec.serverId);
    const common = { target, bindHost: spec.bindHost, bindPort: spec.bindPort };
    return this.#forwarder.start(
      spec.kind === 'local'
        ? { kind: 'local', ...common, destHost: spec.destHost, destPort: spec.destPort }
        : { kind: 'dynamic', ...common },
      { allowRemoteBind: true },
    );
  }

  async stop(id: string): Promise<{ ok: true }> {
    await this.#forwarder.stop(id);
    return { ok: true };
  }

  list(): ForwardInfo[] {
    return this.#forwarder.list();
  }

  /** Stops every forward (core shutdown). */
  async stopAll(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#forwarder.stopAll();
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Emits the list now, or once at the end of the throttle window (the last state always gets out). */
  #changed(): void {
    const wait = this.#last + CHANGE_THROTTLE_MS - Date.now();
    if (wait <= 0) {
      this.#emit();
      return;
    }
    this.#timer ??= setTimeout(() => this.#emit(), wait);
  }

  #emit(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#last = Date.now();
    this.#events.emit('forwards.changed', { forwards: this.#forwarder.list() });
  }
}
