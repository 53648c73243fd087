import type { z } from 'zod';
import type { ParsedInput, Output } from '../../shared/contract';
import type { PanelAccount, PanelPatch } from '../../shared/contract/panels.contract';
import { AppError } from '../../shared/errors';
import { panelKindLabel } from '../../shared/panel-kinds';
import type { ServiceContext } from '../core/service-context';
import type { Capability, PanelDriver, PanelDriverFactory, PanelDriverOptions } from '../drivers/capabilities';
import { normalizeFingerprint, staticPins } from '../drivers/http/tls-pinning';
import type { NexusPanelDriver, NexusTerminal } from '../drivers/nexuspanel';
import type { PlanStore } from '../plans/plan-store';
import type { CredentialRecord } from '../vault/record-kinds';
import type { VaultService } from '../vault/vault.service';

/** Test-only knobs for the panels' HTTP clients (short retry and poll intervals); not reachable from the contract. */
export type PanelTuning = Pick<PanelDriverOptions, 'retry' | 'poll' | 'timeoutMs' | 'pageSize'>;

/** What the panels service needs. */
export interface PanelsDeps {
  readonly vault: VaultService;
  readonly ctx: ServiceContext;
  readonly plans: PlanStore;
  readonly factories: Readonly<Partial<Record<PanelAccount['kind'], PanelDriverFactory>>>;
  readonly tuning?: PanelTuning | undefined;
}

/**
 * Panel accounts (issue 10): kept in the vault (kind, base URL, credential, pinned TLS certificates), each served
 * by the driver of its kind built with the secret from its credential. Drivers are cached per account and
 * rebuilt when the account or its credential changes (a 2FA sign-in survives until then). Resource writes are
 * plans, shown before Apply and run as operations in the journal.
 */
export class PanelsService {
  readonly #d: PanelsDeps;
  readonly #drivers = new Map<string, { key: string; driver: PanelDriver }>();

  constructor(deps: PanelsDeps) {
    this.#d = deps;
  }

