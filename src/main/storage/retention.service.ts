import type { Logger } from '../core/logger';
import { systemClock, type Clock, type TimerHandle } from '../vault/clock';
import type { HistoryDb } from './history/history-db';

/** Days of journal and audit trail kept unless configured otherwise. */
export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
const META_DAYS = 'retention_days';
/** Operations deleted per transaction before yielding to the event loop. */
const BATCH = 20;

/** What the retention service needs from the vault's audit trail (AuditService.prune). */
export interface AuditPruner {
  /** True while the vault is unlocked (the audit lines are sealed records: pruning needs the key). */
  readonly ready: boolean;
  prune(before: number): number;
}

export interface RetentionDeps {
  readonly history: HistoryDb;
  readonly audit?: AuditPruner | undefined;
  /** Ages are measured with this clock. */
  readonly clock: Clock;
  /**
   * Schedules the daily run (default: the system clock, whose timers are unref'd). Separate from `clock` so a
   * core driven by a test clock does not get a pending timer of ours among the vault's.
   */
  readonly timer?: Clock | undefined;
  readonly logger: Logger;
  /** Overrides the stored setting (and stores it). */
  readonly days?: number | undefined;
}

/**
 * Prunes journal entries (and the vault's audit trail) older than N days, at start and every day after.
 * The journal's age is in the clear, so it is pruned even while the vault is locked; the audit trail is
 * sealed, so it is pruned at the next unlock (`onUnlock`) and at the daily run if unlocked then.
 */
export class RetentionService {
  readonly #deps: RetentionDeps;
  #timer: TimerHandle | null = null;
  #auditDone = false;
  #stopped = false;
  #running: Promise<unknown> = Promise.resolve();

  constructor(deps: RetentionDeps) {
    this.#deps = deps;
    if (deps.days !== undefined) this.setDays(deps.days);
  }

  /** Days kept (stored in history.db's meta, default 90). */
  get days(): number {
    const v = Number(this.#deps.history.getMeta(META_DAYS));
    return Number.isInteger(v) && v >= 1 ? v : DEFAULT_RETENTION_DAYS;
  }

  /** Changes how many days are kept (at least 1). */
  setDays(days: number): void {
    if (!Number.isInteger(days) || days < 1) throw new RangeError('Retention must be a whole number of days >= 1.');
    this.#deps.history.setMeta(META_DAYS, String(days));
  }

  /** Prunes now and every 24 hours after. */
  start(): void {
    void this.runNow();
    this.#schedule();
  }

  /**
   * Prunes the journal (in batches, yielding to the event loop between them, so terminals never wait behind
   * a large prune) and the audit trail when the vault is unlocked. Resolves with how many entries went.
   */
  runNow(): Promise<{ journal: number; audit: number }> {
    const run = this.#running.then(() => this.#run());
    this.#running = run.catch((e: unknown) => {
      this.#deps.logger.warn('retention.failed', { errorType: e instanceof Error ? e.name : typeof e });
      return { journal: 0, audit: 0 };
    });
    return run;
  }

  /** Resolves when the current prune (if any) has finished. */
  async idle(): Promise<void> {
    await this.#running;
  }

  /** After an unlock: prunes the audit trail if the daily run could not (it was locked). */
  onUnlock(): void {
    if (this.#auditDone || this.#stopped) return;
    const audit = this.#pruneAudit(this.#deps.clock.now() - this.days * DAY_MS);
    if (audit > 0) this.#deps.logger.info('retention.pruned', { journal: 0, audit, days: this.days });
  }

  /** Stops the daily timer; a prune under way stops after its current batch (await `idle()`). */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) (this.#deps.timer ?? systemClock).clearTimer(this.#timer);
    this.#timer = null;
  }

  async #run(): Promise<{ journal: number; audit: number }> {
    const before = this.#deps.clock.now() - this.days * DAY_MS;
    const audit = this.#pruneAudit(before);
    let journal = 0;
    for (;;) {
      if (this.#stopped) break;
      const n = this.#deps.history.journal.prune(before, BATCH);
      journal += n;
      if (n < BATCH) break;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (!this.#stopped) this.#deps.history.setMeta('last_prune_at', String(this.#deps.clock.now()));
    if (journal + audit > 0) this.#deps.logger.info('retention.pruned', { journal, audit, days: this.days });
    return { journal, audit };
  }

  #pruneAudit(before: number): number {
    const audit = this.#deps.audit;
    this.#auditDone = false;
    if (!audit?.ready) return 0;
    const n = audit.prune(before);
    this.#auditDone = true;
    return n;
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = (this.#deps.timer ?? systemClock).setTimer(() => {
      void this.runNow();
      this.#schedule();
    }, DAY_MS);
  }
}
