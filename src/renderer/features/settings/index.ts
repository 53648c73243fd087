export { SettingsPanel } from './components/SettingsPanel';
