export { PlanApply } from './components/PlanApply';
export { PlanView } from './components/PlanView';
export { SitesSection } from './components/SitesSection';
export { useSitesVaultSync } from './hooks';
