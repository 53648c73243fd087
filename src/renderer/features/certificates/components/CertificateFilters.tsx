import type { CertificateState } from '../../../../shared/contract/certificates.contract';
import { useStore } from '../../../store';

/** What each inventory state reads as in the table and the filter. */
export const STATE_LABEL: Record<CertificateState, string> = {
  valid: 'Valid',
  expiring: 'Expiring',
  expired: 'Expired',
  mismatch: 'Served ≠ on disk',
};

/** Search plus server and state menus; choosing a server is the per-server view. */
export function CertificateFilters(): React.JSX.Element {
  const filter = useStore((s) => s.certificateFilter);
  const servers = useStore((s) => s.servers);
  const setFilter = useStore((s) => s.setCertificateFilter);
  const active = Boolean(filter.query || filter.serverId || filter.state);
  return (
    <div className="toolbar" role="search" aria-label="Filter certificates">
      <label className="visually-hidden" htmlFor="cert-search">
        Search certificates
      </label>
      <input
        id="cert-search"
        className="input search"
        type="search"
        placeholder="Search domain, issuer, path…"
        value={filter.query}
        onChange={(e) => setFilter({ query: e.target.value })}
      />
      <label className="visually-hidden" htmlFor="cert-server">
        Server
      </label>
      <select
        id="cert-server"
        className="select"
        value={filter.serverId}
        onChange={(e) => setFilter({ serverId: e.target.value })}
      >
        <option value="">All servers</option>
        {servers.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <label className="visually-hidden" htmlFor="cert-state">
        State
      </label>
      <select
        id="cert-state"
        className="select"
        value={filter.state}
        onChange={(e) => setFilter({ state: e.target.value as CertificateState | '' })}
      >
        <option value="">All states</option>
        {(Object.keys(STATE_LABEL) as CertificateState[]).map((k) => (
          <option key={k} value={k}>
            {STATE_LABEL[k]}
          </option>
        ))}
      </select>
      {active ? (
        <button
          type="button"
          className="button ghost"
          onClick={() => setFilter({ query: '', serverId: '', state: '' })}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}
