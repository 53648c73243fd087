import { useEffect } from 'react';
import { client } from '../../lib/client';
import { useStore } from '../../store';

/**
 * Keeps the store in step with the core: vault.changed (including auto-lock, which drops decrypted data)
 * and inventory.changed (another window, the CLI, an import) reload what is shown.
 */
export function useVaultEvents(): void {
  useEffect(() => {
    const { loadVault, applyVaultStatus } = useStore.getState();
    loadVault().catch(() => undefined);
    const offVault = client.on('vault.changed', (status) => applyVaultStatus(status));
    const offInventory = client.on('inventory.changed', (change) => {
      const s = useStore.getState();
      if (!s.vault?.unlocked) return;
      // A credential change also changes servers' usedBy counts and vice versa: reload what has been loaded.
      if (s.serversLoaded || change.kind === 'server') s.loadServers().catch(() => undefined);
      if (s.credentialsLoaded || change.kind === 'credential') s.loadCredentials().catch(() => undefined);
    });
    return () => {
      offVault();
      offInventory();
    };
  }, []);
}

/** Ctrl/Cmd+L locks the vault from anywhere. */
export function useLockShortcut(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey || e.key.toLowerCase() !== 'l') return;
      const s = useStore.getState();
      if (!s.vault?.unlocked) return;
      e.preventDefault();
      s.lockVault().catch(() => undefined);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
