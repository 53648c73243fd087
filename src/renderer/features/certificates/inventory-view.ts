import type { Certificate, CertificateState } from '../../../shared/contract/certificates.contract';

/*
 * The inventory as the section shows it: order, days left, urgency colours, names and filters. Pure functions (no
 * store, no client), shared by the table and the timeline and unit-tested on their own.
 */

/** The table's filters ('' = any). */
export interface CertificateFilter {
  serverId: string;
  state: CertificateState | '';
  query: string;
}

/** Soonest expiry first (the core already sorts; a merge of lists must not lose the order). */
export function sortByExpiry(certs: readonly Certificate[]): Certificate[] {
  return [...certs].sort((a, b) => a.notAfter - b.notAfter || a.path.localeCompare(b.path));
}

const DAY = 86_400_000;

/** Whole days from `now` to `notAfter`, rounded down; negative once expired. */
export function daysLeft(notAfter: number, now: number): number {
  return Math.floor((notAfter - now) / DAY);
}

/** How urgent an expiry is: the 21/7-day notice thresholds, or already past. */
export type Urgency = 'ok' | 'soon' | 'urgent' | 'expired';

/** The urgency of a certificate expiring at `notAfter` (≤ 21 days: soon, ≤ 7: urgent, past: expired). */
export function urgency(notAfter: number, now: number): Urgency {
  if (notAfter <= now) return 'expired';
  const d = (notAfter - now) / DAY;
  if (d <= 7) return 'urgent';
  if (d <= 21) return 'soon';
  return 'ok';
}

/** The names a certificate covers: its sites' domains and its SANs, each once. */
export function certificateNames(c: Certificate): string[] {
  return [...new Set([...c.domains, ...c.sans])];
}

/** The certificates that match the filters (domains, SANs, subject, issuer and path are searched). */
export function filterCertificates(certs: readonly Certificate[], f: CertificateFilter): Certificate[] {
  const q = f.query.trim().toLowerCase();
  return certs.filter(
    (c) =>
      (f.serverId === '' || c.serverId === f.serverId) &&
      (f.state === '' || c.state === f.state) &&
      (q === '' ||
        certificateNames(c).some((n) => n.toLowerCase().includes(q)) ||
        c.subject.toLowerCase().includes(q) ||
        c.issuer.toLowerCase().includes(q) ||
        c.path.toLowerCase().includes(q)),
  );
}

/** A date as YYYY-MM-DD in UTC (certificates' validity is in UTC; the title shows the full time). */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The issuer's common name (or organization) from `C=US, O=…, CN=…`; the whole text when it has neither. */
export function issuerName(issuer: string): string {
  const part = (key: string): string | undefined =>
    issuer
      .split(/,\s*/)
      .find((p) => p.startsWith(`${key}=`))
      ?.slice(key.length + 1);
  return part('CN') ?? part('O') ?? issuer;
}
