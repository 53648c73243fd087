import { useState, type FormEvent } from 'react';
import type { PanelField, PanelResourceKind } from '../../../../shared/contract/panels.contract';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';
import { client } from '../../../lib/client';
import type { FieldErrors } from '../../../lib/errors';
import { Dialog } from '../../../ui/Dialog';
import { Field, type ControlProps } from '../../../ui/Field';
import { PlanApply } from '../../sites';
import { checkValues, initialValues, resourceFieldErrors, valuesInput, type ResourceValues } from '../resource-form';
import { PANEL_PLAN_NOTE } from './ResourcePlanDialog';

interface ResourceCreateProps {
  readonly panelId: string;
  readonly panelName: string;
  readonly kind: PanelResourceKind;
  readonly onClose: () => void;
}

function Control({
  field,
  value,
  c,
  onChange,
}: {
  field: PanelField;
  value: string | boolean;
  c: ControlProps & { 'data-autofocus'?: boolean };
  onChange: (v: string | boolean) => void;
}): React.JSX.Element {
  const text = typeof value === 'string' ? value : '';
  switch (field.type) {
    case 'select':
      return (
        <select {...c} className="select" value={text} onChange={(e) => onChange(e.target.value)}>
          {field.required ? null : <option value="">—</option>}
          {(field.options ?? []).map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      );
    case 'checkbox':
      return <input {...c} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} />;
    case 'textarea':
      return (
        <textarea
          {...c}
          className="textarea mono"
          rows={5}
          spellCheck={false}
          value={text}
          placeholder={field.placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      );
    default:
      return (
        <input
          {...c}
          className="input"
          type={field.secret || field.type === 'password' ? 'password' : field.type === 'number' ? 'number' : 'text'}
          autoComplete={field.secret || field.type === 'password' ? 'new-password' : 'off'}
          spellCheck={false}
          value={text}
          placeholder={field.placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      );
  }
}

/**
 * Creates a panel resource from a form generated from the kind's `fields`: the panel's own validation messages
 * (and the driver's checks before sending) show against the right fields; Preview shows the plan, Apply runs it
 * as an operation the drawer follows.
 */
export function ResourceCreateDialog({ panelId, panelName, kind, onClose }: ResourceCreateProps): React.JSX.Element {
  const [values, setValues] = useState<ResourceValues>(() => initialValues(kind.fields));
  const [submitted, setSubmitted] = useState(false);
  const [coreErrors, setCoreErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState<PlanPreview | null>(null);
  const errors: FieldErrors = { ...(submitted ? checkValues(kind.fields, values) : {}), ...coreErrors };
  const label = kind.label.replace(/s$/, '').toLowerCase();

  const patch = (key: string, v: string | boolean): void => {
    setValues((old) => ({ ...old, [key]: v }));
    setCoreErrors(({ [key]: _gone, _: _form, ...rest }) => rest);
  };

  const preview = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setSubmitted(true);
    if (Object.keys(checkValues(kind.fields, values)).length > 0) return;
    setBusy(true);
    setCoreErrors({});
    try {
      const { plan: p } = await client.call(
        'panels.resources.create',
        { id: panelId, resource: kind.id, values: valuesInput(kind.fields, values), dryRun: true },
        { expected: 'all' },
      );
      setPlan(p);
    } catch (err) {
      setCoreErrors(resourceFieldErrors(err, kind.fields));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={plan ? `Create ${label} on ${panelName}: review the plan` : `Create ${label} on ${panelName}`}
      onClose={onClose}
      className="dialog-wide plan-dialog"
    >
      {plan ? (
        <PlanApply
          plan={plan}
          applyLabel="Apply"
          note={PANEL_PLAN_NOTE}
          onBack={() => setPlan(null)}
          onCancel={onClose}
          onApplied={() => onClose()}
        />
      ) : (
        <form className="form" onSubmit={(e) => void preview(e)} noValidate data-testid="resource-create-form">
          {kind.fields.map((f, i) => (
            <Field
              key={f.key}
              label={f.required ? f.label : `${f.label} (optional)`}
              error={errors[f.key]}
              hint={f.secret ? `${f.help ? `${f.help} ` : ''}Sent to the panel only; never shown back.` : f.help}
            >
              {(c) => (
                <Control
                  field={f}
                  value={values[f.key] ?? ''}
                  c={{ ...c, ...(i === 0 ? { 'data-autofocus': true } : {}) }}
                  onChange={(v) => patch(f.key, v)}
                />
              )}
            </Field>
          ))}
          <p className="form-error" role="alert">
            {errors._}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="button primary" disabled={busy}>
              {busy ? 'Planning…' : 'Preview'}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
