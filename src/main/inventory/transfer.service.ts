import type { ServiceContext } from '../core/service-context';
import os from 'node:os';
import path from 'node:path';
import type { ImportPreview } from '../../shared/contract/vault.contract';
import { AlertRule } from '../../shared/contract/alerts.contract';
import { Server } from '../../shared/contract/inventory.contract';
import { PanelAccount } from '../../shared/contract/panels.contract';
import { Snippet } from '../../shared/contract/snippets.contract';
import { TrustedHostKey } from '../../shared/contract/host-keys.contract';
import type { EventBus } from '../core/event-bus';
import { resolveUserPath } from '../core/user-files';
import { readExport, writeExport, type ExportBody } from '../vault/export-file';
import { CredentialRecord } from '../vault/record-kinds';
import { registerSecret } from '../vault/redact';
import type { RecordWrite } from '../vault/sealed-records';
import type { VaultService } from '../vault/vault.service';
import { emitChanges, type InventoryChange } from './inventory-events';

type Policy = 'skip' | 'replace' | 'keep-both';
type Action = 'create' | 'conflict' | 'identical';
interface Planned<T> {
  readonly item: T;
  readonly action: Action;
  readonly existingId: string | null;
}

/**
 * Export to one sealed file and merge such a file back (servers, credentials, snippets, trusted host keys, panel
 * accounts and alert rules; references are remapped). Host keys only ever add trust for the exact host, port and
 * key they name. A panel whose credential is in neither the file nor this vault, and an alert rule scoped to a
 * server that is in neither, are skipped: they could not work here.
 */
export class TransferService {
  readonly #vault: VaultService;
  readonly #ctx: ServiceContext;
  readonly #events: EventBus | undefined;

  readonly #home: string;

  constructor(deps: { vault: VaultService; ctx: ServiceContext; events?: EventBus; homeDir?: string }) {
    this.#ctx = deps.ctx;
    this.#vault = deps.vault;
    this.#events = deps.events;
    this.#home = deps.homeDir ?? os.homedir();
  }

