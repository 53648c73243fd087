import { useEffect } from 'react';
import { useStore } from '../../store';

/** Drops the panel accounts and their test results when the vault locks (names and addresses are vault data). */
export function usePanelsVaultSync(): void {
  const unlocked = useStore((s) => s.vault?.unlocked ?? false);
  useEffect(() => {
    if (!unlocked) useStore.getState().clearPanels();
  }, [unlocked]);
}
