import type { StateCreator } from 'zustand';
import type { AuditAction, AuditEntry, VaultStatus } from '../../../shared/contract/vault.contract';
import { client } from '../../lib/client';
import type { AppState } from '../../store';

/** Filters of the audit view. */
export interface AuditFilter {
  action: AuditAction | '';
  query: string;
}

export interface VaultSlice {
  /** Null until the core has answered vault.status. */
  vault: VaultStatus | null;
  audit: AuditEntry[];
  loadVault(): Promise<void>;
  /** Applies a status from a call or a vault.changed event; a locked vault drops every decrypted record. */
  applyVaultStatus(status: VaultStatus): void;
  createVault(password: string): Promise<void>;
  unlockVault(password: string): Promise<void>;
  unlockWithKeychain(): Promise<void>;
  lockVault(): Promise<void>;
  setAutoLock(minutes: number): Promise<void>;
  setKeychain(enabled: boolean): Promise<void>;
  changeMasterPassword(current: string, next: string): Promise<void>;
  loadAudit(filter: AuditFilter): Promise<void>;
}

/**
 * The vault's state as the core reports it, and the calls that change it. Inline-handled error codes are
 * declared `expected` so they do not also raise a global toast.
 */
export const createVaultSlice: StateCreator<AppState, [], [], VaultSlice> = (set, get) => {
  const apply = (status: VaultStatus): void => get().applyVaultStatus(status);
  return {
    vault: null,
    audit: [],
    loadVault: async () => apply(await client.call('vault.status', {})),
    applyVaultStatus: (status) => {
      const wasUnlocked = get().vault?.unlocked ?? false;
      set({ vault: status });
      if (!status.unlocked && wasUnlocked) {
        set({ audit: [] });
        get().clearServers();
        get().clearCredentials();
      }
    },
    createVault: async (password) =>
      apply(await client.call('vault.create', { password }, { expected: ['VALIDATION'] })),
    unlockVault: async (password) =>
      apply(
        await client.call('vault.unlock', { password }, { expected: ['WRONG_PASSWORD', 'RATE_LIMITED', 'VALIDATION'] }),
      ),
    unlockWithKeychain: async () =>
      apply(await client.call('vault.unlockWithKeychain', {}, { expected: ['KEYCHAIN_UNAVAILABLE'] })),
    lockVault: async () => apply(await client.call('vault.lock', {})),
    setAutoLock: async (minutes) =>
      apply(await client.call('vault.setAutoLock', { minutes }, { expected: ['VALIDATION'] })),
    setKeychain: async (enabled) =>
      apply(await client.call('vault.setKeychain', { enabled }, { expected: ['KEYCHAIN_UNAVAILABLE'] })),
    changeMasterPassword: async (current, next) =>
      apply(
        await client.call('vault.changePassword', { current, next }, { expected: ['WRONG_PASSWORD', 'VALIDATION'] }),
      ),
    loadAudit: async ({ action, query }) => {
      const audit = await client.call('audit.list', {
        ...(action ? { action } : {}),
        ...(query.trim() ? { query: query.trim() } : {}),
        limit: 500,
      });
      set({ audit: [...audit].sort((a, b) => b.at - a.at) });
    },
  };
};
