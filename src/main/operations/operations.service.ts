import { randomUUID } from 'node:crypto';
import { AppError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import type { JournalStore, StoredOperation } from '../storage/history/journal-store';
import type { Clock } from '../vault/clock';
import { LiveOperation, type OperationEvents } from './live-operation';
import { OperationExecutor } from './operation-executor';
import type { Operation, OperationQuery, Plan, PlanRegistry } from './operation.types';

export interface OperationsServiceDeps {
  readonly journal: JournalStore;
  readonly registry: PlanRegistry;
  readonly events: OperationEvents;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Random ids (tests may pass a counter). */
  readonly newId?: () => string;
}

type Job = { op: LiveOperation; mode: 'forward' | 'rollback' };

/**
 * The operations engine (DESIGN.md rule 7a): drivers plan, `apply` queues; one operation at a time per
 * server (different servers run in parallel); every transition is written to history.db before it is
 * announced. Retry and rollback of an operation from an earlier run rebuild its plan through the registry.
 */
export class OperationsService {
  readonly #d: OperationsServiceDeps;
  readonly #executor: OperationExecutor;
  readonly #newId: () => string;
  /** Operations queued or running, by id. */
  readonly #live = new Map<string, LiveOperation>();
  /** Plans of operations that ended in this process (retry/rollback without a rebuild). */
  readonly #plans = new Map<string, Plan>();
  readonly #queues = new Map<string, Job[]>();
  readonly #busy = new Map<string, Promise<void>>();
  readonly #waiters = new Map<string, ((op: Operation) => void)[]>();
  #closed = false;
  /** Strictly increasing creation times, so "newest first" follows the order of apply within a millisecond. */
  #lastCreatedAt = 0;

  constructor(deps: OperationsServiceDeps) {
    this.#d = deps;
    this.#executor = new OperationExecutor(deps.logger);
    this.#newId = deps.newId ?? randomUUID;
  }

  /** Journals `plan` as a queued operation and starts it when its server is free. Needs the vault unlocked. */
  apply(plan: Plan): Operation {
    if (this.#closed) throw new AppError('UNSUPPORTED', 'PanelDeck is shutting down.');
    const ids = new Set(plan.steps.map((s) => s.id));
    if (ids.size !== plan.steps.length) throw new Error('A plan has two steps with the same id.');
    const createdAt = Math.max(this.#d.clock.now(), this.#lastCreatedAt + 1);
    this.#lastCreatedAt = createdAt;
    const stored: StoredOperation = {
      id: this.#newId(),
      serverId: plan.serverId,
      createdAt,
      state: 'queued',
      startedAt: null,
      endedAt: null,
      progress: 0,
      head: {
        kind: plan.kind,
        title: plan.title,
        params: plan.params ?? null,
        plannedCommands: [...plan.commands],
        error: null,
        notRestored: [],
      },
      steps: plan.steps.map((s, seq) => ({
        seq,
        state: 'pending',
        startedAt: null,
        endedAt: null,
        body: { id: s.id, title: s.title, kind: s.kind, error: null, result: null },
      })),
    };
    const op = new LiveOperation(stored, plan, this.#deps());
    // Redact the stored head too: a driver may have put a secret in a title or planned command by mistake.
    op.head = {
      ...op.head,
      title: op.secrets.redact(op.head.title),
      plannedCommands: op.head.plannedCommands.map((c) => op.secrets.redact(c)),
    };
    this.#d.journal.insert({ ...stored, head: op.head }, stored.steps);
    this.#d.logger.info('operations.queued', { operationId: op.id, serverId: op.serverId, steps: op.steps.length });
    const queued = op.view();
    this.#d.events.changed(queued);
    this.#enqueue({ op, mode: 'forward' });
    return queued;
  }

  /** Resolves when the operation reaches a final state (now, if it already has). */
  wait(id: string): Promise<Operation> {
    const live = this.#live.get(id);
    if (!live) return Promise.resolve(this.get(id));
    return new Promise((resolve) => {
      const list = this.#waiters.get(id) ?? [];
      list.push(resolve);
      this.#waiters.set(id, list);
    });
  }

  /** A page of the journal, newest first (steps without logs). */
  list(q: OperationQuery): { items: Operation[]; nextCursor: string | null; total: number } {
    const page = this.#d.journal.list(q);
    return { ...page, items: page.items.map((s) => this.#live.get(s.id)?.view() ?? toView(s)) };
  }

  /** One operation with every step's log lines and recorded commands. */
  get(id: string): Operation {
    const stored = this.#d.journal.get(id);
    if (!stored) throw new AppError('NOT_FOUND', 'No operation with that id.', { id });
    const view = toView(stored, true);
    const live = this.#live.get(id);
    return live ? { ...view, ...live.view(), steps: mergeSteps(live.view(), view) } : view;
  }

  /** Cancels: a queued operation never starts; a running one stops at the next step boundary and rolls back. */
  cancel(id: string): Operation {
    const op = this.#live.get(id);
    if (!op) throw new AppError('CONFLICT', 'This operation is not queued or running.', { id });
    if (op.clear.state === 'queued') {
      const q = this.#queues.get(op.serverId) ?? [];
      const i = q.findIndex((j) => j.op === op);
      if (i >= 0) q.splice(i, 1);
      op.setState('cancelled', { error: null });
      this.#finish(op);
      return op.view();
    }
    op.cancelRequested = true;
    op.abort.abort();
    this.#d.logger.info('operations.cancel-requested', { operationId: id });
    return op.view();
  }

  /** Runs an ended (not succeeded) operation again from its first unfinished step. */
  async retry(id: string): Promise<Operation> {
    const op = await this.#revive(id, ['interrupted', 'failed', 'cancelled', 'rolled_back'], 'retried');
    this.#enqueue({ op, mode: 'forward' });
    return op.view();
  }

  /** Rolls back the finished steps of an interrupted, cancelled or failed operation. */
  async rollback(id: string): Promise<Operation> {
    const op = await this.#revive(id, ['interrupted', 'cancelled', 'failed'], 'rolled back');
    this.#enqueue({ op, mode: 'rollback' });
    return op.view();
  }

  /**
   * Stops taking work; cancels everything queued or running and waits (at most `graceMs`) for the running
   * steps to reach their boundary and roll back. A step that hangs past the grace is left: at the next start
   * its operation shows as interrupted, like after a crash.
   */
  async close(graceMs = 10_000): Promise<void> {
    this.#closed = true;
    for (const op of [...this.#live.values()]) {
      try {
        this.cancel(op.id);
      } catch {
        // Ended meanwhile.
      }
    }
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
      timer.unref();
    });
    await Promise.race([Promise.allSettled([...this.#busy.values()]), grace]);
    clearTimeout(timer);
  }

  async #revive(id: string, allowed: Operation['state'][], verb: string): Promise<LiveOperation> {
    if (this.#closed) throw new AppError('UNSUPPORTED', 'PanelDeck is shutting down.');
    if (this.#live.has(id)) throw new AppError('CONFLICT', 'This operation is still queued or running.', { id });
    const stored = this.#d.journal.get(id);
    if (!stored) throw new AppError('NOT_FOUND', 'No operation with that id.', { id });
    if (!allowed.includes(stored.state)) {
      throw new AppError('CONFLICT', `An operation that is ${stored.state.replace('_', ' ')} cannot be ${verb}.`, {
        id,
        state: stored.state,
      });
    }
    const plan = this.#plans.get(id) ?? (await this.#rebuild(stored));
    const op = new LiveOperation(stored, plan, this.#deps());
    if (this.#live.has(id)) throw new AppError('CONFLICT', 'This operation is still queued or running.', { id });
    op.setState('queued', { error: null });
    return op;
  }

  async #rebuild(stored: StoredOperation): Promise<Plan> {
    const rebuild = this.#d.registry.get(stored.head.kind);
    if (!rebuild) {
      throw new AppError('UNSUPPORTED', 'No driver can resume this kind of operation.', { kind: stored.head.kind });
    }
    const plan = await rebuild({
      operationId: stored.id,
      serverId: stored.serverId,
      kind: stored.head.kind,
      params: stored.head.params,
    });
    const same =
      plan.steps.length === stored.steps.length && plan.steps.every((s, i) => s.id === stored.steps[i]!.body.id);
    if (!same || plan.serverId !== stored.serverId) {
      throw new AppError('CONFLICT', 'The driver now plans different steps for this operation; it cannot resume.');
    }
    return plan;
  }

  #enqueue(job: Job): void {
    this.#live.set(job.op.id, job.op);
    const q = this.#queues.get(job.op.serverId) ?? [];
    q.push(job);
    this.#queues.set(job.op.serverId, q);
    this.#pump(job.op.serverId);
  }

  #pump(serverId: string): void {
    if (this.#busy.has(serverId)) return;
    const job = this.#queues.get(serverId)?.shift();
    if (!job) {
      this.#queues.delete(serverId);
      return;
    }
    const run = (async () => {
      try {
        if (job.mode === 'forward') await this.#executor.forward(job.op);
        else await this.#executor.rollbackOnly(job.op);
      } catch (e) {
        this.#d.logger.error('operations.engine-error', {
          operationId: job.op.id,
          errorType: e instanceof Error ? e.name : typeof e,
        });
        try {
          job.op.setState('failed', { error: 'PanelDeck could not finish this operation.' });
        } catch {
          // The journal is gone (closing): nothing more to record.
        }
      }
    })();
    this.#busy.set(serverId, run);
    void run.finally(() => {
      this.#busy.delete(serverId);
      this.#finish(job.op);
      this.#pump(serverId);
    });
  }

  #finish(op: LiveOperation): void {
    this.#live.delete(op.id);
    if (op.plan) this.#plans.set(op.id, op.plan);
    const view = op.view();
    for (const w of this.#waiters.get(op.id) ?? []) w(view);
    this.#waiters.delete(op.id);
    this.#d.logger.info('operations.ended', { operationId: op.id, state: view.state });
  }

  #deps() {
    return { journal: this.#d.journal, events: this.#d.events, clock: this.#d.clock };
  }
}

/** The contract view of a stored operation; with `output`, each step's log lines and commands. */
function toView(s: StoredOperation, output = false): Operation {
  return {
    id: s.id,
    serverId: s.serverId,
    kind: s.head.kind,
    title: s.head.title,
    state: s.state,
    createdAt: s.createdAt,
    startedAt: s.startedAt,
    endedAt: s.endedAt,
    progress: s.progress,
    error: s.head.error,
    notRestored: [...s.head.notRestored],
    plannedCommands: [...s.head.plannedCommands],
    steps: s.steps.map((st) => {
      const out = output ? (st.output ?? []) : [];
      return {
        id: st.body.id,
        title: st.body.title,
        kind: st.body.kind,
        state: st.state,
        startedAt: st.startedAt,
        endedAt: st.endedAt,
        error: st.body.error,
        log: out.flatMap((o) => (o.entry.type === 'log' ? [o.entry.line] : [])),
        commands: out.flatMap((o) =>
          o.entry.type === 'command'
            ? [{ at: o.at, command: o.entry.command, exitCode: o.entry.exitCode, output: o.entry.output }]
            : [],
        ),
      };
    }),
  };
}

/** The live states with the stored output (a live operation's sealed writes may still be pending). */
function mergeSteps(live: Operation, stored: Operation): Operation['steps'] {
  return live.steps.map((s, i) => ({
    ...s,
    log: stored.steps[i]?.log ?? [],
    commands: stored.steps[i]?.commands ?? [],
  }));
}
