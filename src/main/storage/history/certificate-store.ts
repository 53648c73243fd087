import type Database from 'better-sqlite3';
import { historyAad, openJson, sealJson, type Sealer } from '../sealer';

/** One certificate of the fleet-wide inventory; `details` (domains, SANs, issuer, paths...) is sealed at rest. */
export interface CertificateEntry<D = unknown> {
  /** A random id. */
  readonly id: string;
  readonly serverId: string;
  /** Expiry, epoch ms (clear: the table sorts and renewal selects on it). */
  readonly notAfter: number;
  /** e.g. 'valid' | 'expiring' | 'expired' | 'mismatch': a short word, never a name. */
  readonly state: string;
  readonly updatedAt: number;
  readonly details: D;
}

interface CertSql {
  id: string;
  server_id: string;
  not_after: number;
  state: string;
  updated_at: number;
  nonce: Buffer;
  sealed: Buffer;
}

const certAad = (id: string) => historyAad('certificate', 1, id);

/**
 * The certificate inventory table of history.db: put, list by server or expiry, remove. The caller (the
 * certificates feature) owns the shape of `details` and validates it on the way out.
 */
export class CertificateStore {
  readonly #db: Database.Database;
  readonly #sealer: Sealer;

  constructor(db: Database.Database, sealer: Sealer) {
    this.#db = db;
    this.#sealer = sealer;
  }

  /** Inserts or replaces entries in one transaction (needs the vault unlocked). */
  put(entries: readonly CertificateEntry[]): void {
    const sealed = entries.map((e) => sealJson(this.#sealer, certAad(e.id), e.details));
    const stmt = this.#db.prepare(
      `INSERT INTO certificates(id, server_id, not_after, state, updated_at, nonce, sealed) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET server_id = excluded.server_id, not_after = excluded.not_after,
         state = excluded.state, updated_at = excluded.updated_at, nonce = excluded.nonce, sealed = excluded.sealed`,
    );
    this.#db
      .transaction(() => {
        entries.forEach((e, i) =>
          stmt.run(e.id, e.serverId, e.notAfter, e.state, e.updatedAt, sealed[i]!.nonce, sealed[i]!.ciphertext),
        );
      })
      .immediate();
  }

  /** Entries soonest expiry first, optionally of one server or expiring before a time. */
  list(filter: { serverId?: string; notAfterBefore?: number } = {}): CertificateEntry[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.serverId !== undefined) {
      where.push('server_id = ?');
      args.push(filter.serverId);
    }
    if (filter.notAfterBefore !== undefined) {
      where.push('not_after < ?');
      args.push(filter.notAfterBefore);
    }
    const sql = `SELECT * FROM certificates ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY not_after, id`;
    return (this.#db.prepare(sql).all(...args) as CertSql[]).map((r) => ({
      id: r.id,
      serverId: r.server_id,
      notAfter: r.not_after,
      state: r.state,
      updatedAt: r.updated_at,
      details: openJson(this.#sealer, certAad(r.id), { nonce: r.nonce, ciphertext: r.sealed }),
    }));
  }

  /** Removes entries by id (e.g. a certificate no longer found on its server). */
  remove(ids: readonly string[]): number {
    const stmt = this.#db.prepare('DELETE FROM certificates WHERE id = ?');
    return this.#db.transaction(() => ids.reduce((n, id) => n + stmt.run(id).changes, 0)).immediate();
  }

  /** Removes every entry of a server (the server was deleted from the vault). */
  removeServer(serverId: string): number {
    return this.#db.prepare('DELETE FROM certificates WHERE server_id = ?').run(serverId).changes;
  }
}
