import { useEffect, useState } from 'react';
import type { PanelAccount } from '../../../../shared/contract/panels.contract';
import { panelKindLabel } from '../../../../shared/panel-kinds';
import { client } from '../../../lib/client';
import { plural } from '../../../lib/plural';
import { useStore } from '../../../store';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { testPanel } from '../connection-test';
import type { PanelStatus } from '../slice';
import { PanelDetail } from './PanelDetail';
import { PanelEditorDialog } from './PanelEditorDialog';
import { PanelPrompts } from './PanelPrompts';
import '../panels.css';

type Open = { kind: 'add' } | { kind: 'edit' | 'remove'; panel: PanelAccount } | null;

function StatusBadge({ status }: { status: PanelStatus | undefined }): React.JSX.Element {
  if (!status) return <span className="badge">Not tested</span>;
  switch (status.state) {
    case 'testing':
      return <span className="badge">Testing…</span>;
    case 'ok':
      return (
        <span className="badge ok" title={status.identity.identity}>
          Connected{status.identity.version ? ` · ${status.identity.version}` : ''}
        </span>
      );
    case 'waiting':
      return <span className="badge warn">{status.message}</span>;
    default:
      return (
        <span className="badge danger" title={status.message}>
          Failed
        </span>
      );
  }
}

/**
 * The Panels section (issue 10): hosting panels reached over their HTTP API (CloudPanel API, GhostCP, the Website
 * Factory hub, …). Add one with its address and credential, test the connection (trusting a self-signed
 * certificate, answering a 2FA code), then browse and change what it holds; every write is a previewed plan
 * followed in the operations drawer.
 */
export function PanelsSection(): React.JSX.Element {
  const panels = useStore((s) => s.panels);
  const loaded = useStore((s) => s.panelsLoaded);
  const status = useStore((s) => s.panelStatus);
  const selectedId = useStore((s) => s.selectedPanelId);
  const loadPanels = useStore((s) => s.loadPanels);
  const selectPanel = useStore((s) => s.selectPanel);
  const putPanel = useStore((s) => s.putPanel);
  const dropPanel = useStore((s) => s.dropPanel);
  const setStatus = useStore((s) => s.setPanelStatus);
  const [open, setOpen] = useState<Open>(null);

  useEffect(() => {
    loadPanels().catch(() => undefined);
  }, [loadPanels]);

  const selected = panels.find((p) => p.id === selectedId) ?? null;
  const close = (): void => setOpen(null);
  const select = (p: PanelAccount): void => {
    selectPanel(p.id);
    if (!status[p.id]) void testPanel(p.id);
  };

  return (
    <section className="panels-section" aria-labelledby="panels-title">
      <div className="section-header">
        <h1 id="panels-title">Panels</h1>
        <button type="button" className="button primary" onClick={() => setOpen({ kind: 'add' })}>
          Add panel
        </button>
      </div>
      {loaded && panels.length === 0 ? (
        <div className="empty-card">
          <div className="empty-icon" aria-hidden="true">
            ▦
          </div>
          <h2>No panels yet</h2>
          <p className="muted">
            Add a hosting panel you run (CloudPanel with its API, GhostCP, a Website Factory hub): its sites appear in
            the Sites section beside your servers&apos; ones, and its users, domains, databases and jobs here.
          </p>
          <div className="form-row center">
            <button type="button" className="button primary" onClick={() => setOpen({ kind: 'add' })}>
              Add panel
            </button>
          </div>
        </div>
      ) : (
        <>
          <p className="muted list-count" aria-live="polite">
            {loaded ? plural(panels.length, 'panel') : 'Loading panels…'}
          </p>
          <div className="panel-table-wrap">
            <table className="table panels-table" aria-label="Panels">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Address</th>
                  <th scope="col">Status</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {panels.map((p) => (
                  <tr
                    key={p.id}
                    data-testid="panel-row"
                    data-name={p.name}
                    aria-selected={p.id === selectedId}
                    className={p.id === selectedId ? 'selected' : undefined}
                  >
                    <td>
                      <button type="button" className="link-button" onClick={() => select(p)}>
                        {p.name}
                      </button>
                    </td>
                    <td>{panelKindLabel(p.kind)}</td>
                    <td className="mono panel-url">{p.baseUrl}</td>
                    <td data-testid="panel-status">
                      <StatusBadge status={status[p.id]} />
                      {status[p.id]?.state === 'error' ? (
                        <div className="field-error panel-status-message">
                          {(status[p.id] as { message: string }).message}
                        </div>
                      ) : null}
                    </td>
                    <td className="panel-actions">
                      <button
                        type="button"
                        className="button small"
                        disabled={status[p.id]?.state === 'testing'}
                        aria-label={`Test connection to ${p.name}`}
                        onClick={() => {
                          selectPanel(p.id);
                          void testPanel(p.id);
                        }}
                      >
                        Test connection
                      </button>
                      <button
                        type="button"
                        className="button small"
                        aria-label={`Edit ${p.name}`}
                        onClick={() => setOpen({ kind: 'edit', panel: p })}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="button small ghost"
                        aria-label={`Remove ${p.name}`}
                        onClick={() => setOpen({ kind: 'remove', panel: p })}
                      >
                        Remove
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {selected ? <PanelDetail key={selected.id} panel={selected} /> : null}
        </>
      )}
      {open?.kind === 'add' || open?.kind === 'edit' ? (
        <PanelEditorDialog
          {...(open.kind === 'edit' ? { panel: open.panel } : {})}
          onClose={close}
          onSaved={(p) => {
            close();
            putPanel(p);
            selectPanel(p.id);
            setStatus(p.id, null);
            // A new or changed panel is tested right away: the certificate and 2FA questions come now.
            void testPanel(p.id);
          }}
        />
      ) : null}
      {open?.kind === 'remove' ? (
        <ConfirmDialog
          title={`Remove ${open.panel.name}?`}
          confirmLabel="Remove panel"
          danger
          onClose={close}
          onConfirm={async () => {
            await client.call('panels.remove', { id: open.panel.id }, { expected: 'all' });
            dropPanel(open.panel.id);
          }}
        >
          <p>
            PanelDeck forgets this panel and its trusted certificate. Nothing changes on the panel itself, and its
            credential stays in the vault.
          </p>
        </ConfirmDialog>
      ) : null}
      <PanelPrompts />
    </section>
  );
}
