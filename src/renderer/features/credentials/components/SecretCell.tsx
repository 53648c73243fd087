import { useEffect, useState } from 'react';
import type { CredentialSummary } from '../../../../shared/contract/inventory.contract';
import { client } from '../../../lib/client';
import { copySecret } from '../../../lib/secure-clipboard';
import '../credentials.css';

const HIDE_AFTER_MS = 30_000;

/**
 * A masked secret with Reveal and Copy. The revealed value lives only in this component's state, is hidden
 * again after 30 s or on unmount, and never enters the store; both actions are audited by the core.
 */
export function SecretCell({ credential }: { credential: CredentialSummary }): React.JSX.Element {
  const [secret, setSecret] = useState<string | null>(null);
  const [status, setStatus] = useState('');

  useEffect(() => {
    if (secret === null) return undefined;
    const t = window.setTimeout(() => setSecret(null), HIDE_AFTER_MS);
    return () => window.clearTimeout(t);
  }, [secret]);

  const toggle = async (): Promise<void> => {
    if (secret !== null) return setSecret(null);
    const r = await client.call('credentials.reveal', { id: credential.id, purpose: 'reveal' });
    setSecret(r.secret);
  };
  const copy = async (): Promise<void> => {
    const r = await client.call('credentials.reveal', { id: credential.id, purpose: 'copy' });
    await copySecret(r.secret);
    setStatus('Copied');
  };
  const multiline = credential.kind === 'ssh-key';

  return (
    <div className="secret-cell">
      {secret === null ? (
        <span className="secret-mask" aria-label="Secret hidden">
          ••••••••••
        </span>
      ) : multiline ? (
        <pre className="secret-value multiline" data-testid="revealed-secret">
          {secret}
        </pre>
      ) : (
        <code className="secret-value" data-testid="revealed-secret">
          {secret}
        </code>
      )}
      <span className="secret-actions">
        <button
          type="button"
          className="button small ghost"
          aria-pressed={secret !== null}
          aria-label={`${secret === null ? 'Reveal' : 'Hide'} secret of ${credential.name}`}
          onClick={() => void toggle().catch(() => undefined)}
        >
          {secret === null ? 'Reveal' : 'Hide'}
        </button>
        <button
          type="button"
          className="button small ghost"
          aria-label={`Copy secret of ${credential.name}`}
          onClick={() => void copy().catch(() => setStatus('Copy failed'))}
        >
          Copy
        </button>
        <span className="visually-hidden" role="status">
          {status}
        </span>
      </span>
    </div>
  );
}
