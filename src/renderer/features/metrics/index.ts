export { MetricsSection } from './components/MetricsSection';
export { useMetricsSync } from './hooks';
