export { SitesSection } from './components/SitesSection';
export { useSitesVaultSync } from './hooks';
