import type { AlertMetric, AlertRule, AlertSeverity, AlertState } from '../../../shared/contract/alerts.contract';

/** How each metric reads in the rules editor and the list, with the unit of its threshold. */
export const METRIC_INFO: Record<AlertMetric, { label: string; unit: string }> = {
  cpu: { label: 'CPU busy', unit: '%' },
  memory: { label: 'Memory used', unit: '%' },
  swap: { label: 'Swap used', unit: '%' },
  disk: { label: 'Disk used (any mount)', unit: '%' },
  load1: { label: 'Load (1 min)', unit: '' },
  unreachable: { label: 'Server unreachable', unit: '' },
  'certificate-expiry': { label: 'Certificate expires within', unit: 'days' },
};

export const SEVERITY_TONE: Record<AlertSeverity, '' | 'warn' | 'danger'> = {
  info: '',
  warning: 'warn',
  critical: 'danger',
};

export const STATE_TONE: Record<AlertState, '' | 'ok' | 'warn' | 'danger'> = {
  triggered: 'danger',
  acknowledged: 'warn',
  resolved: 'ok',
};

/** "for 5 min", "for 30 s", "at once". */
export function formatDuration(seconds: number): string {
  if (seconds === 0) return 'at once';
  if (seconds % 3600 === 0) return `for ${seconds / 3600} h`;
  if (seconds % 60 === 0) return `for ${seconds / 60} min`;
  return `for ${seconds} s`;
}

/** A rule's condition in words: "CPU busy > 80 % for 30 s". */
export function describeRule(r: Pick<AlertRule, 'metric' | 'condition' | 'threshold' | 'forSeconds'>): string {
  const info = METRIC_INFO[r.metric];
  if (r.metric === 'unreachable') return `${info.label} ${formatDuration(r.forSeconds)}`;
  if (r.metric === 'certificate-expiry') return `${info.label} ${r.threshold} days`;
  return `${info.label} ${r.condition} ${r.threshold}${info.unit ? ` ${info.unit}` : ''} ${formatDuration(r.forSeconds)}`;
}
