import { useState } from 'react';
import type { PanelAccount } from '../../../../shared/contract/panels.contract';
import { panelKindLabel } from '../../../../shared/panel-kinds';
import { useStore } from '../../../store';
import { Tabs } from '../../../ui/Tabs';
import { connectPanelServer } from '../../terminal';
import { testPanel } from '../connection-test';
import { BulkSitesDialog } from './BulkSitesDialog';
import { ResourceTable } from './ResourceTable';

/** True when the panel offers bulk site create from CSV (Website Factory). */
function hasBulkSites(panel: PanelAccount, supports: readonly string[]): boolean {
  return supports.some((s) => /^bulk[-_ ]?sites?$/i.test(s)) || panel.kind === 'website-factory';
}

/**
 * One panel: who we are there (identity, role, version, what PanelDeck can do), then its resources as tabs, each
 * a paginated, searchable table. Shown once a connection test answered (the resources come from it).
 */
export function PanelDetail({ panel }: { panel: PanelAccount }): React.JSX.Element {
  const status = useStore((s) => s.panelStatus[panel.id]);
  const [tab, setTab] = useState<string | null>(null);
  const [bulk, setBulk] = useState(false);

  if (status?.state !== 'ok') {
    return (
      <section className="card panel-detail" aria-label={`${panel.name} details`}>
        <h2>{panel.name}</h2>
        <p className="muted">
          {status?.state === 'testing'
            ? 'Signing in…'
            : status
              ? status.message
              : 'Test the connection to see what this panel holds.'}
        </p>
        <button
          type="button"
          className="button primary"
          disabled={status?.state === 'testing'}
          onClick={() => void testPanel(panel.id)}
        >
          Test connection
        </button>
      </section>
    );
  }

  const { identity } = status;
  const kinds = identity.resources;
  const current = kinds.find((k) => k.id === tab) ?? kinds[0];
  return (
    <section className="card panel-detail" aria-label={`${panel.name} details`}>
      <div className="panel-detail-head">
        <h2>{panel.name}</h2>
        <span className="badge">{panelKindLabel(panel.kind)}</span>
        {hasBulkSites(panel, identity.supports) ? (
          <button type="button" className="button spacer" onClick={() => setBulk(true)}>
            Bulk create from CSV
          </button>
        ) : null}
      </div>
      <dl className="facts panel-identity" data-testid="panel-identity">
        <dt>Signed in as</dt>
        <dd data-field="identity">{identity.identity}</dd>
        <dt>Role</dt>
        <dd data-field="role">{identity.role ?? '—'}</dd>
        <dt>Version</dt>
        <dd data-field="version">{identity.version ?? '—'}</dd>
        <dt>PanelDeck can manage</dt>
        <dd data-field="supports">
          {identity.supports.length === 0
            ? 'Nothing yet'
            : identity.supports.map((s) => (
                <span key={s} className="badge">
                  {s}
                </span>
              ))}
        </dd>
      </dl>
      {current ? (
        <>
          <Tabs
            label={`${panel.name} resources`}
            idPrefix={`panel-${panel.id}`}
            tabs={kinds.map((k) => ({ id: k.id, label: k.label }))}
            current={current.id}
            onChange={setTab}
          />
          <div role="tabpanel" id={`panel-${panel.id}-panel`} aria-labelledby={`panel-${panel.id}-tab-${current.id}`}>
            <ResourceTable
              key={`${panel.id}/${current.id}`}
              panelId={panel.id}
              panelName={panel.name}
              kind={current}
              // A panel with a web terminal (NexusPanel) opens it from each of its servers' rows.
              onOpenTerminal={
                current.id === 'servers' && identity.supports.includes('terminal')
                  ? (row, name) => connectPanelServer(panel.id, row.id, name)
                  : undefined
              }
            />
          </div>
        </>
      ) : (
        <p className="muted">This panel lists nothing PanelDeck can show.</p>
      )}
      {bulk ? <BulkSitesDialog panel={panel} onClose={() => setBulk(false)} /> : null}
    </section>
  );
}
