import { AppError } from '../../shared/errors';
import { open, padJson, seal, tryOpen } from './crypto';
import { isRecordKind, RECORD_KINDS, recordAad, type RecordData, type RecordKind } from './record-kinds';
import type { RecordRow, RecordStore } from './record-store';

/** A write to apply: records to seal and store, ids to delete. */
export interface RecordWrite {
  readonly put?: readonly { kind: RecordKind; id: string; data: unknown }[];
  readonly delete?: readonly string[];
}

type Cache = { [K in RecordKind]: Map<string, RecordData<K>> };

/**
 * The decrypted view of the vault while it is unlocked: every record opened once at unlock and kept in memory
 * (search and filter run here, never in SQL, since the table holds nothing searchable). Writes seal and commit
 * first, then update the cache, so a failed transaction changes nothing.
 */
export class SealedRecords {
  readonly #store: RecordStore;
  #key: Buffer;
  readonly #cache = Object.fromEntries(Object.keys(RECORD_KINDS).map((k) => [k, new Map()])) as Cache;
  /** Rows that failed their integrity check at unlock: reading them answers TAMPERED. */
  readonly tampered = new Set<string>();

  constructor(store: RecordStore, dataKey: Buffer) {
    this.#store = store;
    this.#key = dataKey;
    for (const row of store.allRows()) {
      const data = this.#decode(row);
      if (data === null) this.tampered.add(row.id);
      else (this.#cache[row.kind as RecordKind] as Map<string, unknown>).set(row.id, data);
    }
  }

  /** Every record of `kind` (a live map: do not mutate). */
  all<K extends RecordKind>(kind: K): ReadonlyMap<string, RecordData<K>> {
    return this.#cache[kind];
  }

  /** One record, NOT_FOUND if absent, TAMPERED if its row failed the integrity check. */
  get<K extends RecordKind>(kind: K, id: string, label: string): RecordData<K> {
    const hit = this.#cache[kind].get(id);
    if (hit !== undefined) return hit;
    if (this.tampered.has(id)) throw new AppError('TAMPERED', `This ${label} failed its integrity check.`, { id });
    throw new AppError('NOT_FOUND', `No ${label} with that id.`, { id });
  }

  /** Opens a row straight from the file (integrity check included): throws TAMPERED for a moved ciphertext. */
  openFromDisk(id: string): unknown {
    const row = this.#store.getRow(id);
    if (!row) throw new AppError('NOT_FOUND', 'No record with that id.', { id });
    const plain = open(this.#key, row, recordAad(row.id, row.kind, row.version), 'The record');
    return JSON.parse(plain.toString('utf8')) as unknown;
  }

  /** Seals, commits in one transaction, then updates the cache. */
  write(w: RecordWrite, extra?: { meta?: Record<string, string | null>; clearPendingAudit?: boolean }): void {
    const rows: RecordRow[] = [];
    const parsed: { kind: RecordKind; id: string; data: unknown }[] = [];
    for (const p of w.put ?? []) {
      const def = RECORD_KINDS[p.kind];
      const data = def.schema.parse(p.data);
      const { nonce, ciphertext } = seal(
        this.#key,
        padJson(JSON.stringify(data)),
        recordAad(p.id, p.kind, def.version),
      );
      rows.push({ id: p.id, kind: p.kind, version: def.version, nonce, ciphertext });
      parsed.push({ kind: p.kind, id: p.id, data });
    }
    this.#store.apply({ put: rows, delete: w.delete ?? [], ...extra });
    for (const id of w.delete ?? []) {
      for (const m of Object.values(this.#cache)) m.delete(id);
      this.tampered.delete(id);
    }
    for (const p of parsed) (this.#cache[p.kind] as Map<string, unknown>).set(p.id, p.data);
  }

  /** A copy of the data key, for wrapping it under another key (the caller zeroes it). */
  dataKeyCopy(): Buffer {
    return Buffer.from(this.#key);
  }

  /** Forgets the key and every decrypted record. */
  wipe(): void {
    this.#key.fill(0);
    this.#key = Buffer.alloc(0);
    for (const m of Object.values(this.#cache)) m.clear();
    this.tampered.clear();
  }

  #decode(row: RecordRow): unknown {
    if (!isRecordKind(row.kind) || RECORD_KINDS[row.kind].version !== row.version) return null;
    const plain = tryOpen(this.#key, row, recordAad(row.id, row.kind, row.version));
    if (plain === null) return null;
    try {
      const parsed = RECORD_KINDS[row.kind].schema.safeParse(JSON.parse(plain.toString('utf8')));
      return parsed.success && parsed.data.id === row.id ? parsed.data : null;
    } catch {
      return null;
    }
  }
}
