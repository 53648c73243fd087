import { useState } from 'react';
import type { Output } from '../../../../shared/contract';
import type { PanelAccount } from '../../../../shared/contract/panels.contract';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';
import { client } from '../../../lib/client';
import { errorMessage } from '../../../lib/errors';
import { plural } from '../../../lib/plural';
import { useStore } from '../../../store';
import { Dialog } from '../../../ui/Dialog';
import { PlanApply } from '../../sites';
import { PANEL_PLAN_NOTE } from './ResourcePlanDialog';

type Preview = Output<'panels.bulkSites.preview'>;

/** The operation's state and its log lines (the per-row results), live from the journal events. */
function BulkResults({ operationId }: { operationId: string }): React.JSX.Element {
  const op = useStore((s) => s.operations.find((o) => o.id === operationId));
  const detail = useStore((s) => s.opDetails[operationId]);
  const lines = op ? op.steps.flatMap((st) => detail?.logs[st.id] ?? []) : [];
  return (
    <div className="bulk-results" data-testid="bulk-results">
      <p>
        <strong>{op?.title ?? 'Bulk create'}</strong>: <span data-testid="bulk-state">{op?.state ?? 'queued'}</span>
        {op ? ` · ${Math.round(op.progress * 100)}%` : null}
      </p>
      {op?.error ? <p className="form-error">{op.error}</p> : null}
      <pre className="plan-commands" aria-label="Per-row results">
        {lines.length > 0 ? lines.join('\n') : 'Waiting for the first results…'}
      </pre>
    </div>
  );
}

/**
 * Bulk site create from CSV (Website Factory): pick a file or paste, check every row before anything is sent
 * (panels.bulkSites.preview: per-row errors), then create the valid rows (chunked to the panel's bulk limit by the
 * core) as one operation, with the per-row results as they come.
 */
export function BulkSitesDialog({ panel, onClose }: { panel: PanelAccount; onClose: () => void }): React.JSX.Element {
  const [csv, setCsv] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [plan, setPlan] = useState<PlanPreview | null>(null);
  const [operationId, setOperationId] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (fn: () => Promise<void>): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await fn();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const check = (): Promise<void> =>
    run(async () =>
      setPreview(await client.call('panels.bulkSites.preview', { id: panel.id, csv }, { expected: 'all' })),
    );
  const plan_ = (): Promise<void> =>
    run(async () => {
      const r = await client.call('panels.bulkSites.create', { id: panel.id, csv, dryRun: true }, { expected: 'all' });
      setPlan(r.plan);
    });

  const title = `Bulk create sites on ${panel.name}`;
  if (operationId) {
    return (
      <Dialog title={title} onClose={onClose} className="dialog-wide plan-dialog">
        <BulkResults operationId={operationId} />
        <div className="dialog-actions">
          <button type="button" className="button primary" onClick={onClose} data-autofocus>
            Close
          </button>
        </div>
      </Dialog>
    );
  }
  if (plan) {
    return (
      <Dialog title={`${title}: review the plan`} onClose={onClose} className="dialog-wide plan-dialog">
        <PlanApply
          plan={plan}
          applyLabel={`Create ${plural(preview?.valid ?? 0, 'site')}`}
          note={PANEL_PLAN_NOTE}
          onBack={() => setPlan(null)}
          onCancel={onClose}
          onApplied={(id) => setOperationId(id)}
        />
      </Dialog>
    );
  }
  const invalid = preview ? preview.rows.filter((r) => r.errors.length > 0) : [];
  return (
    <Dialog title={title} onClose={onClose} className="dialog-wide plan-dialog">
      <div className="form">
        <div className="field stacked">
          <label htmlFor="bulk-file">CSV file</label>
          <input
            id="bulk-file"
            type="file"
            accept=".csv,text/csv,text/plain"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file)
                void file.text().then((t) => {
                  setCsv(t);
                  setPreview(null);
                });
            }}
          />
        </div>
        <div className="field stacked">
          <label htmlFor="bulk-csv">Or paste the CSV</label>
          <textarea
            id="bulk-csv"
            className="textarea mono"
            rows={8}
            spellCheck={false}
            value={csv}
            placeholder={'domain,template\nshop.example.com,wordpress'}
            onChange={(e) => {
              setCsv(e.target.value);
              setPreview(null);
            }}
          />
        </div>
        {preview ? (
          <div data-testid="bulk-preview">
            <p aria-live="polite">
              <strong>{plural(preview.valid, 'valid row')}</strong> of {preview.rows.length}
              {invalid.length > 0 ? ` · ${plural(invalid.length, 'row')} will not be sent` : null}
            </p>
            <div className="panel-table-wrap bulk-table">
              <table className="table" aria-label="Rows">
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    {preview.columns.map((c) => (
                      <th key={c} scope="col">
                        {c}
                      </th>
                    ))}
                    <th scope="col">Check</th>
                  </tr>
                </thead>
                <tbody>
                  {preview.rows.map((r) => (
                    <tr
                      key={r.line}
                      data-testid="bulk-row"
                      className={r.errors.length > 0 ? 'bulk-invalid' : undefined}
                    >
                      <td>{r.line}</td>
                      {preview.columns.map((c) => (
                        <td key={c}>{r.values[c] ?? ''}</td>
                      ))}
                      <td>
                        {r.errors.length === 0 ? (
                          <span className="badge ok">OK</span>
                        ) : (
                          r.errors.map((er) => (
                            <div key={`${er.field}:${er.message}`} className="field-error">
                              {er.field}: {er.message}
                            </div>
                          ))
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ) : null}
        <p className="form-error" role="alert">
          {error}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="button" disabled={busy || csv.trim() === ''} onClick={() => void check()}>
            Check rows
          </button>
          <button
            type="button"
            className="button primary"
            disabled={busy || !preview || preview.valid === 0}
            onClick={() => void plan_()}
          >
            {preview ? `Create ${plural(preview.valid, 'valid site')}…` : 'Create…'}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
