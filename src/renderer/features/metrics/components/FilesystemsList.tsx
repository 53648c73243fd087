import { formatBytes } from '../format';
import type { LiveSample } from '../metrics-types';

/** Disk usage per mount from the newest sample: a meter per filesystem, fullest first. */
export function FilesystemsList({ filesystems }: { filesystems: LiveSample['filesystems'] | null }): React.JSX.Element {
  const rows = [...(filesystems ?? [])].sort((a, b) => b.usedBytes / b.sizeBytes - a.usedBytes / a.sizeBytes);
  return (
    <figure className="metrics-chart metrics-fs" data-testid="chart-filesystems" aria-label="Disk usage per mount">
      <figcaption className="metrics-chart-caption">
        <span>Disk usage per mount (now)</span>
      </figcaption>
      {rows.length === 0 ? (
        <p className="muted metrics-chart-empty">Waiting for the first sample…</p>
      ) : (
        <ul className="metrics-fs-list">
          {rows.map((f) => {
            const used = f.sizeBytes > 0 ? (f.usedBytes / f.sizeBytes) * 100 : 0;
            const tone = used >= 90 ? 'danger' : used >= 75 ? 'warn' : 'ok';
            return (
              <li key={f.mount} data-testid="filesystem" data-mount={f.mount}>
                <code className="metrics-fs-mount">{f.mount}</code>
                <meter
                  className={`metrics-meter ${tone}`}
                  min={0}
                  max={100}
                  low={75}
                  high={90}
                  optimum={0}
                  value={used}
                  aria-label={`${f.mount} used`}
                />
                <span className="metrics-fs-figures">
                  {used.toFixed(0)} % · {formatBytes(f.usedBytes)} of {formatBytes(f.sizeBytes)}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </figure>
  );
}
