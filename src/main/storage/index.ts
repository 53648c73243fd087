/** Storage: the shared migration runner, the sealer view of the vault, and history.db with its stores. */
export { runMigrations, type Migration } from './migration-runner';
export { historyAad, keySealer, openJson, sealJson, type Sealed, type Sealer } from './sealer';
export { HistoryDb } from './history/history-db';
export { JournalStore } from './history/journal-store';
export type * from './history/journal-store';
export { CertificateStore, type CertificateEntry } from './history/certificate-store';
export { HISTORY_MIGRATIONS, migrateHistory } from './history/migrations';
export { MetricsStore } from './history/metrics-store';
export type * from './history/metrics-store';
export {
  METRICS,
  METRIC_NAMES,
  type MetricName,
  type MetricsRow,
  type MetricsTick,
  type MetricsValues,
} from './history/metrics-schema';
export type { MetricPoints, MetricSeries } from './history/metrics-query';
export { DEFAULT_RETENTION_DAYS, RetentionService, type AuditPruner, type RetentionDeps } from './retention.service';
