import { useEffect } from 'react';
import { client } from '../../lib/client';
import { useStore } from '../../store';

const FINAL = new Set(['succeeded', 'failed', 'rolled_back', 'cancelled', 'interrupted']);

/**
 * Keeps the inventory in step with the app: drops it when the vault locks (it names servers and domains, which the
 * vault protects), and when a certificate operation ends reloads the inventory and — the site's TLS changed — the
 * sites list, if either was shown.
 */
export function useCertificatesSync(): void {
  const unlocked = useStore((s) => s.vault?.unlocked ?? false);
  useEffect(() => {
    if (!unlocked) useStore.getState().clearCertificates();
  }, [unlocked]);
  useEffect(
    () =>
      client.on('operations.changed', (op) => {
        if (!op.kind.startsWith('certificate.') || !FINAL.has(op.state)) return;
        const s = useStore.getState();
        if (s.certificatesLoaded) s.loadCertificates().catch(() => undefined);
        if (s.sitesLoaded) s.loadSites().catch(() => undefined);
      }),
    [],
  );
}
