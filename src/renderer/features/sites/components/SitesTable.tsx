import { useState } from 'react';
import type { Site } from '../../../../shared/contract/sites.contract';
import { HttpsDialog } from '../../certificates';
import type { SiteProblem } from '../slice';
import { KIND_LABEL, sourceLabel } from './SiteFilters';

interface SitesTableProps {
  readonly sites: readonly Site[];
  readonly problems: readonly SiteProblem[];
  readonly serverName: (id: string) => string;
  readonly onToggle: (site: Site) => void;
  readonly onDelete: (site: Site) => void;
}

/**
 * The fleet-wide sites table. A server that could not be read is a row of its own saying why, so a missing
 * server never looks like a server without sites.
 */
export function SitesTable({ sites, problems, serverName, onToggle, onDelete }: SitesTableProps): React.JSX.Element {
  // The HTTPS dialog (certificates feature) for a PanelDeck site still on plain HTTP.
  const [https, setHttps] = useState<Site | null>(null);
  return (
    <div className="sites-table-wrap">
      <table className="table sites-table" aria-label="Sites">
        <thead>
          <tr>
            <th scope="col">Domain</th>
            <th scope="col">Server / panel</th>
            <th scope="col">Source</th>
            <th scope="col">Kind</th>
            <th scope="col">TLS</th>
            <th scope="col">Status</th>
            <th scope="col">Made by</th>
            <th scope="col">Root / upstream</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {problems.map((p) => (
            <tr key={`problem-${p.serverId}`} className="site-problem" data-testid="site-problem">
              <td colSpan={9}>
                <span className="badge danger">Not read</span> <strong>{serverName(p.serverId)}</strong>: {p.message}
              </td>
            </tr>
          ))}
          {sites.map((s) => (
            <tr
              key={`${s.serverId}/${s.domain}`}
              data-testid="site-row"
              data-domain={s.domain}
              className={s.enabled ? undefined : 'site-disabled'}
            >
              <td>
                <div className="site-domain">{s.domain}</div>
                {s.aliases.length > 0 ? <div className="site-aliases muted">{s.aliases.join(', ')}</div> : null}
              </td>
              <td data-testid="site-server">{serverName(s.serverId)}</td>
              <td className="site-source" data-testid="site-source">
                {sourceLabel(s.source)}
              </td>
              <td>
                {KIND_LABEL[s.kind]}
                {s.phpVersion ? <span className="muted"> {s.phpVersion}</span> : null}
              </td>
              <td>{s.tls ? <span className="badge ok">HTTPS</span> : <span className="badge">HTTP</span>}</td>
              <td>
                {s.enabled ? <span className="badge ok">Enabled</span> : <span className="badge warn">Disabled</span>}
              </td>
              <td>
                {s.managed ? (
                  <span className="badge" title="Written by PanelDeck">
                    PanelDeck
                  </span>
                ) : s.source !== 'linux-ssh' ? (
                  <span className="badge" title="Listed by the panel">
                    Panel
                  </span>
                ) : (
                  <span className="badge" title="Found in the server's nginx configuration">
                    By hand
                  </span>
                )}
              </td>
              <td className="site-target">
                <code>{s.upstream ?? s.root ?? '—'}</code>
              </td>
              <td className="site-actions">
                {s.managed && !s.tls ? (
                  <button
                    type="button"
                    className="button small"
                    onClick={() => setHttps(s)}
                    aria-label={`HTTPS for ${s.domain}`}
                  >
                    HTTPS…
                  </button>
                ) : null}
                <button
                  type="button"
                  className="button small"
                  onClick={() => onToggle(s)}
                  aria-label={`${s.enabled ? 'Disable' : 'Enable'} ${s.domain}`}
                >
                  {s.enabled ? 'Disable' : 'Enable'}
                </button>
                <button
                  type="button"
                  className="button small ghost"
                  onClick={() => onDelete(s)}
                  aria-label={`Delete ${s.domain}`}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {https ? (
        <HttpsDialog site={https} serverName={serverName(https.serverId)} onClose={() => setHttps(null)} />
      ) : null}
    </div>
  );
}