  /** Every panel account, by name. */
  list(): PanelAccount[] {
    return [...this.#records().all('panel').values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** One account, NOT_FOUND if absent. */
  get(id: string): PanelAccount {
    return this.#records().get('panel', id, 'panel');
  }

  /** True when `id` names a panel account (the registry asks before treating it as a server). */
  has(id: string): boolean {
    return this.#unlocked() && this.#records().all('panel').has(id);
  }

  /** Panel account ids whose driver has `capability` (the fleet tables list them beside servers). */
  idsWith(capability: Capability): string[] {
    if (!this.#unlocked()) return [];
    return this.list()
      .filter((p) => {
        try {
          return this.driver(p.id).capabilities.includes(capability);
        } catch {
          return false;
        }
      })
      .map((p) => p.id);
  }

  /** Adds an account; a typed-in credential is stored in the same transaction (all or nothing). */
  add(input: ParsedInput<'panels.add'>): PanelAccount {
    if (!this.#d.factories[input.kind]) {
      throw new AppError('UNSUPPORTED', `PanelDeck cannot drive ${panelKindLabel(input.kind)} panels yet.`, {
        field: 'kind',
      });
    }
    const records = this.#records();
    const now = this.#d.ctx.clock.now();
    const id = this.#d.ctx.newId();
    let credentialId = input.credentialId;
    const puts: { kind: 'panel' | 'credential' | 'audit'; id: string; data: unknown }[] = [];
    if (credentialId !== undefined) {
      this.#credential(credentialId);
    } else if (input.credential) {
      credentialId = this.#d.ctx.newId();
      const cred: CredentialRecord = {
        id: credentialId,
        name: `${input.name} (${panelKindLabel(input.kind)})`,
        kind: input.credential.username === null ? 'api-token' : 'login',
        secret: input.credential.secret,
        username: input.credential.username,
        passphrase: null,
        notes: '',
        publicKey: null,
        fingerprint: null,
        keyType: null,
        createdAt: now,
        updatedAt: now,
      };
      puts.push({ kind: 'credential', id: credentialId, data: cred });
    }
    if (credentialId === undefined) throw new AppError('VALIDATION', 'A credential is required.');
    this.#checkServers(input.serverIds);
    const account: PanelAccount = {
      id,
      name: input.name,
      kind: input.kind,
      baseUrl: input.baseUrl,
      credentialId,
      serverIds: input.serverIds,
      tlsPins: {},
      createdAt: now,
      updatedAt: now,
    };
    puts.push({ kind: 'panel', id, data: account });
    puts.push(
      this.#d.vault.auditRecord('panel.added', `Panel "${account.name}" (${panelKindLabel(account.kind)}) added`),
    );
    records.write({ put: puts });
    return account;
  }

  /** Changes an account (fields named in the audit trail, never values). */
  update(id: string, patch: z.output<typeof PanelPatch>): PanelAccount {
    const current = this.get(id);
    if (patch.credentialId !== undefined) this.#credential(patch.credentialId);
    if (patch.serverIds !== undefined) this.#checkServers(patch.serverIds);
    const next: PanelAccount = {
      ...current,
      ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)),
      // A new address is a new peer: its certificate must be trusted again.
      tlsPins: patch.baseUrl !== undefined && patch.baseUrl !== current.baseUrl ? {} : current.tlsPins,
      updatedAt: this.#d.ctx.clock.now(),
    };
    const fields = Object.keys(patch).filter((k) => patch[k as keyof typeof patch] !== undefined);
    this.#records().write({
      put: [
        { kind: 'panel', id, data: next },
        this.#d.vault.auditRecord('panel.updated', `Panel "${next.name}" changed: ${fields.join(', ') || 'nothing'}`),
      ],
    });
    return next;
  }

  /** Removes an account (its credential stays in the vault). */
  async remove(id: string): Promise<{ ok: true }> {
    const gone = this.get(id);
    this.#records().write({
      delete: [id],
      put: [this.#d.vault.auditRecord('panel.removed', `Panel "${gone.name}" removed`)],
    });
    await this.#drop(id);
    return { ok: true };
  }

  /** Pins a self-signed certificate's fingerprint for host:port (what the trust dialog showed). */
  async trust(id: string, hostPort: string, fingerprint: string): Promise<PanelAccount> {
    const current = this.get(id);
    const fp = normalizeFingerprint(fingerprint);
    if (!/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/.test(fp)) {
      throw new AppError('VALIDATION', 'That is not a SHA-256 certificate fingerprint.', { field: 'fingerprint' });
    }
    const url = new URL(current.baseUrl);
    const own = `${url.hostname.replace(/^\[|\]$/g, '')}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
    if (hostPort !== own) {
      throw new AppError('VALIDATION', `This panel is at ${own}, not ${hostPort}.`, { field: 'hostPort' });
    }
    const next: PanelAccount = {
      ...current,
      tlsPins: { ...current.tlsPins, [hostPort]: fp },
      updatedAt: this.#d.ctx.clock.now(),
    };
    this.#records().write({
      put: [
        { kind: 'panel', id, data: next },
        this.#d.vault.auditRecord('panel.trusted', `Panel "${next.name}": TLS certificate ${fp} trusted`),
      ],
    });
    await this.#drop(id);
    return next;
  }

  /** Signs in and says who we are there, the version and what PanelDeck can do. */
  async test(id: string, otp?: string): Promise<Output<'panels.test'>> {
    const driver = this.driver(id);
    const who = await driver.identify(otp !== undefined ? { otp } : {});
    return { ...who, resources: [...driver.resources.kinds()] };
  }

  async listResource(input: ParsedInput<'panels.resources.list'>): Promise<Output<'panels.resources.list'>> {
    const res = this.#resources(input.id, input.resource);
    return res.list(input.resource, {
      page: input.page,
      pageSize: input.pageSize,
      search: input.search?.trim() ? input.search.trim() : null,
    });
  }

  async createResource(input: ParsedInput<'panels.resources.create'>): Promise<Output<'panels.resources.create'>> {
    const res = this.#resources(input.id, input.resource);
    const kind = res.kinds().find((k) => k.id === input.resource);
    if (kind && kind.fields.length === 0) {
      throw new AppError('UNSUPPORTED', `${kind.label} cannot be created through this panel's API.`);
    }
    return this.#d.plans.planAndMaybeApply(await res.planCreate(input.resource, input.values), input.dryRun);
  }

  async deleteResource(input: ParsedInput<'panels.resources.delete'>): Promise<Output<'panels.resources.delete'>> {
    const res = this.#resources(input.id, input.resource);
    return this.#d.plans.planAndMaybeApply(await res.planDelete(input.resource, input.itemId), input.dryRun);
  }

  async action(input: ParsedInput<'panels.resources.action'>): Promise<Output<'panels.resources.action'>> {
    const res = this.#resources(input.id, input.resource);
    const kind = res.kinds().find((k) => k.id === input.resource);
    if (!res.planAction || !kind?.actions.some((a) => a.id === input.action)) {
      throw new AppError('UNSUPPORTED', `This panel has no "${input.action}" for ${kind?.label ?? input.resource}.`);
    }
    const plan = await res.planAction(input.resource, input.itemId, input.action);
    return this.#d.plans.planAndMaybeApply(plan, input.dryRun);
  }

  bulkPreview(id: string, csv: string): Output<'panels.bulkSites.preview'> {
    return this.#bulk(id).preview(csv);
  }

  async bulkCreate(id: string, csv: string, dryRun: boolean): Promise<Output<'panels.bulkSites.create'>> {
    return this.#d.plans.planAndMaybeApply(await this.#bulk(id).planCreate(csv), dryRun);
  }

  /** The account's driver, built with the credential's secret and the pinned certificates (cached). */
  driver(id: string): PanelDriver {
    const account = this.get(id);
    const cred = this.#credential(account.credentialId);
    const key = `${account.updatedAt}:${cred.updatedAt}`;
    const hit = this.#drivers.get(id);
    if (hit && hit.key === key) return hit.driver;
    if (hit) void hit.driver.close().catch(() => undefined);
    const factory = this.#d.factories[account.kind];
    if (!factory)
      throw new AppError('UNSUPPORTED', `PanelDeck cannot drive ${panelKindLabel(account.kind)} panels yet.`);
    const driver = factory({
      panelId: id,
      baseUrl: account.baseUrl,
      username: cred.username,
      secret: cred.secret,
      pins: staticPins(account.tlsPins),
      ...(this.#d.tuning ?? {}),
    });
    this.#drivers.set(id, { key, driver });
    return driver;
  }

  /** The tab title of a panel server's web terminal; UNSUPPORTED when the panel's kind has none. */
  terminalTitle(id: string, panelServerId: string): string {
    const account = this.get(id);
    this.#terminalDriver(id);
    return `${account.name}: server ${panelServerId}`;
  }

  /** Opens a panel server's web terminal (NexusPanel's WebSocket shell); resolves once it is open. */
  openTerminal(id: string, panelServerId: string, size: { cols: number; rows: number }): Promise<NexusTerminal> {
    return this.#terminalDriver(id).openTerminal(panelServerId, size);
  }

  #terminalDriver(id: string): NexusPanelDriver {
    const driver = this.driver(id);
    if (driver.kind !== 'nexuspanel' || !('openTerminal' in driver)) {
      throw new AppError('UNSUPPORTED', `${panelKindLabel(driver.kind)} panels have no web terminal.`);
    }
    return driver as NexusPanelDriver;
  }

  /** Closes every cached driver (core shutdown, vault lock). */
  async close(): Promise<void> {
    const all = [...this.#drivers.values()];
    this.#drivers.clear();
    await Promise.all(all.map((d) => d.driver.close().catch(() => undefined)));
  }

  #resources(id: string, resource: string) {
    const res = this.driver(id).resources;
    if (!res.kinds().some((k) => k.id === resource)) {
      throw new AppError('NOT_FOUND', `This panel has no "${resource}".`, { field: 'resource' });
    }
    return res;
  }

  #bulk(id: string) {
    const bulk = this.driver(id).bulkSites;
    if (!bulk) throw new AppError('UNSUPPORTED', 'This panel has no bulk site create.');
    return bulk;
  }

  async #drop(id: string): Promise<void> {
    const hit = this.#drivers.get(id);
    this.#drivers.delete(id);
    if (hit) await hit.driver.close().catch(() => undefined);
  }

  #credential(id: string): CredentialRecord {
    const cred = this.#records().get('credential', id, 'credential');
    if (cred.kind === 'ssh-key') {
      throw new AppError('VALIDATION', 'A panel signs in with a password or API key, not an SSH key.', {
        field: 'credentialId',
      });
    }
    return cred;
  }

  #checkServers(ids: readonly string[]): void {
    const servers = this.#records().all('server');
    const missing = ids.filter((s) => !servers.has(s));
    if (missing.length > 0) throw new AppError('NOT_FOUND', 'A bound server does not exist.', { field: 'serverIds' });
  }

  #records() {
    return this.#d.vault.records();
  }

  #unlocked(): boolean {
    try {
      this.#d.vault.records();
      return true;
    } catch {
      return false;
    }
  }
}
