import { useEffect } from 'react';
import { client } from '../../lib/client';
import { useStore } from '../../store';

/**
 * Subscribes once, for the app's lifetime, to operations.changed and operations.step, and keeps the journal in
 * step with the vault: loaded when it opens, dropped when it locks (the journal is sealed with the vault's key).
 */
export function useOperationEvents(): void {
  const unlocked = useStore((s) => s.vault?.unlocked ?? false);
  useEffect(() => {
    const s = useStore.getState();
    const offs = [
      client.on('operations.changed', (op) => s.applyOperationChanged(op)),
      client.on('operations.step', (ev) => s.applyOperationStep(ev)),
    ];
    return () => offs.forEach((off) => off());
  }, []);
  useEffect(() => {
    const s = useStore.getState();
    if (unlocked) s.loadOperations().catch(() => undefined);
    else s.clearOperations();
  }, [unlocked]);
}
