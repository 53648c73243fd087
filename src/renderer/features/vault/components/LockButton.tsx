import { useStore } from '../../../store';
import { LockIcon, UnlockIcon } from '../../../ui/icons';
import '../vault.css';

/** Sidebar footer: the vault's state, and a button to lock it now (Ctrl/Cmd+L). */
export function LockButton(): React.JSX.Element | null {
  const vault = useStore((s) => s.vault);
  const lock = useStore((s) => s.lockVault);
  const setSection = useStore((s) => s.setSection);
  if (!vault?.exists) return null;
  const shortcut = navigator.platform.startsWith('Mac') ? '⌘L' : 'Ctrl+L';
  return vault.unlocked ? (
    <button
      type="button"
      className="lock-button unlocked"
      onClick={() => void lock().catch(() => undefined)}
      title={`Lock the vault (${shortcut})`}
      data-testid="vault-lock"
    >
      <UnlockIcon />
      <span className="lock-text">
        <span>Lock vault</span>
        <small>Unlocked</small>
      </span>
      <kbd aria-hidden="true">{shortcut}</kbd>
    </button>
  ) : (
    <button
      type="button"
      className="lock-button locked"
      onClick={() => setSection('vault')}
      title="The vault is locked: open it to unlock"
      data-testid="vault-lock"
    >
      <LockIcon />
      <span className="lock-text">
        <span>Vault locked</span>
        <small>Click to unlock</small>
      </span>
    </button>
  );
}
