export { ClipboardNotice } from './components/ClipboardNotice';
export { LockButton } from './components/LockButton';
export { VaultGate } from './components/VaultGate';
export { VaultSection } from './components/VaultSection';
export { useLockShortcut, useVaultEvents } from './hooks';
