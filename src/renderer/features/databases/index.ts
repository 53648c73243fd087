export { DatabasesSection } from './components/DatabasesSection';
export { useDatabasesVaultSync } from './hooks';
