import { useEffect } from 'react';
import { useStore } from '../../store';

/** Drops the listed sites when the vault locks (they name servers and domains, which the vault protects). */
export function useSitesVaultSync(): void {
  const unlocked = useStore((s) => s.vault?.unlocked ?? false);
  useEffect(() => {
    if (!unlocked) useStore.getState().clearSites();
  }, [unlocked]);
}
