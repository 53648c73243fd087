import { useEffect } from 'react';
import { useStore } from '../../../store';

/** Shows app.info and app.health as the core reports them. */
export function AboutPanel(): React.JSX.Element {
  const info = useStore((s) => s.info);
  const health = useStore((s) => s.health);
  const load = useStore((s) => s.loadAbout);

  useEffect(() => {
    load().catch(() => undefined); // failures already raised a toast
  }, [load]);

  if (!info) return <p className="muted">Asking the core…</p>;
  const rows: [string, string][] = [
    ['Version', info.version],
    ['Data directory', info.dataDir],
    ['Platform', `${info.platform} (${info.arch})`],
    ['Node.js', info.node],
    ['Electron', info.electron ?? 'not running in Electron'],
    ['Connected through', info.transport === 'web' ? 'loopback WebSocket host' : info.transport],
  ];
  return (
    <section className="panel" aria-labelledby="about-title">
      <h1 id="about-title">About {info.name}</h1>
      <dl className="facts" data-testid="app-info">
        {rows.map(([k, v]) => (
          <div key={k}>
            <dt>{k}</dt>
            <dd data-field={k}>{v}</dd>
          </div>
        ))}
      </dl>
      {health ? (
        <>
          <h2>Health</h2>
          <ul className="checks" data-testid="app-health">
            {health.checks.map((c) => (
              <li key={c.name} className={c.ok ? 'ok' : 'bad'}>
                <span aria-hidden="true">{c.ok ? '✓' : '✗'}</span> {c.name}: {c.detail}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <button type="button" className="button" onClick={() => void load().catch(() => undefined)}>
        Check again
      </button>
    </section>
  );
}
