import type Database from 'better-sqlite3';
import type { CommandRecord, OperationState, StepKind, StepState } from '../../../shared/contract/operations.contract';
import { AppError, isAppError } from '../../../shared/errors';
import { historyAad, openJson, sealJson, type Sealer } from '../sealer';

/** JSON as stored in a sealed column. */
export type StoredJson = null | boolean | number | string | StoredJson[] | { [key: string]: StoredJson };

/** The sealed part of an operation: everything that could identify a server, a site or a person. */
export interface OperationHead {
  readonly kind: string;
  readonly title: string;
  readonly params: StoredJson;
  readonly plannedCommands: readonly string[];
  readonly error: string | null;
  readonly notRestored: readonly string[];
}

/** The clear, mutable part of an operation. */
export interface OperationClear {
  readonly state: OperationState;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly progress: number;
}

/** One operation as stored. */
export interface OperationRow extends OperationClear {
  readonly id: string;
  readonly serverId: string;
  readonly createdAt: number;
  readonly head: OperationHead;
}

/** The sealed part of a step (its result carries what its rollback needs, e.g. a backup path). */
export interface StepBody {
  readonly id: string;
  readonly title: string;
  readonly kind: StepKind;
  readonly error: string | null;
  readonly result: { summary?: string; data?: StoredJson } | null;
}

/** The clear part of a step. */
export interface StepClear {
  readonly state: StepState;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
}

/** One step as stored, in plan order (`seq`). */
export interface StepRow extends StepClear {
  readonly seq: number;
  readonly body: StepBody;
}

/** One recorded line or command of a step. */
export type OutputEntry =
  { readonly type: 'log'; readonly line: string } | ({ readonly type: 'command' } & Omit<CommandRecord, 'at'>);

/** An operation with its steps, and (for `get`) their output. */
export interface StoredOperation extends OperationRow {
  readonly steps: readonly (StepRow & { output?: { at: number; entry: OutputEntry }[] })[];
}

/** Filters and page of a journal list; the cursor is opaque to callers. */
export interface JournalQuery {
  readonly serverId?: string | undefined;
  readonly state?: readonly OperationState[] | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

interface OpSql {
  id: string;
  server_id: string;
  state: OperationState;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  progress: number;
  nonce: Buffer;
  sealed: Buffer;
}
interface StepSql {
  operation_id: string;
  seq: number;
  state: StepState;
  started_at: number | null;
  ended_at: number | null;
}
/** The sealed blob of an operation: its head and the bodies of its steps, by seq. */
interface SealedOp {
  head: OperationHead;
  bodies: readonly StepBody[];
}

const opAad = (id: string) => historyAad('operation', 1, id);
const outAad = (opId: string, step: number, seq: number) => historyAad('output', 1, opId, step, seq);
const MAX_DEFERRED = 20_000;

/**
 * The operations journal in history.db. Clear columns are written at once; sealed ones need the vault's key,
 * so while the vault is locked they wait in memory (bounded) and are written at the next unlock: an
 * operation that outlives an auto-lock keeps its states on disk and its text in memory until then.
 */
export class JournalStore {
  readonly #db: Database.Database;
  readonly #sealer: Sealer;
  readonly #deferred: (() => void)[] = [];
  readonly #s: ReturnType<typeof prepare>;
  /** Statements of the dynamic queries (a handful of filter shapes), prepared once. */
  readonly #cache = new Map<string, Database.Statement>();

  constructor(db: Database.Database, sealer: Sealer) {
    this.#db = db;
    this.#sealer = sealer;
    this.#s = prepare(db);
  }

