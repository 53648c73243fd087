import { useState } from 'react';
import { HostKeyChangedDetails } from '../../../../shared/contract/ssh.contract';
import type { WireError } from '../../../../shared/errors';
import { errorMessage } from '../../../lib/errors';
import { closePane, replaceKeyAndReconnect } from '../sessions';

/** The details a HOST_KEY_CHANGED error carries (schema in the contract, built by host-key-verifier.ts). */
export type HostKeyChange = HostKeyChangedDetails;

/** Reads a HOST_KEY_CHANGED error's details; null for any other error or a shape the contract does not allow. */
export function hostKeyChange(error: WireError | null): HostKeyChange | null {
  if (error?.code !== 'HOST_KEY_CHANGED') return null;
  const parsed = HostKeyChangedDetails.safeParse(error.details);
  return parsed.success ? parsed.data : null;
}

/**
 * The loud warning: the server presented a different host key than the trusted one. Nothing was sent to it.
 * Replacing the key is a deliberate, separate action, never the default button.
 */
export function HostKeyChangedPanel({ paneId, change }: { paneId: string; change: HostKeyChange }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const replace = async (): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      await replaceKeyAndReconnect(paneId, change.host, change.port, change.newFingerprint);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="host-key-changed" role="alert" data-testid="host-key-changed">
      <h2>Warning: the host key of {`${change.host}:${change.port}`} has changed</h2>
      <p>
        The server answered with a different key than the one you trusted. Someone may be intercepting this connection
        (a man-in-the-middle attack), or the server was reinstalled or its keys rotated. PanelDeck stopped before
        sending your user name or any credential.
      </p>
      <dl className="fingerprints">
        <dt>Trusted key</dt>
        {change.oldFingerprints.map((f) => (
          <dd key={f} className="mono" data-testid="old-fingerprint">
            {f}
          </dd>
        ))}
        <dt>Presented now ({change.keyType})</dt>
        <dd className="mono" data-testid="new-fingerprint">
          {change.newFingerprint}
        </dd>
      </dl>
      <p>
        Only replace the key if you know why it changed (ask whoever runs the server to confirm the new fingerprint).
      </p>
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <div className="form-row">
        <button type="button" className="button" onClick={() => closePane(paneId)} data-autofocus>
          Close
        </button>
        <button type="button" className="button danger" disabled={busy} onClick={() => void replace()}>
          Replace the key and reconnect
        </button>
      </div>
    </div>
  );
}
