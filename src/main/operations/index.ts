import type { Handlers } from '../core/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import { HistoryDb } from '../storage/history/history-db';
import { RetentionService } from '../storage/retention.service';
import type { Sealer } from '../storage/sealer';
import { systemClock, type Clock } from '../vault/clock';
import type { OperationEvents } from './live-operation';
import type { PlanRegistry } from './operation.types';
import { OperationsService } from './operations.service';
import { MapPlanRegistry } from './plan-registry';

export type * from './operation.types';
export { FINAL_STATES } from './operation.types';
export { OperationsService } from './operations.service';
export { MapPlanRegistry } from './plan-registry';
export { MASK } from './secret-set';

/** The handlers of the operations namespace (merged into the core's handler map). */
export type OperationsHandlers = Pick<
  Handlers,
  'operations.list' | 'operations.get' | 'operations.cancel' | 'operations.retry' | 'operations.rollback'
>;

export interface OperationsModuleDeps {
  /** The app data directory: history.db goes beside vault.db. */
  readonly dataDir: string;
  /** The vault's sealer (VaultService.sealer): history.db seals with the vault's data key. */
  readonly sealer: Sealer;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly clock?: Clock | undefined;
  readonly newId?: (() => string) | undefined;
  /** Where drivers register `kind -> rebuild`; a fresh one when absent (returned as `registry`). */
  readonly registry?: PlanRegistry | undefined;
  /** Schedules the daily prune (default: the system clock; tests pass their manual clock). */
  readonly retentionTimer?: Clock | undefined;
  /** Days of journal and audit trail kept (default 90, stored in history.db). */
  readonly retentionDays?: number | undefined;
  /** The vault's audit trail (AuditService), pruned by the same retention. */
  readonly audit?: { prune(before: number): number } | undefined;
}

/** What the module gives the core: handlers, the engine for drivers, the history file for other features. */
export interface OperationsModule {
  readonly handlers: OperationsHandlers;
  readonly service: OperationsService;
  readonly registry: PlanRegistry;
  /** history.db (the certificate inventory lives in `history.certificates`). */
  readonly history: HistoryDb;
  readonly retention: RetentionService;
  /** Cancels what runs, stops retention and closes history.db. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * The operations feature module (DESIGN.md "feature modules"): opens history.db, marks operations a previous
 * process left running as interrupted, prunes by retention at start and daily, and serves the operations.*
 * methods. Sealed history writes made while the vault was locked are written at the next unlock.
 */
export function createOperationsModule(deps: OperationsModuleDeps): OperationsModule {
  const clock = deps.clock ?? systemClock;
  const history = HistoryDb.open(HistoryDb.fileIn(deps.dataDir), deps.sealer);
  const owned = claimOwnership(history);
  if (owned) {
    const interrupted = history.journal.markInterrupted(clock.now());
    if (interrupted.length > 0) deps.logger.warn('operations.interrupted', { count: interrupted.length });
  }
  const registry = deps.registry ?? new MapPlanRegistry();
  const events: OperationEvents = {
    changed: (op) => deps.events.emit('operations.changed', op),
    step: (e) => deps.events.emit('operations.step', e),
  };
  const service = new OperationsService({
    journal: history.journal,
    registry,
    events,
    clock,
    logger: deps.logger,
    ...(deps.newId ? { newId: deps.newId } : {}),
  });
  const audit = deps.audit;
  const retention = new RetentionService({
    history,
    clock,
    timer: deps.retentionTimer,
    logger: deps.logger,
    days: deps.retentionDays,
    audit: audit && {
      get ready() {
        return deps.sealer.ready;
      },
      prune: (before) => audit.prune(before),
    },
  });
  retention.start();
  const unsubscribe = deps.events.subscribe((name, payload) => {
    if (name !== 'vault.changed' || !(payload as { unlocked?: boolean }).unlocked) return;
    history.flushDeferred();
    retention.onUnlock();
  });

  const handlers: OperationsHandlers = {
    'operations.list': (i) => service.list(i),
    'operations.get': (i) => service.get(i.id),
    'operations.cancel': (i) => service.cancel(i.id),
    'operations.retry': (i) => service.retry(i.id),
    'operations.rollback': (i) => service.rollback(i.id),
  };

  let closing: Promise<void> | undefined;
  return {
    handlers,
    service,
    registry,
    history,
    retention,
    close() {
      closing ??= (async () => {
        unsubscribe();
        retention.stop();
        await retention.idle();
        await service.close();
        history.flushDeferred();
        if (owned) history.setMeta(OWNER, '0');
        history.close();
      })();
      return closing;
    },
  };
}

const OWNER = 'owner_pid';

/**
 * The core that owns history.db marks left-over running operations as interrupted. A second core on the same
 * data directory while the first still runs (the CLI beside the app) must not: it sees a live owner and leaves
 * the operations alone.
 */
function claimOwnership(history: HistoryDb): boolean {
  const pid = Number(history.getMeta(OWNER) ?? '0');
  if (pid > 0 && pid !== process.pid && alive(pid)) return false;
  history.setMeta(OWNER, String(process.pid));
  return true;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
