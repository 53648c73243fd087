export { PanelsSection } from './components/PanelsSection';
export { usePanelsVaultSync } from './hooks';
