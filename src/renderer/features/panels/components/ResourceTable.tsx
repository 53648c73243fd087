import { useEffect, useState } from 'react';
import type { PanelResourceKind, PanelRow } from '../../../../shared/contract/panels.contract';
import { client } from '../../../lib/client';
import { errorMessage } from '../../../lib/errors';
import { plural } from '../../../lib/plural';
import { ResourceCreateDialog } from './ResourceCreateDialog';
import { ResourcePlanDialog } from './ResourcePlanDialog';

const PAGE_SIZE = 25;
const FINAL = new Set(['succeeded', 'failed', 'rolled_back', 'cancelled', 'interrupted']);

type Open =
  | { kind: 'create' }
  | { kind: 'delete'; row: PanelRow }
  | { kind: 'action'; row: PanelRow; action: PanelResourceKind['actions'][number] }
  | null;

function cell(v: PanelRow['cells'][string] | undefined): string {
  if (v === null || v === undefined || v === '') return '—';
  if (typeof v === 'boolean') return v ? 'Yes' : 'No';
  return String(v);
}

/** The row's name for dialogs and button labels: its first column's value, else its id. */
function rowName(kind: PanelResourceKind, row: PanelRow): string {
  const first = kind.columns[0];
  const v = first ? row.cells[first.key] : undefined;
  return v === null || v === undefined || v === '' ? row.id : String(v);
}

interface ResourceTableProps {
  readonly panelId: string;
  readonly panelName: string;
  readonly kind: PanelResourceKind;
  /** When set, each row has "Open terminal" (a panel server's web terminal in a Terminal tab). */
  readonly onOpenTerminal?: ((row: PanelRow, name: string) => void) | undefined;
}

/**
 * One kind of thing a panel holds, a page at a time (panels.resources.list page/pageSize/search), with its create
 * dialog, delete and row actions through previewed plans. Reloads when an operation on this panel ends.
 */
