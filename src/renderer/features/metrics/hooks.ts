import { useEffect } from 'react';
import { client } from '../../lib/client';
import { useStore } from '../../store';
import type { ServerCollectState } from './metrics-types';

/**
 * Keeps the collection states current (metrics.state events) and drops everything the section holds when the
 * vault locks (server ids and figures belong to the vault's servers).
 */
export function useMetricsSync(): void {
  const unlocked = useStore((s) => s.vault?.unlocked ?? false);
  useEffect(() => {
    if (!unlocked) useStore.getState().clearMetrics();
  }, [unlocked]);
  useEffect(() => {
    // A fleet coming up (or a network going away) changes hundreds of states within a second: they are applied
    // in one store update per quarter second, so the overview re-sorts once, not once per server.
    let pending = new Map<string, ServerCollectState>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const flush = (): void => {
      timer = null;
      const batch = [...pending.values()];
      pending = new Map();
      useStore.getState().setCollectStates(batch);
    };
    const off = client.on('metrics.state', (state) => {
      pending.set(state.serverId, state);
      timer ??= setTimeout(flush, 250);
    });
    return () => {
      off();
      if (timer !== null) clearTimeout(timer);
    };
  }, []);
}
