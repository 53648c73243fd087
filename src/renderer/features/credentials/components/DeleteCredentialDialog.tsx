import { useState } from 'react';
import type { CredentialSummary } from '../../../../shared/contract/inventory.contract';
import { AppError } from '../../../../shared/errors';
import { client } from '../../../lib/client';
import { errorCode } from '../../../lib/errors';
import { useStore } from '../../../store';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { plural } from '../../../lib/plural';

/** Server ids from an IN_USE error's details.servers ({ id, name }[]). */
function inUseIds(e: unknown): string[] {
  const servers = e instanceof AppError ? e.details?.servers : undefined;
  if (!Array.isArray(servers)) return [];
  return servers.flatMap((s: unknown) =>
    typeof s === 'object' && s !== null && typeof (s as { id?: unknown }).id === 'string'
      ? [(s as { id: string }).id]
      : [],
  );
}

/**
 * Deletes a credential. When servers use it (known from usedBy, or learnt from an IN_USE refusal), lists them
 * and offers "Detach and delete", which clears their credential and deletes it (force).
 */
export function DeleteCredentialDialog(props: {
  credential: CredentialSummary;
  onClose: () => void;
}): React.JSX.Element {
  const { credential, onClose } = props;
  const servers = useStore((s) => s.servers);
  const loadCredentials = useStore((s) => s.loadCredentials);
  const loadServers = useStore((s) => s.loadServers);
  const [usedBy, setUsedBy] = useState<string[]>(credential.usedBy);
  const force = usedBy.length > 0;

  const confirm = async (): Promise<void> => {
    try {
      await client.call('credentials.delete', { id: credential.id, force }, { expected: ['IN_USE'] });
    } catch (e) {
      if (errorCode(e) !== 'IN_USE') throw e;
      await Promise.all([loadCredentials(), loadServers()]);
      const fresh = useStore.getState().credentials.find((c) => c.id === credential.id);
      setUsedBy(fresh?.usedBy.length ? fresh.usedBy : inUseIds(e));
      throw new Error('Servers started using this credential meanwhile; review them and confirm again.', { cause: e });
    }
    await Promise.all([loadCredentials(), loadServers()]);
  };

  const name = (id: string): string => servers.find((s) => s.id === id)?.name ?? id;
  return (
    <ConfirmDialog
      title={`Delete ${credential.name}?`}
      confirmLabel={force ? 'Detach and delete' : 'Delete'}
      onConfirm={confirm}
      onClose={onClose}
      danger
    >
      {force ? (
        <>
          <p>
            {usedBy.length === 1 ? 'One server uses' : `${plural(usedBy.length, 'server')} use`} this credential.
            Deleting it detaches it from them; they will ask for a credential when you next connect.
          </p>
          <ul className="used-by" aria-label="Servers using this credential">
            {usedBy.map((id) => (
              <li key={id}>{name(id)}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>The secret is erased from the vault. This cannot be undone (unless you have an export).</p>
      )}
    </ConfirmDialog>
  );
}
