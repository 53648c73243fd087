import type { CollectState } from './metrics-types';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in binary units with three significant figures ("1.46 GiB"). */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '–';
  let v = Math.abs(n);
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${n < 0 ? '-' : ''}${v.toFixed(digits)} ${UNITS[i] ?? 'B'}`;
}

/** A rate in bytes per second. */
export function formatRate(n: number | null | undefined): string {
  return n === null || n === undefined ? '–' : `${formatBytes(n)}/s`;
}

/** A percentage with one decimal ("42.5 %"). */
export function formatPct(n: number | null | undefined): string {
  return n === null || n === undefined || !Number.isFinite(n) ? '–' : `${n.toFixed(1)} %`;
}

/** used / total as a percentage, null when the total is unknown. */
export function pct(used: number | null | undefined, total: number | null | undefined): number | null {
  if (used === null || used === undefined || !total) return null;
  return (used / total) * 100;
}

/** How each collection state reads, and the badge tone that shows it. */
export const STATE_LABEL: Record<CollectState, { label: string; tone: '' | 'ok' | 'warn' | 'danger' }> = {
  off: { label: 'Off', tone: '' },
  connecting: { label: 'Connecting', tone: '' },
  up: { label: 'Up', tone: 'ok' },
  degraded: { label: 'Degraded', tone: 'warn' },
  unreachable: { label: 'Unreachable', tone: 'danger' },
  auth_failed: { label: 'Auth failed', tone: 'danger' },
};

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const hourMinute = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayHour = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit' });
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/** A time-axis tick formatter for a window of `spanMs`: seconds for live, days for months. */
export function tickFormatter(spanMs: number): (t: number) => string {
  if (spanMs <= 20 * 60_000) return (t) => timeOfDay.format(t);
  if (spanMs <= 26 * 3_600_000) return (t) => hourMinute.format(t);
  if (spanMs <= 8 * 86_400_000) return (t) => dayHour.format(t);
  return (t) => day.format(t);
}

/** A full timestamp for tooltips. */
export function formatTime(t: number): string {
  return new Date(t).toLocaleString();
}
