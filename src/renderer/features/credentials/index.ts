export { CredentialsTab } from './components/CredentialsTab';
export { KIND_LABELS } from './kinds';
