import { useState } from 'react';
import type { Certificate } from '../../../../shared/contract/certificates.contract';
import { plural } from '../../../lib/plural';
import { daysLeft, isoDay, issuerName, urgency } from '../inventory-view';
import type { CertificateProblem } from '../slice';
import { STATE_LABEL } from './CertificateFilters';
import { RenewDialog } from './RenewDialog';

interface CertificatesTableProps {
  readonly certificates: readonly Certificate[];
  readonly problems: readonly CertificateProblem[];
  readonly serverName: (id: string) => string;
  /** Now (ms), passed in so the table and the chart agree on "days left". */
  readonly now: number;
}

function daysText(days: number): string {
  if (days < 0) return `expired ${plural(-days, 'day')} ago`;
  if (days === 0) return 'less than a day left';
  return `${plural(days, 'day')} left`;
}

/** The state badge; a mismatch names the domains whose served certificate is not this file. */
function StateBadge({ cert }: { cert: Certificate }): React.JSX.Element {
  const tone = { valid: 'ok', expiring: 'warn', expired: 'danger', mismatch: 'danger' }[cert.state];
  const off = cert.served.filter((s) => !s.matches).map((s) => s.domain);
  const title =
    cert.state === 'mismatch'
      ? `The server serves another certificate for ${off.join(', ') || 'one of its domains'} (renewed but not reloaded?)`
      : undefined;
  return (
    <span className={`badge ${tone}`} title={title} data-testid="cert-state">
      {STATE_LABEL[cert.state]}
    </span>
  );
}

/**
 * The fleet-wide certificate table, soonest expiry first. A server the last scan could not read is a row of its
 * own saying why, so a missing server never looks like a server without certificates.
 */
export function CertificatesTable({
  certificates,
  problems,
  serverName,
  now,
}: CertificatesTableProps): React.JSX.Element {
  const [renewing, setRenewing] = useState<Certificate | null>(null);
  return (
    <div className="sites-table-wrap">
      <table className="table certs-table" aria-label="Certificates">
        <thead>
          <tr>
            <th scope="col">Domains</th>
            <th scope="col">Server</th>
            <th scope="col">Issuer</th>
            <th scope="col">Expires</th>
            <th scope="col">State</th>
            <th scope="col">Source</th>
            <th scope="col">Renewal</th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr key={`problem-${p.serverId}`} className="site-problem" data-testid="cert-problem">
              <td colSpan={7}>
                <span className="badge danger">Not scanned</span> <strong>{serverName(p.serverId)}</strong>: {p.message}
              </td>
            </tr>
          ))}
          {certificates.map((c) => {
            const days = daysLeft(c.notAfter, now);
            const names = c.domains.length > 0 ? c.domains : c.sans;
            const extra = c.sans.filter((n) => !names.includes(n));
            return (
              <tr key={c.id} data-testid="cert-row" data-domain={names[0] ?? c.subject}>
                <td>
                  <div className="site-domain">{names.join(', ') || c.subject}</div>
                  {extra.length > 0 ? <div className="site-aliases muted">also {extra.join(', ')}</div> : null}
                  <div className="cert-path muted">
                    <code>{c.path}</code>
                  </div>
                </td>
                <td>{serverName(c.serverId)}</td>
                <td title={c.issuer}>{issuerName(c.issuer)}</td>
                <td
                  className={`cert-expiry cert-${urgency(c.notAfter, now)}`}
                  title={new Date(c.notAfter).toISOString()}
                  data-testid="cert-expiry"
                >
                  <div className="cert-expiry-date">{isoDay(c.notAfter)}</div>
                  <div className="cert-days">{daysText(days)}</div>
                </td>
                <td>
                  <StateBadge cert={c} />
                </td>
                <td>{c.source === 'letsencrypt' ? '/etc/letsencrypt' : 'nginx'}</td>
                <td>
                  {c.renewal ? (
                    <div className="cert-renewal">
                      <span className="badge ok" title={`${c.renewal.directoryUrl} (${c.renewal.email})`}>
                        ACME, by PanelDeck
                      </span>
                      {c.domains[0] ? (
                        <button
                          type="button"
                          className="button small ghost"
                          onClick={() => setRenewing(c)}
                          aria-label={`Renew the certificate of ${c.domains[0]}`}
                        >
                          Renew…
                        </button>
                      ) : null}
                    </div>
                  ) : (
                    <span className="muted">Manual</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {renewing ? <RenewDialog cert={renewing} onClose={() => setRenewing(null)} /> : null}
    </div>
  );
}