  /** Stores a new operation and its steps in one transaction (needs the vault unlocked). */
  insert(op: OperationRow, steps: readonly StepRow[]): void {
    const sealed = this.#sealOp(
      op.id,
      op.head,
      steps.map((s) => s.body),
    );
    this.#db
      .transaction(() => {
        this.#s.insertOp.run(
          op.id,
          op.serverId,
          op.state,
          op.createdAt,
          op.startedAt,
          op.endedAt,
          op.progress,
          sealed.nonce,
          sealed.ciphertext,
        );
        for (const s of steps) this.#s.insertStep.run(op.id, s.seq, s.state, s.startedAt, s.endedAt);
      })
      .immediate();
  }

  /**
   * Moves an operation's clear columns; when `sealed` is given, reseals its head and step bodies (one blob:
   * a journal page costs one decryption per operation). The reseal waits for an unlock while locked.
   */
  updateOperation(
    id: string,
    clear: OperationClear,
    sealed?: { head: OperationHead; bodies: readonly StepBody[] },
  ): void {
    this.#s.updateOp.run(clear.state, clear.startedAt, clear.endedAt, clear.progress, id);
    if (sealed) {
      this.#whenUnlocked(() => {
        const s = this.#sealOp(id, sealed.head, sealed.bodies);
        this.#s.updateOpSealed.run(s.nonce, s.ciphertext, id);
      });
    }
  }

  /** Moves a step's clear columns (its title, error and result live in the operation's sealed blob). */
  updateStep(opId: string, seq: number, clear: StepClear): void {
    this.#s.updateStep.run(clear.state, clear.startedAt, clear.endedAt, opId, seq);
  }

  /** Appends one recorded line or command to a step (deferred while locked). */
  appendOutput(opId: string, stepSeq: number, seq: number, at: number, entry: OutputEntry): void {
    this.#whenUnlocked(() => {
      const s = sealJson(this.#sealer, outAad(opId, stepSeq, seq), entry);
      this.#s.insertOutput.run(opId, stepSeq, seq, at, s.nonce, s.ciphertext);
    });
  }

  /**
   * At start: every operation left queued or running by a previous process is marked interrupted (its
   * running step too), in the clear, without the key. Returns their ids.
   */
  markInterrupted(now: number): string[] {
    return this.#db
      .transaction(() => {
        const ids = (this.#s.unfinished.all() as { id: string }[]).map((r) => r.id);
        for (const id of ids) {
          this.#s.interruptSteps.run(now, id);
          this.#s.interruptOp.run(now, id);
        }
        return ids;
      })
      .immediate();
  }

  /** One page of the journal, newest first, with steps (no output). */
  list(q: JournalQuery): { items: StoredOperation[]; nextCursor: string | null; total: number } {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.serverId !== undefined) {
      where.push('server_id = ?');
      args.push(q.serverId);
    }
    if (q.state !== undefined && q.state.length > 0) {
      where.push(`state IN (${q.state.map(() => '?').join(', ')})`);
      args.push(...q.state);
    }
    const total = (this.#stmt(`SELECT count(*) AS n FROM operations ${clause(where)}`).get(...args) as { n: number }).n;
    const cursor = q.cursor === undefined ? null : decodeCursor(q.cursor);
    if (cursor) {
      where.push('(created_at, id) < (?, ?)');
      args.push(cursor.at, cursor.id);
    }
    const rows = this.#stmt(`SELECT * FROM operations ${clause(where)} ORDER BY created_at DESC, id DESC LIMIT ?`).all(
      ...args,
      q.limit + 1,
    ) as OpSql[];
    const page = rows.slice(0, q.limit);
    const steps = this.#stepsOf(page.map((r) => r.id));
    const items = page.map((r) => this.#decodeOp(r, steps.get(r.id) ?? []));
    const last = page.at(-1);
    const nextCursor = rows.length > q.limit && last ? `${last.created_at}.${last.id}` : null;
    return { items, nextCursor, total };
  }

  /** One operation with its steps and their output, or null. */
  get(id: string): StoredOperation | null {
    const row = this.#s.getOp.get(id) as OpSql | undefined;
    if (!row) return null;
    const op = this.#decodeOp(row, this.#stepsOf([id]).get(id) ?? []);
    const output = new Map<number, { at: number; entry: OutputEntry }[]>();
    for (const o of this.#s.outputOf.all(id) as {
      step_seq: number;
      seq: number;
      at: number;
      nonce: Buffer;
      sealed: Buffer;
    }[]) {
      const entry = openJson(this.#sealer, outAad(id, o.step_seq, o.seq), {
        nonce: o.nonce,
        ciphertext: o.sealed,
      }) as OutputEntry;
      let list = output.get(o.step_seq);
      if (!list) output.set(o.step_seq, (list = []));
      list.push({ at: o.at, entry });
    }
    return { ...op, steps: op.steps.map((s) => ({ ...s, output: output.get(s.seq) ?? [] })) };
  }

  /**
   * Deletes up to `batch` ended operations created before `before` (epoch ms) with their steps and output;
   * returns how many. Callers loop, yielding between batches, so a large prune never blocks for long.
   */
  prune(before: number, batch = 20): number {
    return this.#db.transaction(() => {
      const ids = this.#s.prunable.all(before, batch) as { id: string }[];
      for (const { id } of ids) this.#s.deleteOp.run(id);
      return ids.length;
    })();
  }

  /** Writes the sealed parts that waited for an unlock, oldest first. */
  flushDeferred(): void {
    if (!this.#sealer.ready) return;
    const pending = this.#deferred.splice(0);
    this.#db.transaction(() => {
      for (const fn of pending) runIgnoringGone(fn);
    })();
  }

  #whenUnlocked(fn: () => void): void {
    if (this.#sealer.ready && this.#deferred.length === 0) {
      try {
        fn();
        return;
      } catch (e) {
        if (!isAppError(e) || e.code !== 'VAULT_LOCKED') throw e;
      }
    }
    if (this.#deferred.length < MAX_DEFERRED) this.#deferred.push(fn);
    if (this.#sealer.ready) this.flushDeferred();
  }

  #stmt(sql: string): Database.Statement {
    let st = this.#cache.get(sql);
    if (!st) {
      if (this.#cache.size > 200) this.#cache.clear();
      st = this.#db.prepare(sql);
      this.#cache.set(sql, st);
    }
    return st;
  }

  #sealOp(id: string, head: OperationHead, bodies: readonly StepBody[]) {
    return sealJson(this.#sealer, opAad(id), { head, bodies } satisfies SealedOp);
  }

  /** Clear step rows of the given operations, by operation id, in plan order. */
  #stepsOf(ids: readonly string[]): Map<string, StepSql[]> {
    const out = new Map<string, StepSql[]>();
    if (ids.length === 0) return out;
    const rows = this.#stmt(
      `SELECT * FROM operation_steps WHERE operation_id IN (${ids.map(() => '?').join(', ')})`,
    ).all(...ids) as StepSql[];
    rows.sort((a, b) => a.seq - b.seq);
    for (const r of rows) {
      let list = out.get(r.operation_id);
      if (!list) out.set(r.operation_id, (list = []));
      list.push(r);
    }
    return out;
  }

  #decodeOp(r: OpSql, stepRows: readonly StepSql[]): StoredOperation {
    const sealed = openJson(this.#sealer, opAad(r.id), { nonce: r.nonce, ciphertext: r.sealed }) as SealedOp;
    const steps = stepRows.map((st) => {
      const body = sealed.bodies[st.seq];
      if (!body) throw new AppError('TAMPERED', 'A history entry failed its integrity check.');
      return { seq: st.seq, state: st.state, startedAt: st.started_at, endedAt: st.ended_at, body };
    });
    return {
      id: r.id,
      serverId: r.server_id,
      state: r.state,
      createdAt: r.created_at,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      progress: r.progress,
      head: sealed.head,
      steps,
    };
  }
}

