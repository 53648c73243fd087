import fs from 'node:fs';
import type { AuditAction, AuditEntry, KdfParams, VaultStatus } from '../../shared/contract/vault.contract';
import { KdfParams as KdfParamsSchema } from '../../shared/contract/vault.contract';
import { AppError } from '../../shared/errors';
import type { EventBus } from '../core/event-bus';
import type { Logger } from '../core/logger';
import { AutoLock } from './auto-lock';
import { systemClock, type Clock } from './clock';
import { DEFAULT_KDF, kdfParamsAcceptable, newId, newKey } from './crypto';
import { osKeychain, type KeychainStore } from './keychain';
import { KeychainSlot } from './keychain-slot';
import { keySealer, type Sealer } from '../storage/sealer';
import { passwordRetryAfter, requireStrongPassword, unwrapWithPassword, wrapWithPassword } from './password-slot';
import { RecordStore } from './record-store';
import { registerSecret } from './redact';
import { SealedRecords } from './sealed-records';
import { DEFAULT_AUTO_LOCK_MINUTES, LOCK_DETAIL, META as M, type LockReason } from './vault-meta';

export type { LockReason } from './vault-meta';

export interface VaultDeps {
  readonly dataDir: string;
  readonly logger: Logger;
  readonly events?: EventBus;
  readonly clock?: Clock;
  /** Argon2id cost for new vaults and password changes (tests pass MIN_KDF; never below the contract floor). */
  readonly kdf?: KdfParams;
  readonly keychain?: KeychainStore;
}

/**
 * The vault: master password -> Argon2id -> KEK, which unwraps a random data key that seals every record
 * (AES-256-GCM, record id + kind + version as associated data). Owns the file, the unlock throttle, auto-lock,
 * "unlock with this computer" and the audit lines of its own life cycle.
 */
export class VaultService {
  readonly #file: string;
  readonly #logger: Logger;
  readonly #events: EventBus | undefined;
  readonly #clock: Clock;
  readonly #kdf: KdfParams;
  readonly #keychainSlot: KeychainSlot;
  readonly #autoLock: AutoLock;
  #store: RecordStore | null = null;
  #records: SealedRecords | null = null;
  #busy: Promise<unknown> = Promise.resolve();
  #lastAuditAt = 0;
  /** Bumped by every lock: an unlock that was deriving its key when the vault locked (suspend) gives up. */
  #lockEpoch = 0;

