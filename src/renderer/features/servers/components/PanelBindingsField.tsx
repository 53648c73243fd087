import { DriverKind, type CredentialSummary, type PanelBinding } from '../../../../shared/contract/inventory.contract';
import { panelKindLabel, panelNeedsEndpoint } from '../../../../shared/panel-kinds';
import type { FieldErrors } from '../../../lib/errors';
import '../servers.css';

interface PanelBindingsFieldProps {
  readonly value: readonly PanelBinding[];
  readonly onChange: (panels: PanelBinding[]) => void;
  readonly errors: FieldErrors;
  readonly credentials: readonly CredentialSummary[];
}

/**
 * The hosting panels a server is bound to: the kind (by its human name), the endpoint URL for kinds reached over
 * HTTP (SSH kinds use the server's own login and take none), and the credential to log in with.
 */
export function PanelBindingsField({
  value,
  onChange,
  errors,
  credentials,
}: PanelBindingsFieldProps): React.JSX.Element {
  const set = (i: number, p: Partial<PanelBinding>): void =>
    onChange(value.map((b, n) => (n === i ? { ...b, ...p } : b)));
  // An SSH kind keeps no URL: switching to one drops what was typed for an HTTP kind.
  const setKind = (i: number, kind: PanelBinding['kind']): void =>
    set(i, panelNeedsEndpoint(kind) ? { kind } : { kind, endpoint: null });
  const usable = credentials.filter((c) => c.kind !== 'ssh-key');
  return (
    <fieldset className="field panels-field">
      <legend>Panels</legend>
      <div className="field-control">
        {value.map((b, i) => {
          const error = errors[`panels.${i}.endpoint`] ?? errors[`panels.${i}.kind`] ?? errors[`panels.${i}`];
          return (
            <div key={i} className="panel-binding" role="group" aria-label={`Panel ${i + 1}`}>
              <label className="visually-hidden" htmlFor={`panel-kind-${i}`}>
                Panel {i + 1} kind
              </label>
              <select
                id={`panel-kind-${i}`}
                className="select"
                value={b.kind}
                onChange={(e) => setKind(i, e.target.value as PanelBinding['kind'])}
              >
                {DriverKind.options.map((k) => (
                  <option key={k} value={k}>
                    {panelKindLabel(k)}
                  </option>
                ))}
              </select>
              {panelNeedsEndpoint(b.kind) ? (
                <>
                  <label className="visually-hidden" htmlFor={`panel-endpoint-${i}`}>
                    Panel {i + 1} address
                  </label>
                  <input
                    id={`panel-endpoint-${i}`}
                    className="input mono"
                    placeholder="https://panel.example.com:8443"
                    value={b.endpoint ?? ''}
                    aria-invalid={error ? true : undefined}
                    aria-describedby={error ? `panel-error-${i}` : undefined}
                    onChange={(e) => set(i, { endpoint: e.target.value.trim() === '' ? null : e.target.value })}
                  />
                </>
              ) : (
                <span className="panel-binding-note muted" data-testid="panel-ssh-note">
                  Uses this server&apos;s SSH login
                </span>
              )}
              <label className="visually-hidden" htmlFor={`panel-cred-${i}`}>
                Panel {i + 1} credential
              </label>
              <select
                id={`panel-cred-${i}`}
                className="select"
                value={b.credentialId ?? ''}
                onChange={(e) => set(i, { credentialId: e.target.value || null })}
              >
                <option value="">No credential</option>
                {usable.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove panel ${i + 1}`}
                onClick={() => onChange(value.filter((_, n) => n !== i))}
              >
                ×
              </button>
              {error ? (
                <div id={`panel-error-${i}`} className="field-error panel-error" role="alert">
                  {error}
                </div>
              ) : null}
            </div>
          );
        })}
        <button
          type="button"
          className="button small"
          disabled={value.length >= 8}
          onClick={() => onChange([...value, { kind: 'cloudpanel-cli', endpoint: null, credentialId: null }])}
        >
          Add panel
        </button>
      </div>
    </fieldset>
  );
}