export function ResourceTable({ panelId, panelName, kind, onOpenTerminal }: ResourceTableProps): React.JSX.Element {
  const [page, setPage] = useState(1);
  const [query, setQuery] = useState('');
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState<PanelRow[] | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The request the table shows the answer of; loading while the current one has not answered yet.
  const [answered, setAnswered] = useState('');
  const [reload, setReload] = useState(0);
  const [open, setOpen] = useState<Open>(null);

  // The search is sent once typing pauses (one request per word, not per key).
  useEffect(() => {
    const t = setTimeout(() => {
      setSearch(query.trim());
      setPage(1);
    }, 300);
    return () => clearTimeout(t);
  }, [query]);

  const request = JSON.stringify([panelId, kind.id, page, search, reload]);
  const loading = answered !== request;
  useEffect(() => {
    let live = true;
    client
      .call(
        'panels.resources.list',
        { id: panelId, resource: kind.id, page, pageSize: PAGE_SIZE, ...(search ? { search } : {}) },
        { expected: 'all' },
      )
      .then(
        (r) => {
          if (!live) return;
          setRows(r.items);
          setTotal(r.total);
          setError(null);
        },
        (e: unknown) => live && setError(errorMessage(e)),
      )
      .finally(() => live && setAnswered(request));
    return () => {
      live = false;
    };
  }, [panelId, kind.id, page, search, reload, request]);

  useEffect(
    () =>
      client.on('operations.changed', (op) => {
        if (op.serverId === panelId && FINAL.has(op.state)) setReload((n) => n + 1);
      }),
    [panelId],
  );

  const pages = total === null ? null : Math.max(1, Math.ceil(total / PAGE_SIZE));
  const hasNext = pages === null ? (rows?.length ?? 0) === PAGE_SIZE : page < pages;
  const singular = kind.label.replace(/s$/, '').toLowerCase();
  const hasActions = kind.canDelete || kind.actions.length > 0 || onOpenTerminal !== undefined;

  return (
    <div className="panel-resource" data-testid={`resource-${kind.id}`}>
      <div className="toolbar">
        {kind.searchable ? (
          <>
            <label className="visually-hidden" htmlFor={`search-${kind.id}`}>
              Search {kind.label.toLowerCase()}
            </label>
            <input
              id={`search-${kind.id}`}
              className="input search"
              type="search"
              placeholder={`Search ${kind.label.toLowerCase()}…`}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
            />
          </>
        ) : null}
        <button type="button" className="button" disabled={loading} onClick={() => setReload((n) => n + 1)}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
        {kind.fields.length > 0 ? (
          <button type="button" className="button primary" onClick={() => setOpen({ kind: 'create' })}>
            Create {singular}
          </button>
        ) : null}
      </div>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <p className="muted list-count" aria-live="polite" data-testid="resource-count">
        {rows === null
          ? `Loading ${kind.label.toLowerCase()}…`
          : total !== null
            ? `${plural(total, singular)}${search ? ` match “${search}”` : ''}`
            : `${plural(rows.length, singular)} on this page`}
      </p>
      {rows && rows.length > 0 ? (
        <div className="panel-table-wrap">
          <table className="table panel-table" aria-label={kind.label}>
            <thead>
              <tr>
                {kind.columns.map((c) => (
                  <th key={c.key} scope="col">
                    {c.label}
                  </th>
                ))}
                {hasActions ? (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id} data-testid="resource-row" data-id={r.id}>
                  {kind.columns.map((c) => (
                    <td key={c.key}>{cell(r.cells[c.key])}</td>
                  ))}
                  {hasActions ? (
                    <td className="panel-actions">
                      {onOpenTerminal ? (
                        <button
                          type="button"
                          className="button small"
                          aria-label={`Open terminal on ${rowName(kind, r)}`}
                          onClick={() => onOpenTerminal(r, rowName(kind, r))}
                        >
                          Open terminal
                        </button>
                      ) : null}
                      {kind.actions.map((a) => (
                        <button
                          key={a.id}
                          type="button"
                          className="button small"
                          aria-label={`${a.label} ${rowName(kind, r)}`}
                          onClick={() => setOpen({ kind: 'action', row: r, action: a })}
                        >
                          {a.label}
                        </button>
                      ))}
                      {kind.canDelete ? (
                        <button
                          type="button"
                          className="button small ghost"
                          aria-label={`Delete ${rowName(kind, r)}`}
                          onClick={() => setOpen({ kind: 'delete', row: r })}
                        >
                          Delete
                        </button>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : rows ? (
        <p className="muted no-match">
          {search ? `No ${kind.label.toLowerCase()} match “${search}”.` : `No ${kind.label.toLowerCase()} yet.`}
        </p>
      ) : null}
      {rows && (page > 1 || hasNext) ? (
        <nav className="pager" aria-label={`${kind.label} pages`}>
          <button
            type="button"
            className="button small"
            disabled={page <= 1 || loading}
            onClick={() => setPage(page - 1)}
          >
            Previous
          </button>
          <span className="muted" data-testid="resource-page">
            Page {page}
            {pages !== null ? ` of ${pages}` : ''}
          </span>
          <button
            type="button"
            className="button small"
            disabled={!hasNext || loading}
            onClick={() => setPage(page + 1)}
          >
            Next
          </button>
        </nav>
      ) : null}
      {open?.kind === 'create' ? (
        <ResourceCreateDialog panelId={panelId} panelName={panelName} kind={kind} onClose={() => setOpen(null)} />
      ) : null}
      {open?.kind === 'delete' ? (
        <ResourcePlanDialog
          title={`Delete ${rowName(kind, open.row)}?`}
          applyLabel={`Delete ${singular}`}
          danger
          makePlan={async () =>
            (
              await client.call(
                'panels.resources.delete',
                { id: panelId, resource: kind.id, itemId: open.row.id, dryRun: true },
                { expected: 'all' },
              )
            ).plan
          }
          onClose={() => setOpen(null)}
        >
          <p>
            This deletes <strong>{rowName(kind, open.row)}</strong> on {panelName}. The panel may not keep a copy.
          </p>
        </ResourcePlanDialog>
      ) : null}
      {open?.kind === 'action' ? (
        <ResourcePlanDialog
          title={`${open.action.label} ${rowName(kind, open.row)}?`}
          applyLabel={open.action.label}
          danger={open.action.confirm}
          makePlan={async () =>
            (
              await client.call(
                'panels.resources.action',
                { id: panelId, resource: kind.id, itemId: open.row.id, action: open.action.id, dryRun: true },
                { expected: 'all' },
              )
            ).plan
          }
          onClose={() => setOpen(null)}
        />
      ) : null}
    </div>
  );
}
