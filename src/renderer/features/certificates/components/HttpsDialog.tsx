import { useState, type FormEvent } from 'react';
import type { Site } from '../../../../shared/contract/sites.contract';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';
import { client } from '../../../lib/client';
import { errorMessage, fieldErrors, type FieldErrors } from '../../../lib/errors';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { Tabs } from '../../../ui/Tabs';
import { PlanApply } from '../../sites';
import {
  checkIssue,
  checkUpload,
  DIRECTORIES,
  issueInput,
  uploadInput,
  type DirectoryChoice,
  type HttpsField,
  type HttpsForm,
} from '../https-form';
import '../certificates.css';

type Mode = 'acme' | 'upload';

const ISSUE_FIELDS: HttpsField[] = ['directoryUrl', 'email'];
const UPLOAD_FIELDS: HttpsField[] = ['certificate', 'chain', 'key'];

/**
 * Gives a PanelDeck site HTTPS: a certificate issued over ACME (HTTP-01 through the server's nginx) or one the user
 * has (PEM). Preview asks the core for the plan (dryRun); Apply runs exactly that plan as an operation, which the
 * operations drawer follows; the site's row and the certificate inventory reload when it ends.
 */
export function HttpsDialog({
  site,
  serverName,
  onClose,
}: {
  site: Site;
  serverName: string;
  onClose: () => void;
}): React.JSX.Element {
  const [mode, setMode] = useState<Mode>('acme');
  const [form, setForm] = useState<HttpsForm>({
    directory: 'letsencrypt',
    customUrl: '',
    email: '',
    redirectHttp: true,
    certificate: '',
    chain: '',
    key: '',
  });
  const [touched, setTouched] = useState<ReadonlySet<HttpsField>>(new Set());
  const [coreErrors, setCoreErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [plan, setPlan] = useState<PlanPreview | null>(null);

  const check = (only: ReadonlySet<HttpsField>): FieldErrors =>
    mode === 'acme' ? checkIssue(form, only) : checkUpload(form, only);
  const errors: FieldErrors = { ...check(touched), ...coreErrors };
  const patch = <K extends keyof HttpsForm>(key: K, value: HttpsForm[K], field?: HttpsField): void => {
    setForm((f) => ({ ...f, [key]: value }));
    if (field) setTouched((t) => new Set(t).add(field));
    setCoreErrors({});
  };

  const preview = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const all = new Set<HttpsField>(mode === 'acme' ? ISSUE_FIELDS : UPLOAD_FIELDS);
    setTouched(all);
    if (Object.keys(check(all)).length > 0) return;
    setBusy(true);
    setCoreErrors({});
    try {
      const r =
        mode === 'acme'
          ? await client.call('certificates.issue', issueInput(site.serverId, site.domain, form, true), {
              expected: 'all',
            })
          : await client.call('certificates.upload', uploadInput(site.serverId, site.domain, form, true), {
              expected: 'all',
            });
      setPlan(r.plan);
    } catch (err) {
      const fields = fieldErrors(err);
      setCoreErrors(Object.keys(fields).length > 0 ? fields : { _: errorMessage(err) });
    } finally {
      setBusy(false);
    }
  };

  const title = plan
    ? `HTTPS for ${site.domain}: review the plan`
    : mode === 'acme'
      ? `Issue a certificate for ${site.domain}`
      : `Upload a certificate for ${site.domain}`;
  const pem = (key: 'certificate' | 'chain' | 'key', label: string, hint: string): React.JSX.Element => (
    <Field label={label} error={errors[key]} hint={hint}>
      {(c) => (
        <textarea
          {...c}
          className="input mono cert-pem"
          rows={5}
          spellCheck={false}
          autoComplete="off"
          value={form[key]}
          onChange={(e) => patch(key, e.target.value, key)}
        />
      )}
    </Field>
  );

  return (
    <Dialog title={title} onClose={onClose} className="dialog-wide plan-dialog">
      {plan ? (
        <PlanApply
          plan={plan}
          applyLabel={mode === 'acme' ? 'Issue and switch to HTTPS' : 'Install and switch to HTTPS'}
          onBack={() => setPlan(null)}
          onCancel={onClose}
          onApplied={() => onClose()}
        />
      ) : (
        <form className="form" onSubmit={(e) => void preview(e)} noValidate>
          <p className="muted">
            {site.domain}
            {site.aliases.length > 0 ? ` (also ${site.aliases.join(', ')})` : ''} on {serverName}.
          </p>
          <Tabs
            label="Where the certificate comes from"
            idPrefix="https-mode"
            current={mode}
            onChange={(m) => {
              setMode(m);
              setTouched(new Set());
              setCoreErrors({});
            }}
            tabs={[
              { id: 'acme', label: 'Issue with ACME' },
              { id: 'upload', label: 'Upload a certificate' },
            ]}
          />
          <div id="https-mode-panel" role="tabpanel" aria-labelledby={`https-mode-tab-${mode}`} className="cert-mode">
            {mode === 'acme' ? (
              <>
                <Field
                  label="ACME directory"
                  error={form.directory === 'custom' ? undefined : errors.directoryUrl}
                  hint="The CA checks the domain over plain HTTP: it must point to this server."
                >
                  {(c) => (
                    <select
                      {...c}
                      className="select"
                      value={form.directory}
                      onChange={(e) => patch('directory', e.target.value as DirectoryChoice)}
                    >
                      {DIRECTORIES.map((d) => (
                        <option key={d.id} value={d.id}>
                          {d.label}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                {form.directory === 'custom' ? (
                  <Field label="Directory URL" error={errors.directoryUrl}>
                    {(c) => (
                      <input
                        {...c}
                        className="input mono"
                        value={form.customUrl}
                        spellCheck={false}
                        autoComplete="off"
                        placeholder="https://acme.zerossl.com/v2/DV90"
                        onChange={(e) => patch('customUrl', e.target.value, 'directoryUrl')}
                      />
                    )}
                  </Field>
                ) : null}
                <Field
                  label="Email"
                  error={errors.email}
                  hint="The ACME account's contact (one account per directory and email, its key kept in the vault)."
                >
                  {(c) => (
                    <input
                      {...c}
                      className="input"
                      type="email"
                      value={form.email}
                      autoComplete="email"
                      placeholder="admin@example.org"
                      onChange={(e) => patch('email', e.target.value, 'email')}
                    />
                  )}
                </Field>
              </>
            ) : (
              <>
                {pem('certificate', 'Certificate', 'PEM, the site’s own certificate first.')}
                {pem('chain', 'Chain', 'Optional: the intermediate certificates, in order.')}
                {pem('key', 'Private key', 'PEM; stored on the server readable by root only (0600), never logged.')}
              </>
            )}
            <label className="checkbox">
              <input
                type="checkbox"
                checked={form.redirectHttp}
                onChange={(e) => patch('redirectHttp', e.target.checked)}
              />
              Redirect HTTP to HTTPS (301; ACME challenges stay on HTTP)
            </label>
          </div>
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
