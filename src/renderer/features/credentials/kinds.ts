import type { CredentialKind } from '../../../shared/contract/inventory.contract';

/** How each credential kind is named in the UI. */
export const KIND_LABELS: Record<CredentialKind, string> = {
  password: 'Password',
  'ssh-key': 'SSH key',
  'api-token': 'API token',
  login: 'Login',
};
