import { create } from 'zustand';
import { createAboutSlice, type AboutSlice } from '../features/about/slice';
import { createAlertsSlice, type AlertsSlice } from '../features/alerts/slice';
import { createCertificatesSlice, type CertificatesSlice } from '../features/certificates/slice';
import { createDatabasesSlice, type DatabasesSlice } from '../features/databases/slice';
import { createCredentialsSlice, type CredentialsSlice } from '../features/credentials/slice';
import { createMetricsSlice, type MetricsSlice } from '../features/metrics/slice';
import { createOperationsSlice, type OperationsSlice } from '../features/operations/slice';
import { createPanelsSlice, type PanelsSlice } from '../features/panels/slice';
import { createServersSlice, type ServersSlice } from '../features/servers/slice';
import { createSettingsSlice, type SettingsSlice } from '../features/settings/slice';
import { createShellSlice, type ShellSlice } from '../features/shell/slice';
import { createSitesSlice, type SitesSlice } from '../features/sites/slice';
import { createTerminalSlice, type TerminalSlice } from '../features/terminal/slice';
import { createToastsSlice, type ToastsSlice } from '../features/toasts/slice';
import { createVaultSlice, type VaultSlice } from '../features/vault/slice';

/** The one store, built from feature slices (zustand slices pattern; DESIGN.md rule 8). */
export type AppState = ShellSlice &
  ToastsSlice &
  SettingsSlice &
  AboutSlice &
  VaultSlice &
  CredentialsSlice &
  ServersSlice &
  TerminalSlice &
  SitesSlice &
  CertificatesSlice &
  DatabasesSlice &
  PanelsSlice &
  MetricsSlice &
  AlertsSlice &
  OperationsSlice;

export const useStore = create<AppState>()((...a) => ({
  ...createShellSlice(...a),
  ...createToastsSlice(...a),
  ...createSettingsSlice(...a),
  ...createAboutSlice(...a),
  ...createVaultSlice(...a),
  ...createCredentialsSlice(...a),
  ...createServersSlice(...a),
  ...createTerminalSlice(...a),
  ...createSitesSlice(...a),
  ...createCertificatesSlice(...a),
  ...createDatabasesSlice(...a),
  ...createPanelsSlice(...a),
  ...createMetricsSlice(...a),
  ...createAlertsSlice(...a),
  ...createOperationsSlice(...a),
}));
