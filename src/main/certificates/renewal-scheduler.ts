import type { Payload } from '../../shared/contract';
import type { Certificate } from '../../shared/contract/certificates.contract';
import { isAppError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import type { Plan } from '../operations/operation.types';
import type { CertificateStore } from '../storage/history/certificate-store';
import type { Clock, TimerHandle } from '../vault/clock';
import { renewalDue, siteOfPath } from './certificates.service';

const DAY = 86_400_000;

/** Days before expiry at which a notice goes out (once per threshold and certificate). */
export const NOTICE_DAYS = [21, 7, 1] as const;

/** A desktop notification (Electron's Notification); absent in the web host and the CLI. */
export type Notify = (n: { title: string; body: string; onClick?: () => void }) => void;

/** Dependencies of {@link RenewalScheduler}. */
export interface RenewalSchedulerDeps {
  readonly clock: Clock;
  readonly store: CertificateStore;
  /** False while the vault is locked (the inventory is sealed): the check waits for the next tick. */
  readonly ready: () => boolean;
  readonly renewPlan: (serverId: string, domain: string) => Promise<Plan>;
  /** Starts an operation (the operations service); resolves when it has ended. */
  readonly run: (plan: Plan) => Promise<void>;
  readonly emit: (payload: Payload<'certificates.expiring'>) => void;
  readonly notify?: Notify | undefined;
  readonly logger: Logger;
  /** Between checks (default one hour). */
  readonly intervalMs?: number;
  /** Every check's inventory (the alerts' certificate-expiry rules evaluate it). */
  readonly onChecked?: ((entries: readonly Certificate[], now: number) => void) | undefined;
}

/**
 * Renews PanelDeck's ACME certificates when a third of their lifetime remains and sends expiry notices 21, 7 and
 * 1 day(s) before expiry. It reads the inventory on the core's clock (tests drive a ManualClock); the next check is
 * armed only after the current one ends, so jumping the clock forward runs one check, not thousands.
 */
export class RenewalScheduler {
  readonly #d: RenewalSchedulerDeps;
  #timer: TimerHandle | null = null;
  #stopped = true;
  #running: Promise<void> | null = null;
  readonly #renewing = new Set<string>();
  readonly #noticed = new Set<string>();

  constructor(deps: RenewalSchedulerDeps) {
    this.#d = deps;
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    if (this.#timer) this.#d.clock.clearTimer(this.#timer);
    this.#timer = null;
  }

  /** Resolves when the check in progress (if any) has ended. */
  async idle(): Promise<void> {
    await this.#running;
  }

  #arm(): void {
    if (this.#stopped) return;
    this.#timer = this.#d.clock.setTimer(() => {
      this.#timer = null;
      // The check starts as its own task: a clock moved forward by a jump (ManualClock.advance) reads its end time.
      this.#running = Promise.resolve()
        .then(() => this.check())
        .finally(() => {
          this.#running = null;
          this.#arm();
        });
    }, this.#d.intervalMs ?? 3_600_000);
  }

  /** One pass: notices for certificates near expiry, renewal operations for the ones due. */
  async check(): Promise<void> {
    if (!this.#d.ready()) return;
    const now = this.#d.clock.now();
    let entries: Certificate[];
    try {
      entries = this.#d.store.list().map((e) => e.details as Certificate);
    } catch (e) {
      this.#d.logger.warn('certificates.check-failed', { code: isAppError(e) ? e.code : 'INTERNAL' });
      return;
    }
    this.#d.onChecked?.(entries, now);
    const due: Promise<void>[] = [];
    for (const c of entries) {
      this.#notice(c, now);
      const domain = siteOfPath(c.path);
      if (c.renewal === null || domain === null || !renewalDue(c, now)) continue;
      const key = `${c.serverId}\u0000${domain}`;
      if (this.#renewing.has(key)) continue;
      this.#renewing.add(key);
      due.push(
        (async () => {
          try {
            await this.#d.run(await this.#d.renewPlan(c.serverId, domain));
          } catch (e) {
            this.#d.logger.warn('certificates.renew-failed', { code: isAppError(e) ? e.code : 'INTERNAL' });
          } finally {
            this.#renewing.delete(key);
          }
        })(),
      );
    }
    await Promise.all(due);
  }

  #notice(c: Certificate, now: number): void {
    const left = c.notAfter - now;
    const threshold = NOTICE_DAYS.filter((d) => left <= d * DAY).at(-1);
    if (threshold === undefined || left <= 0) return;
    const key = `${c.fingerprint}\u0000${threshold}`;
    if (this.#noticed.has(key)) return;
    this.#noticed.add(key);
    const daysLeft = Math.floor(left / DAY);
    this.#d.emit({
      certificateId: c.id,
      serverId: c.serverId,
      domains: c.domains,
      notAfter: c.notAfter,
      daysLeft,
      threshold,
    });
    const name = c.domains[0] ?? c.sans[0] ?? 'A certificate';
    this.#d.notify?.({
      title: 'Certificate expiring',
      body: `${name} expires in ${daysLeft === 0 ? 'less than a day' : `${daysLeft} day(s)`}.`,
    });
  }
}
