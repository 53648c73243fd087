export { AlertsView } from './components/AlertsView';
export { useAlertEvents } from './hooks';
