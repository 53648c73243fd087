import { useState } from 'react';
import {
  AlertMetric,
  AlertSeverity,
  type AlertRule,
  type AlertRuleFields,
  type AlertScope,
} from '../../../../shared/contract/alerts.contract';
import { fieldErrors, errorMessage, type FieldErrors } from '../../../lib/errors';
import { useStore } from '../../../store';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { METRIC_INFO } from '../alert-view';

type ScopeKind = AlertScope['kind'];

interface Draft {
  name: string;
  metric: AlertMetric;
  condition: '>' | '<';
  threshold: string;
  forSeconds: string;
  severity: AlertSeverity;
  scope: ScopeKind;
  serverId: string;
  tag: string;
  enabled: boolean;
}

function draftOf(rule: AlertRule | null): Draft {
  return {
    name: rule?.name ?? '',
    metric: rule?.metric ?? 'cpu',
    condition: rule?.condition ?? '>',
    threshold: String(rule?.threshold ?? 80),
    forSeconds: String(rule?.forSeconds ?? 300),
    severity: rule?.severity ?? 'warning',
    scope: rule?.scope.kind ?? 'all',
    serverId: rule?.scope.kind === 'server' ? rule.scope.serverId : '',
    tag: rule?.scope.kind === 'tag' ? rule.scope.tag : '',
    enabled: rule?.enabled ?? true,
  };
}

function fieldsOf(d: Draft): AlertRuleFields {
  const scope: AlertScope =
    d.scope === 'server'
      ? { kind: 'server', serverId: d.serverId }
      : d.scope === 'tag'
        ? { kind: 'tag', tag: d.tag }
        : { kind: 'all' };
  return {
    name: d.name,
    metric: d.metric,
    condition: d.condition,
    threshold: Number(d.threshold),
    forSeconds: Number(d.forSeconds),
    severity: d.severity,
    scope,
    enabled: d.enabled,
  };
}

/**
 * Adds or edits an alert rule: what to watch (metric, condition, threshold), how long it must hold, how severe it
 * is and which servers it covers (one server, a tag, or all). The core's schema checks it; its messages show
 * beside the fields.
 */
export function RuleEditorDialog({
  rule,
  onClose,
}: {
  rule: AlertRule | null;
  onClose: () => void;
}): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  const tags = useStore((s) => s.facets.tags);
  const save = useStore((s) => s.saveAlertRule);
  const [d, setD] = useState<Draft>(() => draftOf(rule));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const patch = (p: Partial<Draft>): void => setD((x) => ({ ...x, ...p }));
  const stateRule = d.metric === 'unreachable';
  const unit = METRIC_INFO[d.metric].unit;

  const submit = (e: React.FormEvent): void => {
    e.preventDefault();
    setErrors({});
    setBusy(true);
    save(fieldsOf(d), rule?.id)
      .then(onClose)
      .catch((err: unknown) => {
        const fe = fieldErrors(err, rule ? 'fields.' : '');
        setErrors(Object.keys(fe).length > 0 ? fe : { _: errorMessage(err) });
      })
      .finally(() => setBusy(false));
  };

  return (
    <Dialog title={rule ? 'Edit alert rule' : 'New alert rule'} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <Field label="Name" error={errors.name}>
          {(c) => (
            <input
              {...c}
              className="input"
              data-autofocus
              value={d.name}
              onChange={(e) => patch({ name: e.target.value })}
            />
          )}
        </Field>
        <Field label="Metric" error={errors.metric}>
          {(c) => (
            <select
              {...c}
              className="select"
              value={d.metric}
              onChange={(e) => patch({ metric: e.target.value as AlertMetric })}
            >
              {AlertMetric.options.map((m) => (
                <option key={m} value={m}>
                  {METRIC_INFO[m].label}
                </option>
              ))}
            </select>
          )}
        </Field>
        {stateRule ? null : (
          <div className="form-row alert-condition">
            {d.metric === 'certificate-expiry' ? null : (
              <Field label="Condition" error={errors.condition}>
                {(c) => (
                  <select
                    {...c}
                    className="select"
                    value={d.condition}
                    onChange={(e) => patch({ condition: e.target.value as '>' | '<' })}
                  >
                    <option value=">">above (&gt;)</option>
                    <option value="<">below (&lt;)</option>
                  </select>
                )}
              </Field>
            )}
            <Field label={`Threshold${unit ? ` (${unit})` : ''}`} error={errors.threshold}>
              {(c) => (
                <input
                  {...c}
                  className="input"
                  type="number"
                  min={0}
                  step="any"
                  value={d.threshold}
                  onChange={(e) => patch({ threshold: e.target.value })}
                />
              )}
            </Field>
          </div>
        )}
        <Field label="For (seconds)" hint="How long the condition must hold before it fires." error={errors.forSeconds}>
          {(c) => (
            <input
              {...c}
              className="input"
              type="number"
              min={0}
              value={d.forSeconds}
              onChange={(e) => patch({ forSeconds: e.target.value })}
            />
          )}
        </Field>
        <Field label="Severity" error={errors.severity}>
          {(c) => (
            <select
              {...c}
              className="select"
              value={d.severity}
              onChange={(e) => patch({ severity: e.target.value as AlertSeverity })}
            >
              {AlertSeverity.options.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Applies to" error={errors.scope}>
          {(c) => (
            <select
              {...c}
              className="select"
              value={d.scope}
              onChange={(e) => patch({ scope: e.target.value as ScopeKind })}
            >
              <option value="all">All servers</option>
              <option value="server">One server</option>
              <option value="tag">Servers with a tag</option>
            </select>
          )}
        </Field>
        {d.scope === 'server' ? (
          <Field label="Server" error={errors['scope.serverId']}>
            {(c) => (
              <select
                {...c}
                className="select"
                value={d.serverId}
                onChange={(e) => patch({ serverId: e.target.value })}
              >
                <option value="">Choose a server…</option>
                {servers.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : d.scope === 'tag' ? (
          <Field label="Tag" error={errors['scope.tag']}>
            {(c) => (
              <input
                {...c}
                className="input"
                list="alert-rule-tags"
                value={d.tag}
                onChange={(e) => patch({ tag: e.target.value })}
              />
            )}
          </Field>
        ) : null}
        <datalist id="alert-rule-tags">
          {tags.map((t) => (
            <option key={t.name} value={t.name} />
          ))}
        </datalist>
        <label className="checkbox">
          <input type="checkbox" checked={d.enabled} onChange={(e) => patch({ enabled: e.target.checked })} />
          Enabled
        </label>
        <p className="form-error" role="alert">
          {errors._ ?? errors.scope ?? null}
        </p>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy}>
            {rule ? 'Save rule' : 'Add rule'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
