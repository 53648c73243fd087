import { useEffect, useState } from 'react';
import type { ForwardInfo } from '../../../../shared/contract/forwards.contract';
import { client } from '../../../lib/client';
import { errorMessage } from '../../../lib/errors';
import { useStore } from '../../../store';

type Bind = '127.0.0.1' | '0.0.0.0';

function NewForward({ defaultServerId }: { defaultServerId: string }): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  const [serverId, setServerId] = useState(defaultServerId);
  const [kind, setKind] = useState<'local' | 'dynamic'>('local');
  const [bindPort, setBindPort] = useState('0');
  const [bindHost, setBindHost] = useState<Bind>('127.0.0.1');
  const [dest, setDest] = useState('127.0.0.1:80');
  const [error, setError] = useState<string | null>(null);
  const start = async (): Promise<void> => {
    setError(null);
    const port = Number(bindPort || '0');
    try {
      if (kind === 'local') {
        const m = /^(.+):(\d+)$/.exec(dest.trim());
        if (!m?.[1] || !m[2]) return setError('Destination must be host:port, e.g. 127.0.0.1:5432.');
        const destHost = m[1].replace(/^\[(.*)\]$/, '$1');
        await client.call(
          'forwards.start',
          { kind, serverId, bindHost, bindPort: port, destHost, destPort: Number(m[2]) },
          { expected: 'all' }, // shown on the form's own error line, never again as a toast
        );
      } else {
        await client.call(
          'forwards.start',
          { kind, serverId, bindHost, bindPort: port },
          { expected: 'all' }, // shown on the form's own error line, never again as a toast
        );
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  return (
    <form
      className="forward-form"
      aria-label="New forward"
      onSubmit={(e) => {
        e.preventDefault();
        void start();
      }}
    >
      <label>
        Server
        <select className="select" value={serverId} onChange={(e) => setServerId(e.target.value)}>
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Kind
        <select className="select" value={kind} onChange={(e) => setKind(e.target.value as 'local' | 'dynamic')}>
          <option value="local">Local (-L): a local port to a host:port behind the server</option>
          <option value="dynamic">Dynamic (-D): a SOCKS5 proxy through the server</option>
        </select>
      </label>
      <label>
        Local port (0 = pick a free one)
        <input className="input" inputMode="numeric" value={bindPort} onChange={(e) => setBindPort(e.target.value)} />
      </label>
      {kind === 'local' ? (
        <label>
          Destination (as seen from the server)
          <input className="input mono" value={dest} onChange={(e) => setDest(e.target.value)} />
        </label>
      ) : null}
      <label className="check">
        <input
          type="checkbox"
          checked={bindHost === '0.0.0.0'}
          onChange={(e) => setBindHost(e.target.checked ? '0.0.0.0' : '127.0.0.1')}
        />
        Listen on all interfaces (0.0.0.0)
      </label>
      {bindHost === '0.0.0.0' ? (
        <p className="warn-note" role="alert">
          Anyone who can reach this computer on the network can use this forward
          {kind === 'dynamic' ? ' as a proxy into your server’s network' : ''}. Keep the default (this computer only)
          unless you mean it.
        </p>
      ) : null}
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button small primary" disabled={!serverId}>
        Start forward
      </button>
    </form>
  );
}

/** Port forwards: start local / SOCKS forwards on a server, see live connection counts, stop them. */
export function ForwardsPanel(): React.JSX.Element {
  const [forwards, setForwards] = useState<ForwardInfo[]>([]);
  const servers = useStore((s) => s.servers);
  const activeServer = useStore((s) => {
    const tab = s.termTabs.find((t) => t.id === s.activeTermTabId);
    return tab ? s.termPanes[tab.focusedPaneId]?.serverId : undefined;
  });
  useEffect(() => {
    const off = client.on('forwards.changed', (p) => setForwards(p.forwards));
    client
      .call('forwards.list', {})
      .then(setForwards)
      .catch(() => undefined);
    return off;
  }, []);
  const name = (id: string): string => servers.find((s) => s.id === id)?.name ?? 'unknown server';
  return (
    <aside className="term-side" aria-label="Port forwards">
      <div className="term-side-head">
        <h2>Port forwards</h2>
      </div>
      <NewForward key={activeServer ?? servers[0]?.id ?? ''} defaultServerId={activeServer ?? servers[0]?.id ?? ''} />
      <ul className="forward-list">
        {forwards.map((f) => (
          <li key={f.id} data-testid="forward-row">
            <div>
              <strong>{f.kind === 'local' ? '-L' : '-D'}</strong>{' '}
              <code className={f.bindHost === '127.0.0.1' || f.bindHost === '::1' ? '' : 'danger-text'}>
                {f.bindHost}:{f.bindPort}
              </code>
              {f.kind === 'local' ? (
                <>
                  {' → '}
                  <code>
                    {f.destHost}:{f.destPort}
                  </code>
                </>
              ) : (
                ' SOCKS5'
              )}{' '}
              <span className="muted">via {name(f.targetId)}</span>
            </div>
            <div className="muted small">
              {f.connections} open · {f.totalConnections} total
            </div>
            <button
              type="button"
              className="button small"
              onClick={() => void client.call('forwards.stop', { id: f.id }).catch(() => undefined)}
            >
              Stop
            </button>
          </li>
        ))}
        {forwards.length === 0 ? <li className="muted">No active forwards.</li> : null}
      </ul>
    </aside>
  );
}
