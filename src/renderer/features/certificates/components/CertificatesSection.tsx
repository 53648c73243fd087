import { useEffect, useState } from 'react';
import { plural } from '../../../lib/plural';
import { errorMessage } from '../../../lib/errors';
import { useStore } from '../../../store';
import { filterCertificates } from '../inventory-view';
import { CertificateFilters } from './CertificateFilters';
import { CertificatesTable } from './CertificatesTable';
import { ExpiryTimeline } from './ExpiryTimeline';
import '../certificates.css';

/**
 * The Certificates section: one inventory of the TLS certificates on every server (nginx's ssl_certificate files
 * and /etc/letsencrypt/live), soonest expiry first, with an expiry timeline, filters, and "Scan now" — which also
 * probes what each domain serves, flagging a certificate renewed on disk but not reloaded.
 */
export function CertificatesSection(): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  const serversLoaded = useStore((s) => s.serversLoaded);
  const certificates = useStore((s) => s.certificates);
  const problems = useStore((s) => s.certificateProblems);
  const loaded = useStore((s) => s.certificatesLoaded);
  const scanning = useStore((s) => s.certificatesScanning);
  const scannedAt = useStore((s) => s.certificatesScannedAt);
  const filter = useStore((s) => s.certificateFilter);
  const loadServers = useStore((s) => s.loadServers);
  const loadCertificates = useStore((s) => s.loadCertificates);
  const scanCertificates = useStore((s) => s.scanCertificates);
  const setSection = useStore((s) => s.setSection);
  const [error, setError] = useState<string | null>(null);
  const now = useStore((s) => s.certificatesReadAt);

  useEffect(() => {
    loadServers().catch(() => undefined);
    loadCertificates().catch((e: unknown) => setError(errorMessage(e)));
  }, [loadServers, loadCertificates]);

  const scan = (): void => {
    setError(null);
    scanCertificates().catch((e: unknown) => setError(errorMessage(e)));
  };

  const serverName = (id: string): string => servers.find((s) => s.id === id)?.name ?? 'Removed server';
  const visible = filterCertificates(certificates, filter);
  const visibleProblems = problems.filter((p) => filter.serverId === '' || p.serverId === filter.serverId);
  const filtered = Boolean(filter.query.trim() || filter.serverId || filter.state);
  const noServers = serversLoaded && servers.length === 0;
  const expiringSoon = certificates.filter((c) => c.notAfter - now <= 21 * 86_400_000).length;

  return (
    <section className="sites-section certs-section" aria-labelledby="certs-title">
      <div className="section-header">
        <h1 id="certs-title">Certificates</h1>
        <button type="button" className="button primary" disabled={scanning || noServers} onClick={scan}>
          {scanning ? 'Scanning servers…' : 'Scan now'}
        </button>
      </div>
      <p className="form-error" role="alert">
        {error}
      </p>
      {noServers ? (
        <div className="empty-card">
          <div className="empty-icon" aria-hidden="true">
            ◎
          </div>
          <h2>Add a server first</h2>
          <p className="muted">
            The inventory lists the TLS certificates on your servers. Add a Linux server with nginx, then scan it.
          </p>
          <div className="form-row center">
            <button type="button" className="button primary" onClick={() => setSection('servers')}>
              Go to Servers
            </button>
          </div>
        </div>
      ) : loaded && certificates.length === 0 && problems.length === 0 ? (
        <div className="empty-card" data-testid="certs-empty">
          <div className="empty-icon" aria-hidden="true">
            ◎
          </div>
          <h2>No certificates in the inventory</h2>
          <p className="muted">
            {scannedAt === null
              ? 'Scan your servers to find the certificates nginx uses and those in /etc/letsencrypt/live; each domain is also probed to see what it really serves.'
              : 'The scan found no certificate on your servers.'}{' '}
            To give a site HTTPS, use <strong>HTTPS…</strong> on its row in Sites.
          </p>
          <div className="form-row center">
            <button type="button" className="button primary" disabled={scanning} onClick={scan}>
              {scanning ? 'Scanning servers…' : 'Scan now'}
            </button>
            <button type="button" className="button" onClick={() => setSection('sites')}>
              Go to Sites
            </button>
          </div>
        </div>
      ) : (
        <>
          <CertificateFilters />
          <p className="muted list-count" aria-live="polite" data-testid="certs-count">
            {!loaded
              ? 'Reading the inventory…'
              : filtered
                ? `${visible.length} of ${plural(certificates.length, 'certificate')} match`
                : plural(certificates.length, 'certificate')}
            {loaded && expiringSoon > 0 ? ` · ${expiringSoon} expiring within 21 days` : null}
            {problems.length > 0 ? ` · ${plural(problems.length, 'server')} could not be scanned` : null}
          </p>
          {loaded && visible.length > 0 ? (
            <ExpiryTimeline certificates={visible} serverName={serverName} now={now} />
          ) : null}
          {loaded && visible.length === 0 && visibleProblems.length === 0 ? (
            <p className="muted no-match">No certificate matches these filters.</p>
          ) : loaded ? (
            <CertificatesTable certificates={visible} problems={visibleProblems} serverName={serverName} now={now} />
          ) : null}
        </>
      )}
    </section>
  );
}
