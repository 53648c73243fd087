import { newId } from '../vault/crypto';
import type { Handlers } from '../core/dispatcher';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import type { DriverRegistry } from '../drivers/registry';
import type { OperationsService, PlanRegistry } from '../operations';
import type { PlanStore } from '../plans/plan-store';
import type { CertificateStore } from '../storage/history/certificate-store';
import type { Clock } from '../vault/clock';
import type { VaultService } from '../vault/vault.service';
import { AcmeIssuer, trustDirectoryCa } from './acme-issuer';
import { CertificatesService } from './certificates.service';
import { RenewalScheduler, type Notify, type RenewalSchedulerDeps } from './renewal-scheduler';

/** What the certificates module needs from the rest of the core. */
export interface CertificatesModuleDeps {
  readonly drivers: DriverRegistry;
  readonly plans: PlanStore;
  readonly registry: PlanRegistry;
  readonly operations: OperationsService;
  readonly store: CertificateStore;
  readonly vault: VaultService;
  readonly events: EventBus;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly serverIds: () => string[];
  /** Desktop notifications (Electron); absent elsewhere: the event alone goes out. */
  readonly notify?: Notify | undefined;
  /** Every renewal check's inventory (certificate-expiry alert rules). */
  readonly onChecked?: RenewalSchedulerDeps['onChecked'];
  /** Extra CA certificates for ACME directories' own HTTPS, by directory URL (pebble in tests). */
  readonly acmeDirectoryCas?: Readonly<Record<string, string>> | undefined;
  /** Between renewal checks (default one hour). */
  readonly renewalIntervalMs?: number | undefined;
}

/** The certificates feature module: inventory, ACME, uploads, the renewal scheduler and the certificates.* handlers. */
export function createCertificatesModule(deps: CertificatesModuleDeps): {
  handlers: Pick<
    Handlers,
    'certificates.list' | 'certificates.scan' | 'certificates.issue' | 'certificates.upload' | 'certificates.renew'
  >;
  service: CertificatesService;
  scheduler: RenewalScheduler;
  close(): Promise<void>;
} {
  for (const [url, ca] of Object.entries(deps.acmeDirectoryCas ?? {})) trustDirectoryCa(url, ca);
  const service = new CertificatesService({
    drivers: deps.drivers,
    plans: deps.plans,
    rebuilders: deps.registry,
    store: deps.store,
    issuer: new AcmeIssuer({ vault: deps.vault, ctx: { clock: deps.clock, logger: deps.logger, newId } }),
    serverIds: deps.serverIds,
    now: () => deps.clock.now(),
  });
  const scheduler = new RenewalScheduler({
    clock: deps.clock,
    store: deps.store,
    ready: () => deps.vault.unlocked,
    renewPlan: (serverId, domain) => service.renewPlan(serverId, domain),
    run: async (plan) => {
      const op = deps.operations.apply(plan);
      await deps.operations.wait(op.id);
    },
    emit: (payload) => deps.events.emit('certificates.expiring', payload),
    notify: deps.notify,
    onChecked: deps.onChecked,
    logger: deps.logger,
    ...(deps.renewalIntervalMs !== undefined ? { intervalMs: deps.renewalIntervalMs } : {}),
  });
  // The inventory is sealed: the scheduler runs only while the vault is unlocked (no timer pending when locked).
  const unsubscribe = deps.events.subscribe((name, payload) => {
    if (name !== 'vault.changed') return;
    if ((payload as { unlocked?: boolean }).unlocked) scheduler.start();
    else scheduler.stop();
  });
  if (deps.vault.unlocked) scheduler.start();
  return {
    service,
    scheduler,
    handlers: {
      'certificates.list': (i) => service.list(i),
      'certificates.scan': (i) => service.scan(i),
      'certificates.issue': (i) => service.issue(i),
      'certificates.upload': (i) => service.upload(i),
      'certificates.renew': (i) => service.renew(i),
    },
    close() {
      // Stops the timer; a renewal in flight ends with the operations service (cancelled at close).
      unsubscribe();
      scheduler.stop();
      return Promise.resolve();
    },
  };
}