  /**
   * Writes every server and credential to `file`, sealed with `password`; audited. `~` is the home directory; a
   * relative path needs `cwd` (the CLI's). An existing file is replaced only with `overwrite` (FILE_EXISTS).
   */
  async export(
    file: string,
    password: string,
    opts: { overwrite?: boolean | undefined; cwd?: string | null } = {},
  ): Promise<{ path: string; records: number }> {
    const records = this.#vault.records();
    const abs = resolveUserPath(file, { home: this.#home, cwd: opts.cwd ?? null, what: 'the export file' });
    registerSecret(this.#ctx.logger.redactor, password);
    const body: ExportBody = {
      exportedAt: this.#ctx.clock.now(),
      servers: [...records.all('server').values()],
      credentials: [...records.all('credential').values()],
      snippets: [...records.all('snippet').values()],
      hostKeys: [...records.all('host-key').values()],
      panels: [...records.all('panel').values()],
      alertRules: [...records.all('alert-rule').values()],
    };
    await writeExport(abs, password, body, this.#vault.kdfParams, { overwrite: opts.overwrite === true });
    const count =
      body.servers.length +
      body.credentials.length +
      body.snippets.length +
      body.hostKeys.length +
      body.panels.length +
      body.alertRules.length;
    this.#vault.audit('vault.exported', `Exported ${count} records to ${path.basename(abs)}`);
    return { path: abs, records: count };
  }

  /** Lists what an import would create, and what conflicts with or is identical to records already here. */
  async preview(file: string, password: string, cwd: string | null = null): Promise<ImportPreview> {
    const plan = await this.#plan(file, password, cwd);
    return {
      items: [
        ...plan.credentials.map((p) => ({ kind: 'credential' as const, name: p.item.name, action: p.action })),
        ...plan.servers.map((p) => ({ kind: 'server' as const, name: p.item.name, action: p.action })),
        ...plan.snippets.map((p) => ({ kind: 'snippet' as const, name: p.item.name, action: p.action })),
        ...plan.hostKeys.map((p) => ({ kind: 'host-key' as const, name: hostKeyName(p.item), action: p.action })),
        ...plan.panels.map((p) => ({ kind: 'panel' as const, name: p.item.name, action: p.action })),
        ...plan.alertRules.map((p) => ({ kind: 'alert-rule' as const, name: p.item.name, action: p.action })),
      ],
    };
  }

  /** Merges `file` into the vault in one transaction with the chosen conflict policy. */
  async import(
    file: string,
    password: string,
    policy: Policy,
    cwd: string | null = null,
  ): Promise<{ created: number; replaced: number; skipped: number }> {
    const plan = await this.#plan(file, password, cwd);
    const now = this.#ctx.clock.now();
    const records = this.#vault.records();
    const counts = { created: 0, replaced: 0, skipped: plan.invalid };
    const credMap = new Map<string, string>();
    const serverMap = new Map<string, string>();
    const put: NonNullable<RecordWrite['put']>[number][] = [];
    const changes: InventoryChange[] = [];

    const decide = <T extends { id: string; name: string; createdAt: number }>(
      p: Planned<T>,
      map: Map<string, string>,
    ): T | null => {
      if (p.action === 'identical' || (p.action === 'conflict' && policy === 'skip')) {
        map.set(p.item.id, p.existingId ?? p.item.id);
        counts.skipped++;
        return null;
      }
      if (p.action === 'conflict' && policy === 'replace' && p.existingId !== null) {
        map.set(p.item.id, p.existingId);
        counts.replaced++;
        return { ...p.item, id: p.existingId, updatedAt: now };
      }
      const taken = (['server', 'credential', 'snippet', 'host-key', 'panel', 'alert-rule'] as const).some((k) =>
        records.all(k).has(p.item.id),
      );
      const id = taken ? this.#ctx.newId() : p.item.id;
      map.set(p.item.id, id);
      counts.created++;
      const name = p.action === 'conflict' ? `${p.item.name.slice(0, 109)} (imported)` : p.item.name;
      return { ...p.item, id, name, createdAt: now, updatedAt: now };
    };

    for (const p of plan.credentials) {
      const c = decide(p, credMap);
      if (c) {
        put.push({ kind: 'credential', id: c.id, data: c });
        changes.push({
          kind: 'credential',
          id: c.id,
          change: p.action === 'create' || policy === 'keep-both' ? 'created' : 'updated',
        });
      }
    }
    const servers: Server[] = [];
    for (const p of plan.servers) {
      const s = decide(p, serverMap);
      if (s) servers.push(s);
    }
    const mapCred = (id: string | null) =>
      id === null ? null : (credMap.get(id) ?? (records.all('credential').has(id) ? id : null));
    for (const s of servers) {
      const fixed: Server = {
        ...s,
        credentialId: mapCred(s.credentialId),
        panels: s.panels.map((b) => ({ ...b, credentialId: mapCred(b.credentialId) })),
        jumpHostIds: s.jumpHostIds
          .map((j) => serverMap.get(j) ?? (records.all('server').has(j) ? j : null))
          .filter((j): j is string => j !== null && j !== s.id),
      };
      put.push({ kind: 'server', id: fixed.id, data: fixed });
      changes.push({
        kind: 'server',
        id: fixed.id,
        change: records.all('server').has(fixed.id) ? 'updated' : 'created',
      });
    }
    const snippetMap = new Map<string, string>();
    for (const p of plan.snippets) {
      const s = decide(p, snippetMap);
      if (s) put.push({ kind: 'snippet', id: s.id, data: s });
    }
    for (const p of plan.hostKeys) {
      if (p.action === 'identical') {
        counts.skipped++;
        continue;
      }
      const taken = records.all('host-key').has(p.item.id);
      const k = { ...p.item, id: taken ? this.#ctx.newId() : p.item.id, addedAt: now };
      put.push({ kind: 'host-key', id: k.id, data: k });
      counts.created++;
    }
    // Panel accounts stand where servers do (their id is a server id to sites, alerts and metrics).
    const panelMap = new Map<string, string>();
    for (const p of plan.panels) {
      const credentialId = mapCred(p.item.credentialId);
      if (credentialId === null) {
        counts.skipped++;
        continue;
      }
      const a = decide(p, panelMap);
      if (!a) continue;
      const serverIds = a.serverIds
        .map((id) => serverMap.get(id) ?? (records.all('server').has(id) ? id : null))
        .filter((id): id is string => id !== null);
      put.push({ kind: 'panel', id: a.id, data: { ...a, credentialId, serverIds } });
    }
    const mapTarget = (id: string): string | null =>
      serverMap.get(id) ??
      panelMap.get(id) ??
      (records.all('server').has(id) || records.all('panel').has(id) ? id : null);
    for (const p of plan.alertRules) {
      const scope = p.item.scope;
      const target = scope.kind === 'server' ? mapTarget(scope.serverId) : null;
      if (scope.kind === 'server' && target === null) {
        counts.skipped++;
        continue;
      }
      const r = decide(p, new Map());
      if (!r) continue;
      put.push({
        kind: 'alert-rule',
        id: r.id,
        data: { ...r, scope: scope.kind === 'server' && target !== null ? { ...scope, serverId: target } : scope },
      });
    }
    records.write({ put });
    for (const c of plan.credentials) registerSecret(this.#ctx.logger.redactor, c.item.secret);
    this.#vault.audit(
      'vault.imported',
      `Imported ${path.basename(file)}: ${counts.created} created, ${counts.replaced} replaced, ${counts.skipped} skipped`,
    );
    emitChanges(this.#events, changes);
    return counts;
  }

  async #plan(file: string, password: string, cwd: string | null) {
    const records = this.#vault.records();
    registerSecret(this.#ctx.logger.redactor, password);
    const abs = resolveUserPath(file, { home: this.#home, cwd, what: 'the export file' });
    const body = await readExport(abs, password);
    let invalid = 0;
    const parseAll = <T>(items: unknown[], parse: (x: unknown) => { success: boolean; data?: T }): T[] =>
      items.flatMap((x) => {
        const r = parse(x);
        if (!r.success || r.data === undefined) {
          invalid++;
          return [];
        }
        return [r.data];
      });
    const creds = parseAll(body.credentials, (x) => CredentialRecord.safeParse(x));
    const servers = parseAll(body.servers, (x) => Server.safeParse(x));
    const snippets = parseAll(body.snippets, (x) => Snippet.safeParse(x));
    const hostKeys = parseAll(body.hostKeys, (x) => TrustedHostKey.safeParse(x));
    const panels = parseAll(body.panels, (x) => PanelAccount.safeParse(x));
    const alertRules = parseAll(body.alertRules, (x) => AlertRule.safeParse(x));
    const trusted = [...records.all('host-key').values()];
    for (const c of creds) registerSecret(this.#ctx.logger.redactor, c.secret);
    return {
      invalid,
      credentials: creds.map((c) => planOne(c, records.all('credential'))),
      servers: servers.map((s) => planOne(s, records.all('server'))),
      snippets: snippets.map((s) => planOne(s, records.all('snippet'))),
      hostKeys: hostKeys.map((k): Planned<TrustedHostKey> => ({
        item: k,
        existingId: null,
        action: trusted.some((t) => t.host === k.host && t.port === k.port && t.fingerprint === k.fingerprint)
          ? 'identical'
          : 'create',
      })),
      panels: panels.map((a) => planOne(a, records.all('panel'))),
      alertRules: alertRules.map((r) => planOne(r, records.all('alert-rule'))),
    };
  }
}

function hostKeyName(k: TrustedHostKey): string {
  return `${k.host.includes(':') ? `[${k.host}]` : k.host}:${k.port} ${k.keyType}`;
}

/** Matches an imported record by id, then by name, and says whether it is new, identical or in conflict. */
function planOne<T extends { id: string; name: string }>(item: T, existing: ReadonlyMap<string, T>): Planned<T> {
  let match = existing.get(item.id);
  if (!match) {
    const lower = item.name.toLowerCase();
    for (const e of existing.values()) if (e.name.toLowerCase() === lower) match = e;
  }
  if (!match) return { item, action: 'create', existingId: null };
  return { item, action: sameContent(item, match) ? 'identical' : 'conflict', existingId: match.id };
}

function sameContent(a: object, b: object): boolean {
  const strip = (o: object) =>
    JSON.stringify(
      Object.entries(o)
        .filter(([k]) => k !== 'id' && k !== 'createdAt' && k !== 'updatedAt')
        .sort(([x], [y]) => (x < y ? -1 : 1)),
    );
  return strip(a) === strip(b);
}