  constructor(deps: VaultDeps) {
    this.#file = RecordStore.fileIn(deps.dataDir);
    this.#logger = deps.logger;
    this.#events = deps.events;
    this.#clock = deps.clock ?? systemClock;
    this.#kdf = deps.kdf ?? DEFAULT_KDF;
    if (!kdfParamsAcceptable(this.#kdf)) throw new Error('KDF parameters below the allowed minimum.');
    this.#keychainSlot = new KeychainSlot(deps.keychain ?? osKeychain, deps.logger);
    this.#autoLock = new AutoLock(this.#clock, () => this.lock('idle'));
  }

  /** The path of the vault file. */
  get file(): string {
    return this.#file;
  }

  /** The Argon2id cost used for new wraps (and for export files). */
  get kdfParams(): KdfParams {
    return this.#kdf;
  }

  get clock(): Clock {
    return this.#clock;
  }

  get logger(): Logger {
    return this.#logger;
  }

  /** Whether a vault exists and is unlocked, and its settings. Never opens more than the file's meta table. */
  status(): VaultStatus {
    const store = this.#openIfExists();
    if (!store || store.getMeta(M.wrapped) === null) {
      return {
        exists: false,
        unlocked: false,
        keychainEnabled: false,
        autoLockMinutes: DEFAULT_AUTO_LOCK_MINUTES,
        kdf: null,
        retryAfter: null,
      };
    }
    return {
      exists: true,
      unlocked: this.#records !== null,
      keychainEnabled: store.getMeta(M.keychainWrapped) !== null,
      autoLockMinutes: this.#autoLockMinutes(store),
      kdf: KdfParamsSchema.parse(JSON.parse(store.getMeta(M.kdf) ?? 'null')),
      retryAfter: passwordRetryAfter(store, this.#clock.now()),
    };
  }

  /** Any contract call: pushes auto-lock back. */
  touch(): void {
    this.#autoLock.touch();
  }

  /** The decrypted records, or VAULT_LOCKED. Every inventory call goes through here. */
  records(): SealedRecords {
    if (!this.#records) throw new AppError('VAULT_LOCKED', 'The vault is locked. Unlock it first.');
    return this.#records;
  }

  /**
   * Seals and opens with the data key for other stores (history.db), while unlocked (VAULT_LOCKED otherwise).
   * The key is copied per call and zeroed after, so a lock takes effect at once.
   */
  readonly sealer: Sealer = keySealer(
    () => this.records().dataKeyCopy(),
    () => this.unlocked,
  );

  /** True while unlocked. */
  get unlocked(): boolean {
    return this.#records !== null;
  }

  /** Creates the vault (VAULT_EXISTS if there is one) and leaves it unlocked. */
  create(password: string): Promise<VaultStatus> {
    return this.#exclusive(async () => {
      requireStrongPassword(password, 'password');
      const existing = this.#openIfExists();
      if (existing && existing.getMeta(M.wrapped) !== null)
        throw new AppError('VAULT_EXISTS', 'A vault already exists here.');
      registerSecret(this.#logger.redactor, password);
      const store = existing ?? this.#openStore();
      const vaultId = newId();
      const dataKey = newKey();
      const slot = await wrapWithPassword(password, dataKey, this.#kdf, vaultId);
      store.apply({
        meta: { [M.vaultId]: vaultId, ...slot, [M.autoLock]: String(DEFAULT_AUTO_LOCK_MINUTES) },
      });
      this.#becomeUnlocked(store, dataKey);
      this.audit('vault.created', 'Vault created');
      this.#logger.info('vault.created', { kdf: this.#kdf });
      return this.#changed();
    });
  }

  /** Unlocks with the master password; WRONG_PASSWORD (counted, persisted) or RATE_LIMITED while throttled. */
  unlock(password: string): Promise<VaultStatus> {
    const epoch = this.#lockEpoch;
    return this.#exclusive(async () => {
      const store = this.#requireStore();
      if (this.#records) return this.status();
      registerSecret(this.#logger.redactor, password);
      const dataKey = await this.#unwrapWithPassword(store, password);
      this.#becomeUnlocked(store, dataKey, epoch);
      this.#afterUnlock(store, 'Unlocked with the master password');
      return this.#changed();
    });
  }

  /** Unlocks with the key kept in the OS keychain. */
  unlockWithKeychain(): Promise<VaultStatus> {
    const epoch = this.#lockEpoch;
    return this.#exclusive(async () => {
      const store = this.#requireStore();
      if (this.#records) return this.status();
      const wrapped = store.getMeta(M.keychainWrapped);
      if (wrapped === null) {
        throw new AppError('KEYCHAIN_UNAVAILABLE', '"Unlock with this computer" is not turned on.', {
          reason: 'not-enabled',
        });
      }
      const dataKey = await this.#keychainSlot.unwrap(this.#vaultId(store), wrapped);
      this.#becomeUnlocked(store, dataKey, epoch);
      this.#afterUnlock(store, 'Unlocked with this computer (system keychain)');
      return this.#changed();
    });
  }

  /** Locks now: the data key is zeroed and every decrypted record dropped. Safe to call when locked. */
  lock(reason: LockReason = 'user'): VaultStatus {
    this.#lockEpoch++;
    if (this.#records) {
      try {
        this.audit('vault.locked', LOCK_DETAIL[reason]);
      } catch (e) {
        this.#logger.warn('vault.lock-audit-failed', { errorType: e instanceof Error ? e.name : typeof e });
      }
      this.#records.wipe();
      this.#records = null;
      this.#autoLock.stop();
      this.#logger.redactor.clear();
      this.#logger.info('vault.locked', { reason });
      return this.#changed();
    }
    return this.status();
  }

  /** Re-wraps the data key under a new password (new salt, current KDF cost) in one transaction. */
  changePassword(current: string, next: string): Promise<VaultStatus> {
    return this.#exclusive(async () => {
      requireStrongPassword(next, 'next');
      const store = this.#requireStore();
      const records = this.records();
      registerSecret(this.#logger.redactor, current);
      registerSecret(this.#logger.redactor, next);
      const dataKey = await this.#unwrapWithPassword(store, current);
      const slot = await wrapWithPassword(next, dataKey, this.#kdf, this.#vaultId(store));
      dataKey.fill(0);
      const entry = this.#auditEntry('vault.password-changed', 'Master password changed');
      records.write({ put: [{ kind: 'audit', id: entry.id, data: entry }] }, { meta: slot });
      this.#logger.info('vault.password-changed', {});
      return this.#changed();
    });
  }

  /** Turns "unlock with this computer" on (needs unlocked) or off (deletes the keychain item and the wrapped copy). */
  setKeychain(enabled: boolean): Promise<VaultStatus> {
    return this.#exclusive(async () => {
      const store = this.#requireStore();
      const vaultId = this.#vaultId(store);
      if (enabled) {
        const records = this.records();
        const wrapped = await this.#keychainSlot.enable(vaultId, records.dataKeyCopy());
        const entry = this.#auditEntry('vault.keychain-enabled', 'Unlock with this computer turned on');
        records.write(
          { put: [{ kind: 'audit', id: entry.id, data: entry }] },
          { meta: { [M.keychainWrapped]: wrapped } },
        );
      } else {
        // The wrapped copy goes first: once it is gone the keychain item is useless even if deleting it fails.
        if (this.#records) {
          const entry = this.#auditEntry('vault.keychain-disabled', 'Unlock with this computer turned off');
          this.#records.write(
            { put: [{ kind: 'audit', id: entry.id, data: entry }] },
            { meta: { [M.keychainWrapped]: null } },
          );
        } else {
          store.apply({ meta: { [M.keychainWrapped]: null } });
        }
        await this.#keychainSlot.remove(vaultId);
      }
      this.#logger.info('vault.keychain', { enabled });
      return this.#changed();
    });
  }

  /** Sets the idle minutes before auto-lock (0 = never) and restarts the idle timer. */
  setAutoLock(minutes: number): VaultStatus {
    const store = this.#requireStore();
    this.records();
    store.apply({ meta: { [M.autoLock]: String(minutes) } });
    this.#autoLock.start(minutes);
    return this.#changed();
  }

  /** Writes one sealed audit line (needs unlocked). */
  audit(action: AuditAction, detail: string, ids: { credentialId?: string; serverId?: string } = {}): void {
    this.records().write({ put: [this.auditRecord(action, detail, ids)] });
  }

  /** An audit line as a record to put in the same write as the change it describes (one transaction). */
  auditRecord(
    action: AuditAction,
    detail: string,
    ids: { credentialId?: string; serverId?: string } = {},
  ): { kind: 'audit'; id: string; data: AuditEntry } {
    const entry = this.#auditEntry(action, detail, ids);
    return { kind: 'audit', id: entry.id, data: entry };
  }

  /** Closes the file (locking first). */
  close(): void {
    this.lock('shutdown');
    this.#store?.close();
    this.#store = null;
  }

  #auditEntry(action: AuditAction, detail: string, ids: { credentialId?: string; serverId?: string } = {}): AuditEntry {
    // Strictly increasing, so "newest first" is well defined even for lines written in the same millisecond.
    const at = Math.max(this.#clock.now(), this.#lastAuditAt + 1);
    this.#lastAuditAt = at;
    return {
      id: newId(),
      at,
      action,
      detail,
      credentialId: ids.credentialId ?? null,
      serverId: ids.serverId ?? null,
    };
  }

  #unwrapWithPassword(store: RecordStore, password: string): Promise<Buffer> {
    return unwrapWithPassword(
      store,
      password,
      this.#vaultId(store),
      () => this.#clock.now(),
      (failures) => {
        this.#logger.warn('vault.unlock-failed', { failures });
        this.#changed();
      },
    );
  }

