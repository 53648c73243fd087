import { useState } from 'react';
import type { AlertRule } from '../../../../shared/contract/alerts.contract';
import { useStore } from '../../../store';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { describeRule, SEVERITY_TONE } from '../alert-view';
import { RuleEditorDialog } from './RuleEditorDialog';

/** The alert rules: what each watches, where, how severe; add, edit, delete. */
export function RulesList(): React.JSX.Element {
  const rules = useStore((s) => s.alertRules);
  const servers = useStore((s) => s.servers);
  const remove = useStore((s) => s.deleteAlertRule);
  const [editing, setEditing] = useState<AlertRule | 'new' | null>(null);
  const [deleting, setDeleting] = useState<AlertRule | null>(null);
  const scope = (r: AlertRule): string =>
    r.scope.kind === 'all'
      ? 'all servers'
      : r.scope.kind === 'tag'
        ? `tag ${r.scope.tag}`
        : (servers.find((s) => s.id === (r.scope as { serverId: string }).serverId)?.name ?? 'a removed server');
  return (
    <section className="alert-rules" aria-labelledby="alert-rules-title">
      <div className="section-header">
        <h2 id="alert-rules-title">Rules</h2>
        <button type="button" className="button primary" onClick={() => setEditing('new')}>
          New rule
        </button>
      </div>
      {rules.length === 0 ? (
        <p className="muted">No rule yet: add one, e.g. “CPU busy above 80 % for 5 min on all servers”.</p>
      ) : (
        <table className="table" aria-label="Alert rules">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Condition</th>
              <th scope="col">Applies to</th>
              <th scope="col">Severity</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.map((r) => (
              <tr key={r.id} data-testid="alert-rule" data-name={r.name}>
                <td>
                  {r.name}
                  {r.enabled ? null : <span className="muted"> (off)</span>}
                </td>
                <td>{describeRule(r)}</td>
                <td>{scope(r)}</td>
                <td>
                  <span className={`badge ${SEVERITY_TONE[r.severity]}`}>{r.severity}</span>
                </td>
                <td className="alert-rule-actions">
                  <button type="button" className="button small ghost" onClick={() => setEditing(r)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button small ghost"
                    aria-label={`Delete rule ${r.name}`}
                    onClick={() => setDeleting(r)}
                  >
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? <RuleEditorDialog rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <ConfirmDialog
          title={`Delete rule ${deleting.name}?`}
          confirmLabel="Delete rule"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={() => remove(deleting.id)}
        >
          <p>Its open alerts resolve.</p>
        </ConfirmDialog>
      ) : null}
    </section>
  );
}
