import type { ServiceContext } from '../core/service-context';
import type { z } from 'zod';
import type { Server, ServerFields, ServerPatch, ServerQuery } from '../../shared/contract/inventory.contract';
import { ServerFields as ServerFieldsSchema } from '../../shared/contract/inventory.contract';
import { AppError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import type { VaultService } from '../vault/vault.service';
import { emitChanges } from './inventory-events';
import { resolveJumpChain } from './jump-chain';

export interface ServersDeps {
  readonly vault: VaultService;
  readonly ctx: ServiceContext;
  readonly events?: EventBus;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

/**
 * Servers: CRUD, search and facets over the decrypted cache. Nothing here touches SQL: the file holds only
 * ciphertext, so filtering happens in memory (10,000 servers filter in a few ms).
 */
export class ServersService {
  readonly #vault: VaultService;
  readonly #ctx: ServiceContext;
  readonly #events: EventBus | undefined;
  /** Lower-cased search text per record object; records are replaced, never mutated, so this never goes stale. */
  readonly #haystacks = new WeakMap<Server, string>();

  constructor(deps: ServersDeps) {
    this.#vault = deps.vault;
    this.#ctx = deps.ctx;
    this.#events = deps.events;
  }

  /** Servers matching every given filter, sorted by name. */
  list(q: z.output<typeof ServerQuery>): Server[] {
    const all = this.#vault.records().all('server');
    const text = q.query?.trim().toLowerCase() ?? '';
    const tag = q.tag?.toLowerCase();
    const group = q.group?.toLowerCase();
    const host = q.host?.trim().toLowerCase();
    const out: Server[] = [];
    for (const s of all.values()) {
      if (tag !== undefined && !s.tags.some((t) => t.toLowerCase() === tag)) continue;
      if (group !== undefined && (s.group ?? '').toLowerCase() !== group) continue;
      if (host !== undefined && !s.host.toLowerCase().includes(host)) continue;
      if (text !== '' && !this.#haystack(s).includes(text)) continue;
      out.push(s);
    }
    return out.sort((a, b) => collator.compare(a.name, b.name));
  }

  get(id: string): Server {
    return this.#vault.records().get('server', id, 'server');
  }

  /** Adds a server after checking its references (credential, jump hosts) exist. */
  create(fields: ServerFields): Server {
    const records = this.#vault.records();
    const now = this.#ctx.clock.now();
    const server: Server = { ...fields, id: this.#ctx.newId(), createdAt: now, updatedAt: now };
    this.#checkRefs(server);
    records.write({
      put: [
        { kind: 'server', id: server.id, data: server },
        this.#vault.auditRecord('server.created', `Server "${server.name}" added`, { serverId: server.id }),
      ],
    });
    emitChanges(this.#events, [{ kind: 'server', id: server.id, change: 'created' }]);
    return server;
  }

  /** Applies a patch; the merged server is validated as a whole before anything is written. */
  update(id: string, patch: ServerPatch): Server {
    const current = this.get(id);
    const merged = ServerFieldsSchema.safeParse({ ...stripMeta(current), ...definedOnly(patch) });
    if (!merged.success) throw new AppError('VALIDATION', 'The changed server is not valid.');
    const next: Server = { ...merged.data, id, createdAt: current.createdAt, updatedAt: this.#ctx.clock.now() };
    this.#checkRefs(next);
    this.#vault.records().write({
      put: [
        { kind: 'server', id, data: next },
        this.#vault.auditRecord('server.updated', serverChangeDetail(current, next), { serverId: id }),
      ],
    });
    emitChanges(this.#events, [{ kind: 'server', id, change: 'updated' }]);
    return next;
  }

  /** Deletes a server and removes it from other servers' jump chains, in one transaction. */
  delete(id: string): { id: string } {
    const gone = this.get(id);
    const records = this.#vault.records();
    const now = this.#ctx.clock.now();
    const dependants = [...records.all('server').values()]
      .filter((s) => s.jumpHostIds.includes(id))
      .map((s) => ({ ...s, jumpHostIds: s.jumpHostIds.filter((j) => j !== id), updatedAt: now }));
    const n = dependants.length;
    const via = n > 0 ? ` (removed from the jump chain of ${n} server${n === 1 ? '' : 's'})` : '';
    records.write({
      delete: [id],
      put: [
        ...dependants.map((s) => ({ kind: 'server' as const, id: s.id, data: s })),
        this.#vault.auditRecord('server.deleted', `Server "${gone.name}" deleted${via}`, { serverId: id }),
      ],
    });
    emitChanges(this.#events, [
      { kind: 'server', id, change: 'deleted' },
      ...dependants.map((s) => ({ kind: 'server' as const, id: s.id, change: 'updated' as const })),
    ]);
    return { id };
  }

  /** Groups and tags in use, with counts, sorted by name. */
  facets(): { groups: { name: string; count: number }[]; tags: { name: string; count: number }[] } {
    const groups = new Map<string, number>();
    const tags = new Map<string, number>();
    for (const s of this.#vault.records().all('server').values()) {
      if (s.group) groups.set(s.group, (groups.get(s.group) ?? 0) + 1);
      for (const t of new Set(s.tags)) tags.set(t, (tags.get(t) ?? 0) + 1);
    }
    const sorted = (m: Map<string, number>) =>
      [...m].map(([name, count]) => ({ name, count })).sort((a, b) => collator.compare(a.name, b.name));
    return { groups: sorted(groups), tags: sorted(tags) };
  }

  #checkRefs(s: Server): void {
    const records = this.#vault.records();
    const creds = records.all('credential');
    const servers = records.all('server');
    const bad = (field: string, message: string) =>
      new AppError('VALIDATION', message, { issues: [{ path: field, message }] });
    if (s.credentialId !== null && !creds.has(s.credentialId)) throw bad('credentialId', 'No credential with that id.');
    for (const p of s.panels) {
      if (p.credentialId !== null && !creds.has(p.credentialId)) throw bad('panels', 'No credential with that id.');
    }
    for (const j of s.jumpHostIds) {
      if (j === s.id) throw bad('jumpHostIds', 'A server cannot be its own jump host.');
      if (!servers.has(j)) throw bad('jumpHostIds', 'No server with that id.');
    }
    this.#checkLoops(s, servers);
  }

  /**
   * Refuses a save that makes any jump chain loop, of any length: the saved server's own chain, and the chains of
   * the servers that reach it (B jumps through A; A now jumps through B). Same walk as at connect time.
   */
  #checkLoops(s: Server, servers: ReadonlyMap<string, Server>): void {
    const get = (id: string): Server => {
      const found = id === s.id ? s : servers.get(id);
      if (found === undefined) throw new AppError('VALIDATION', 'No server with that id.');
      return found;
    };
    resolveJumpChain(s, get);
    const referenced = [...servers.values()].some((t) => t.id !== s.id && t.jumpHostIds.includes(s.id));
    if (!referenced) return;
    for (const t of servers.values()) {
      if (t.id === s.id || t.jumpHostIds.length === 0) continue;
      try {
        resolveJumpChain(get(t.id), get);
      } catch (e) {
        const chain = e instanceof AppError ? (e.details as { chain?: unknown } | undefined)?.chain : undefined;
        if (Array.isArray(chain) && chain.includes(s.id)) throw e;
      }
    }
  }

  #haystack(s: Server): string {
    let h = this.#haystacks.get(s);
    if (h === undefined) {
      h = [s.name, s.host, s.user, s.group ?? '', s.notes, ...s.tags].join('\n').toLowerCase();
      this.#haystacks.set(s, h);
    }
    return h;
  }
}

/** The user-editable fields of a server. */
export function stripMeta(s: Server): ServerFields {
  const { id: _id, createdAt: _c, updatedAt: _u, ...fields } = s;
  return fields;
}

/** The keys of a patch that were actually given. */
export function definedOnly<T extends object>(patch: T): Partial<T> {
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The audit line of a server edit: its name and which fields changed, never their values (the line is sealed like
 * every record, but a trail that repeats addresses and notes would be one more copy of them to protect).
 */
function serverChangeDetail(before: Server, after: Server): string {
  const fields = (Object.keys(after) as (keyof Server)[]).filter(
    (k) => k !== 'updatedAt' && JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  const renamed = before.name === after.name ? '' : ` (was "${before.name}")`;
  return `Server "${after.name}"${renamed} changed: ${fields.length > 0 ? fields.join(', ') : 'nothing'}`;
}
