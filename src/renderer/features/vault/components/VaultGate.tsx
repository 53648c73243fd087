import type { ReactNode } from 'react';
import { useStore } from '../../../store';
import { CreateVaultForm } from './CreateVaultForm';
import { UnlockScreen } from './UnlockScreen';

/** Shows `children` only while the vault is unlocked; otherwise the create or unlock screen. */
export function VaultGate({ children }: { children: ReactNode }): React.JSX.Element {
  const vault = useStore((s) => s.vault);
  if (!vault)
    return (
      <p className="muted" aria-live="polite">
        Asking the core about the vault…
      </p>
    );
  if (!vault.exists) return <CreateVaultForm />;
  if (!vault.unlocked) return <UnlockScreen />;
  return <>{children}</>;
}
