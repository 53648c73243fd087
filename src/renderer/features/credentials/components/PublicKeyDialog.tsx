import { useState } from 'react';
import type { CredentialSummary } from '../../../../shared/contract/inventory.contract';
import { Dialog } from '../../../ui/Dialog';
import '../credentials.css';

/** The public half of an SSH key (not secret): the OpenSSH line, its fingerprint and a copy button. */
export function PublicKeyView({ credential }: { credential: CredentialSummary }): React.JSX.Element {
  const [copied, setCopied] = useState('');
  const copy = async (): Promise<void> => {
    if (!credential.publicKey) return;
    await navigator.clipboard.writeText(credential.publicKey);
    setCopied('Public key copied.');
  };
  return (
    <div className="pubkey">
      <dl className="facts">
        <div>
          <dt>Type</dt>
          <dd>{credential.keyType ?? 'unknown'}</dd>
        </div>
        <div>
          <dt>Fingerprint</dt>
          <dd data-testid="key-fingerprint">{credential.fingerprint ?? '—'}</dd>
        </div>
        <div>
          <dt>Passphrase</dt>
          <dd>{credential.hasPassphrase ? 'yes' : 'no'}</dd>
        </div>
      </dl>
      <label className="pubkey-label" htmlFor={`pub-${credential.id}`}>
        Public key (add it to ~/.ssh/authorized_keys on your servers)
      </label>
      <textarea
        id={`pub-${credential.id}`}
        className="textarea mono"
        readOnly
        rows={4}
        value={credential.publicKey ?? ''}
        onFocus={(e) => e.currentTarget.select()}
      />
      <div className="form-row">
        <button type="button" className="button" onClick={() => void copy().catch(() => setCopied('Copy failed.'))}>
          Copy public key
        </button>
        <span className="muted" role="status">
          {copied}
        </span>
      </div>
    </div>
  );
}

/** PublicKeyView in a dialog, opened from the credentials list. */
export function PublicKeyDialog(props: { credential: CredentialSummary; onClose: () => void }): React.JSX.Element {
  return (
    <Dialog title={`Public key of ${props.credential.name}`} onClose={props.onClose} className="dialog-wide">
      <PublicKeyView credential={props.credential} />
      <div className="dialog-actions">
        <button type="button" className="button primary" onClick={props.onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