  #becomeUnlocked(store: RecordStore, dataKey: Buffer, epoch = this.#lockEpoch): void {
    if (epoch !== this.#lockEpoch) {
      dataKey.fill(0);
      throw new AppError('VAULT_LOCKED', 'The vault was locked while it was being unlocked. Unlock again.');
    }
    this.#records = new SealedRecords(store, dataKey);
    for (const e of this.#records.all('audit').values()) this.#lastAuditAt = Math.max(this.#lastAuditAt, e.at);
    for (const c of this.#records.all('credential').values()) {
      registerSecret(this.#logger.redactor, c.secret);
      registerSecret(this.#logger.redactor, c.passphrase);
    }
    if (this.#records.tampered.size > 0) {
      this.#logger.warn('vault.records-tampered', {
        count: this.#records.tampered.size,
        ids: [...this.#records.tampered],
      });
      this.#events?.emit('app.notice', {
        level: 'error',
        message: `${this.#records.tampered.size} vault record(s) failed their integrity check and were left out.`,
      });
    }
    this.#autoLock.start(this.#autoLockMinutes(store));
  }

  /** Resets the throttle and seals the failed attempts noted while locked, with this unlock, in one transaction. */
  #afterUnlock(store: RecordStore, detail: string): void {
    const pending = store
      .pendingAudit()
      .map((p) => ({ ...this.#auditEntry('vault.unlock-failed', 'Wrong master password entered'), at: p.at }));
    const entry = this.#auditEntry('vault.unlocked', detail);
    this.records().write(
      { put: [...pending, entry].map((e) => ({ kind: 'audit' as const, id: e.id, data: e })) },
      { meta: { [M.failures]: '0', [M.lastFailure]: '0' }, clearPendingAudit: true },
    );
    this.#logger.info('vault.unlocked', { sealedFailedAttempts: pending.length });
  }

  #autoLockMinutes(store: RecordStore): number {
    return Number(store.getMeta(M.autoLock) ?? DEFAULT_AUTO_LOCK_MINUTES);
  }

  #vaultId(store: RecordStore): string {
    const id = store.getMeta(M.vaultId);
    if (id === null) throw new AppError('VAULT_NOT_FOUND', 'There is no vault yet. Create one first.');
    return id;
  }

  #changed(): VaultStatus {
    const status = this.status();
    this.#events?.emit('vault.changed', status);
    return status;
  }

  #openIfExists(): RecordStore | null {
    if (this.#store) return this.#store;
    if (!fs.existsSync(this.#file)) return null;
    return this.#openStore();
  }

  #openStore(): RecordStore {
    this.#store ??= RecordStore.open(this.#file);
    return this.#store;
  }

  #requireStore(): RecordStore {
    const store = this.#openIfExists();
    if (!store || store.getMeta(M.wrapped) === null)
      throw new AppError('VAULT_NOT_FOUND', 'There is no vault yet. Create one first.');
    return store;
  }

  /** Runs vault state changes one at a time (two unlocks racing would both derive keys and double-count). */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#busy.then(fn, fn);
    this.#busy = run.catch(() => undefined);
    return run;
  }
}
