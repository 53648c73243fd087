import { useEffect } from 'react';
import { useStore } from '../../store';

/** Drops the listed databases when the vault locks (they name servers and users, which the vault protects). */
export function useDatabasesVaultSync(): void {
  const unlocked = useStore((s) => s.vault?.unlocked ?? false);
  useEffect(() => {
    if (!unlocked) useStore.getState().clearDatabases();
  }, [unlocked]);
}
