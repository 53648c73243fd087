/** The NexusPanel driver (issue 11): see createNexusPanelDriver. */
export { createNexusPanelDriver } from './nexuspanel.driver';
export type {
  NexusConnectionTest,
  NexusPanelDriver,
  NexusPanelDriverOptions,
  NexusSystemInfo,
} from './nexuspanel.driver';
export { NexusPanelApi, NEXUS_MAX_PER_PAGE } from './nexuspanel.client';
export type { AlertRoutes, NexusPage, NexusPanelApiOptions, NexusRow, NexusUser } from './nexuspanel.client';
export { readNexusError, NEXUS_APP_CODES } from './nexuspanel-errors';
export type { NexusMetricsStream, NexusTerminal } from './nexuspanel-live';
export { currentToSample, streamToSample, NEXUS_UNREPORTED } from './nexuspanel-metrics';
export type { NexusCurrentMetrics, NexusHistory, NexusHistoryRange, NexusStreamSample } from './nexuspanel-metrics';
export { NexusPanelResources, parseProcessSearch } from './nexuspanel-resources';
export type { ProcessSort } from './nexuspanel-resources';