function clause(where: readonly string[]): string {
  return where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
}

function decodeCursor(cursor: string): { at: number; id: string } {
  const dot = cursor.indexOf('.');
  const at = Number(cursor.slice(0, dot));
  if (dot <= 0 || !Number.isSafeInteger(at)) throw new AppError('VALIDATION', 'That page cursor is not valid.');
  return { at, id: cursor.slice(dot + 1) };
}

/** A deferred write whose operation was pruned meanwhile is dropped (the foreign key refuses it). */
function runIgnoringGone(fn: () => void): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof Error && /FOREIGN KEY/.test(e.message))) throw e;
  }
}

function prepare(db: Database.Database) {
  return {
    insertOp: db.prepare(
      `INSERT INTO operations(id, server_id, state, created_at, started_at, ended_at, progress, nonce, sealed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ),
    insertStep: db.prepare(
      'INSERT INTO operation_steps(operation_id, seq, state, started_at, ended_at) VALUES (?, ?, ?, ?, ?)',
    ),
    updateOp: db.prepare('UPDATE operations SET state = ?, started_at = ?, ended_at = ?, progress = ? WHERE id = ?'),
    updateOpSealed: db.prepare('UPDATE operations SET nonce = ?, sealed = ? WHERE id = ?'),
    updateStep: db.prepare(
      'UPDATE operation_steps SET state = ?, started_at = ?, ended_at = ? WHERE operation_id = ? AND seq = ?',
    ),
    insertOutput: db.prepare(
      'INSERT INTO operation_output(operation_id, step_seq, seq, at, nonce, sealed) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    getOp: db.prepare('SELECT * FROM operations WHERE id = ?'),
    outputOf: db.prepare(
      'SELECT step_seq, seq, at, nonce, sealed FROM operation_output WHERE operation_id = ? ORDER BY step_seq, seq',
    ),
    unfinished: db.prepare("SELECT id FROM operations WHERE state IN ('queued', 'running')"),
    interruptSteps: db.prepare(
      "UPDATE operation_steps SET state = 'interrupted', ended_at = ? WHERE operation_id = ? AND state = 'running'",
    ),
    interruptOp: db.prepare("UPDATE operations SET state = 'interrupted', ended_at = ? WHERE id = ?"),
    prunable: db.prepare(
      "SELECT id FROM operations WHERE created_at < ? AND state NOT IN ('queued', 'running') ORDER BY created_at LIMIT ?",
    ),
    deleteOp: db.prepare('DELETE FROM operations WHERE id = ?'),
  };
}
