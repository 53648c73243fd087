import { useState, type FormEvent } from 'react';
import { errorMessage } from '../../../lib/errors';
import { useStore } from '../../../store';
import { Dialog } from '../../../ui/Dialog';
import { Field } from '../../../ui/Field';
import { testPanel, trustAndRetest } from '../connection-test';
import type { TlsTrust } from '../panel-errors';
import '../panels.css';

function Facts({ tls }: { tls: TlsTrust }): React.JSX.Element {
  return (
    <>
      <dt>Subject</dt>
      <dd className="mono">{tls.subject ?? '—'}</dd>
      <dt>Issuer</dt>
      <dd className="mono">{tls.issuer ?? '—'}</dd>
      <dt>Valid until</dt>
      <dd>{tls.validTo ?? '—'}</dd>
      <dt>Why it is not trusted</dt>
      <dd className="mono" data-testid="tls-reason">
        {tls.reason}
      </dd>
    </>
  );
}

/** First contact with a self-signed panel: the certificate's facts and SHA-256 fingerprint, to compare and trust. */
function TlsTrustDialog({ panelId, tls }: { panelId: string; tls: TlsTrust }): React.JSX.Element {
  const panel = useStore((s) => s.panels.find((p) => p.id === panelId));
  const setPrompt = useStore((s) => s.setPanelPrompt);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const trust = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await trustAndRetest(panelId, tls);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Trust this panel's certificate?" onClose={() => setPrompt(null)} className="tls-trust-dialog">
      <p>
        First connection to <strong>{panel?.name ?? tls.hostPort}</strong> at{' '}
        <code data-testid="tls-host">{tls.hostPort}</code>. Its TLS certificate is not signed by an authority this
        computer trusts (panels often use a self-signed one). Compare the fingerprint with the one the panel&apos;s
        owner gives you (<code>openssl x509 -noout -fingerprint -sha256 -in cert.pem</code> on the panel).
      </p>
      <dl className="tls-facts">
        <dt>SHA-256 fingerprint</dt>
        <dd className="mono fingerprint" data-testid="tls-fingerprint">
          {tls.fingerprint}
        </dd>
        <Facts tls={tls} />
      </dl>
      <p className="muted">
        Only this certificate is trusted, for this panel only; nothing is sent until you trust it.
      </p>
      <p className="form-error" role="alert">
        {error}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => setPrompt(null)}>
          Cancel
        </button>
        <button type="button" className="button primary" disabled={busy} onClick={() => void trust()} data-autofocus>
          {busy ? 'Trusting…' : 'Trust'}
        </button>
      </div>
    </Dialog>
  );
}

/**
 * The loud refusal: the panel presented a different certificate than the trusted one; nothing was sent. Replacing
 * the pin is a deliberate, separate action, never the default button (like the SSH host-key warning).
 */
function TlsChangedDialog({ panelId, tls }: { panelId: string; tls: TlsTrust }): React.JSX.Element {
  const panel = useStore((s) => s.panels.find((p) => p.id === panelId));
  const setPrompt = useStore((s) => s.setPanelPrompt);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const replace = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await trustAndRetest(panelId, tls);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <Dialog title="Certificate changed: connection refused" onClose={() => setPrompt(null)}>
      <div className="tls-changed" role="alert" data-testid="tls-changed">
        <h2>Warning: the certificate of {tls.hostPort} has changed</h2>
        <p>
          <strong>{panel?.name ?? 'The panel'}</strong> answered with a different certificate than the one you trusted.
          Someone may be intercepting this connection, or the panel&apos;s certificate was renewed or replaced.
          PanelDeck stopped before sending your credential.
        </p>
        <dl className="tls-facts">
          <dt>Trusted certificate</dt>
          <dd className="mono" data-testid="tls-old-fingerprint">
            {tls.expected ?? '—'}
          </dd>
          <dt>Presented now</dt>
          <dd className="mono" data-testid="tls-new-fingerprint">
            {tls.fingerprint}
          </dd>
          <Facts tls={tls} />
        </dl>
        <p>Only trust the new certificate if you know why it changed (ask whoever runs the panel).</p>
      </div>
      <p className="form-error" role="alert">
        {error}
      </p>
      <div className="dialog-actions">
        <button type="button" className="button spacer danger" disabled={busy} onClick={() => void replace()}>
          Trust the new certificate
        </button>
        <button type="button" className="button primary" onClick={() => setPrompt(null)} data-autofocus>
          Stay disconnected
        </button>
      </div>
    </Dialog>
  );
}

/** The panel's 2FA challenge (GhostCP): the code from the authenticator app, sent with a new connection test. */
function OtpDialog({ panelId, message }: { panelId: string; message: string }): React.JSX.Element {
  const panel = useStore((s) => s.panels.find((p) => p.id === panelId));
  const setPrompt = useStore((s) => s.setPanelPrompt);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [tried, setTried] = useState(false);
  const send = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    // On success the prompt closes (this dialog unmounts); otherwise the panel's answer shows under the code.
    if (!(await testPanel(panelId, code.trim()))) {
      setTried(true);
      setBusy(false);
    }
  };
  const error = tried ? message : undefined;
  return (
    <Dialog
      title={`Two-factor code for ${panel?.name ?? 'the panel'}`}
      description="The panel asks for the code from your authenticator app."
      onClose={() => setPrompt(null)}
    >
      <form className="form" onSubmit={(e) => void send(e)} noValidate>
        <Field label="Code" error={error}>
          {(c) => (
            <input
              {...c}
              className="input mono"
              inputMode="numeric"
              autoComplete="one-time-code"
              maxLength={8}
              value={code}
              data-autofocus
              onChange={(e) => setCode(e.target.value.replace(/\D/g, ''))}
            />
          )}
        </Field>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => setPrompt(null)}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy || code.length < 6}>
            {busy ? 'Checking…' : 'Sign in'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The open question of a panel connection test, if any (trust a certificate, refuse a changed one, 2FA code). */
export function PanelPrompts(): React.JSX.Element | null {
  const prompt = useStore((s) => s.panelPrompt);
  if (!prompt) return null;
  if (prompt.kind === 'otp')
    return <OtpDialog key={prompt.panelId} panelId={prompt.panelId} message={prompt.message} />;
  if (prompt.kind === 'tls-changed')
    return <TlsChangedDialog key={prompt.panelId} panelId={prompt.panelId} tls={prompt.tls} />;
  return <TlsTrustDialog key={prompt.panelId} panelId={prompt.panelId} tls={prompt.tls} />;
}
