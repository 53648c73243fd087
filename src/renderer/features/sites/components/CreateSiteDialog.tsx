import { useState, type FormEvent } from 'react';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';
import { panelKindLabel } from '../../../../shared/panel-kinds';
import { client } from '../../../lib/client';
import type { FieldErrors } from '../../../lib/errors';
import { useStore } from '../../../store';
import { Dialog } from '../../../ui/Dialog';
import { Field, type ControlProps } from '../../../ui/Field';
import {
  checkForm,
  coreFieldErrors,
  createInput,
  type CreatableKind,
  type SiteField,
  type SiteForm,
} from '../site-form';
import { PlanApply } from './PlanApply';

const KINDS: { id: CreatableKind; label: string }[] = [
  { id: 'static', label: 'Static files' },
  { id: 'php', label: 'PHP (PHP-FPM)' },
  { id: 'proxy', label: 'Reverse proxy' },
];

/**
 * Creates a site: the form validates as you type with the contract's own schemas; Preview asks the core for the
 * plan (dryRun) and shows its steps, commands and diffs; Apply runs exactly that plan as an operation.
 */
export function CreateSiteDialog({ serverId, onClose }: { serverId?: string; onClose: () => void }): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  // Panel accounts whose driver manages sites (a panel not tested yet is offered; the core says if it cannot).
  const allPanels = useStore((s) => s.panels);
  const panelStatus = useStore((s) => s.panelStatus);
  const panels = allPanels.filter((p) => {
    const st = panelStatus[p.id];
    return st?.state !== 'ok' || st.identity.supports.includes('sites');
  });
  const targets = [...servers.map((s) => s.id), ...panels.map((p) => p.id)];
  const [form, setForm] = useState<SiteForm>({
    serverId: serverId ?? (targets.length === 1 ? (targets[0] ?? '') : ''),
    kind: 'static',
    domain: '',
    aliases: '',
    phpVersion: '',
    upstream: '',
    root: '',
    systemUser: '',
  });
  const [touched, setTouched] = useState<ReadonlySet<SiteField>>(new Set());
  const [coreErrors, setCoreErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState<PlanPreview | null>(null);

  const errors: FieldErrors = { ...checkForm(form, touched), ...coreErrors };
  const patch = (field: SiteField, value: string): void => {
    setForm((f) => ({ ...f, [field]: value }));
    setTouched((t) => new Set(t).add(field));
    setCoreErrors(({ [field]: _gone, _: _form, ...rest }) => rest);
  };

  const preview = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const all = new Set<SiteField>(['serverId', 'domain', 'aliases', 'phpVersion', 'upstream', 'root', 'systemUser']);
    setTouched(all);
    if (Object.keys(checkForm(form, all)).length > 0) return;
    setBusy(true);
    setCoreErrors({});
    try {
      const { plan: p } = await client.call('sites.create', createInput(form, true), { expected: 'all' });
      setPlan(p);
    } catch (err) {
      setCoreErrors(coreFieldErrors(err));
    } finally {
      setBusy(false);
    }
  };

  const text =
    (
      field: 'domain' | 'aliases' | 'phpVersion' | 'upstream' | 'root' | 'systemUser',
      extra?: { placeholder?: string; autoFocus?: boolean },
    ) =>
    (c: ControlProps) => (
      <input
        {...c}
        className="input mono"
        value={form[field]}
        spellCheck={false}
        autoComplete="off"
        placeholder={extra?.placeholder}
        data-autofocus={extra?.autoFocus ? true : undefined}
        onChange={(e) => patch(field, e.target.value)}
      />
    );

  const domain = form.domain.trim() || '<domain>';
  const onPanel = panels.some((p) => p.id === form.serverId);
  return (
    <Dialog
      title={plan ? `Create ${form.domain.trim()}: review the plan` : 'Create site'}
      onClose={onClose}
      className="dialog-wide plan-dialog"
    >
      {plan ? (
        <PlanApply
          plan={plan}
          {...(onPanel
            ? {
                note: 'The panel creates the site itself; PanelDeck sends the request once and follows the panel’s own progress in the operations drawer.',
              }
            : {})}
          applyLabel="Apply"
          onBack={() => setPlan(null)}
          onCancel={onClose}
          onApplied={() => onClose()}
        />
      ) : (
        <form className="form" onSubmit={(e) => void preview(e)} noValidate>
          <Field label="Server or panel" error={errors.serverId}>
            {(c) => (
              <select
                {...c}
                className="select"
                value={form.serverId}
                onChange={(e) => patch('serverId', e.target.value)}
              >
                <option value="">Choose a server or a panel…</option>
                {servers.length > 0 ? (
                  <optgroup label="Servers">
                    {servers.map((s) => (
                      <option key={s.id} value={s.id}>
                        {s.name} ({s.host})
                      </option>
                    ))}
                  </optgroup>
                ) : null}
                {panels.length > 0 ? (
                  <optgroup label="Panels">
                    {panels.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name} ({panelKindLabel(p.kind)})
                      </option>
                    ))}
                  </optgroup>
                ) : null}
              </select>
            )}
          </Field>
          <Field label="Kind">
            {(c) => (
              <select {...c} className="select" value={form.kind} onChange={(e) => patch('kind', e.target.value)}>
                {KINDS.map((k) => (
                  <option key={k.id} value={k.id}>
                    {k.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Domain" error={errors.domain} hint="Internationalized names are converted to punycode.">
            {text('domain', { placeholder: 'example.com', autoFocus: true })}
          </Field>
          <Field label="Aliases" error={errors.aliases} hint="Other names for the same site, separated by spaces.">
            {text('aliases', { placeholder: 'www.example.com' })}
          </Field>
          {form.kind === 'php' ? (
            <Field
              label="PHP version"
              error={errors.phpVersion}
              hint="Empty: the newest PHP-FPM installed on the server."
            >
              {text('phpVersion', { placeholder: '8.2' })}
            </Field>
          ) : null}
          {form.kind === 'proxy' ? (
            <Field
              label="Upstream"
              error={errors.upstream}
              hint="An address like http://127.0.0.1:3000, or just a port on the server."
            >
              {text('upstream', { placeholder: 'http://127.0.0.1:3000' })}
            </Field>
          ) : null}
          <Field
            label="Webroot"
            error={errors.root}
            hint={onPanel ? 'Empty: the panel’s default.' : `Empty: /var/www/${domain}/public.`}
          >
            {text('root')}
          </Field>
          <Field
            label="System user"
            error={errors.systemUser}
            hint={
              onPanel
                ? 'The site user on the panel, where it has one. Empty: the panel’s default.'
                : "The site's files and PHP run as this user (created when missing). Empty: derived from the domain."
            }
          >
            {text('systemUser')}
          </Field>
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
