import type { AuditAction, AuditEntry } from '../../shared/contract/vault.contract';
import type { VaultService } from './vault.service';

/** Filters of `audit.list`. */
export interface AuditQuery {
  readonly action?: AuditAction | undefined;
  readonly query?: string | undefined;
  readonly since?: number | undefined;
  readonly limit: number;
}

/**
 * Reads the audit trail. The lines themselves are sealed records written by the vault and the credential
 * service, so the trail is as private as the secrets it describes, and readable only while unlocked.
 */
export class AuditService {
  readonly #vault: VaultService;

  constructor(vault: VaultService) {
    this.#vault = vault;
  }

  /** Newest first, filtered by action, free text over the detail, and time. */
  list(q: AuditQuery): AuditEntry[] {
    const text = q.query?.trim().toLowerCase() ?? '';
    const out: AuditEntry[] = [];
    for (const e of this.#vault.records().all('audit').values()) {
      if (q.action !== undefined && e.action !== q.action) continue;
      if (q.since !== undefined && e.at < q.since) continue;
      if (text !== '' && !e.detail.toLowerCase().includes(text)) continue;
      out.push(e);
    }
    return out.sort((a, b) => b.at - a.at).slice(0, q.limit);
  }

  /** Deletes the lines older than `before` (epoch ms), for retention; needs unlocked. Returns how many. */
  prune(before: number): number {
    const records = this.#vault.records();
    const old = [...records.all('audit').values()].filter((e) => e.at < before).map((e) => e.id);
    if (old.length > 0) records.write({ delete: old });
    return old.length;
  }
}
