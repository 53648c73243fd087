import type { MetricsSample, MetricsServerState } from '../metrics/metrics.types';
import type { Observation } from './alert-engine';

const pct = (used: number, total: number): number | null => (total > 0 ? (used / total) * 100 : null);

/** What a metrics sample says to the alert rules: CPU, memory and swap in %, load, and every filesystem's use. */
export function observationsFromSample(s: MetricsSample): Observation[] {
  const out: Observation[] = [
    { serverId: s.serverId, metric: 'cpu', subject: 'cpu', value: s.cpuBp === null ? null : s.cpuBp / 100 },
    { serverId: s.serverId, metric: 'memory', subject: 'memory', value: pct(s.memUsedBytes, s.memTotalBytes) },
    { serverId: s.serverId, metric: 'swap', subject: 'swap', value: pct(s.swapUsedBytes, s.swapTotalBytes) },
    { serverId: s.serverId, metric: 'load1', subject: 'load1', value: s.load1 / 100 },
  ];
  for (const fs of s.filesystems) {
    out.push({
      serverId: s.serverId,
      metric: 'disk',
      subject: `disk:${fs.mount}`,
      value: pct(fs.usedBytes, fs.usedBytes + fs.availBytes),
    });
  }
  return out;
}

/** A collector state change as an observation of the `unreachable` rules (1 = cannot be reached or signed in). */
export function observationFromState(serverId: string, state: MetricsServerState): Observation | null {
  if (state === 'connecting' || state === 'degraded') return null;
  return { serverId, metric: 'unreachable', subject: 'unreachable', value: state === 'up' ? 0 : 1 };
}

/** The certificate inventory as observations: days left of each certificate (negative once expired). */
export function observationsFromCertificates(
  certs: readonly { readonly id: string; readonly serverId: string; readonly notAfter: number }[],
  now: number,
): Observation[] {
  return certs.map((c) => ({
    serverId: c.serverId,
    metric: 'certificate-expiry' as const,
    subject: `certificate:${c.id}`,
    value: Math.floor((c.notAfter - now) / 86_400_000),
  }));
}
