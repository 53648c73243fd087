import { plural } from '../../lib/plural';

/**
 * What a known_hosts import did, in sentences: hashed entries are explained (they hide the host name, so they
 * cannot be listed; they are matched when a server is connected), skipped lines are listed below it.
 */
export function knownHostsSummary(r: {
  imported: number;
  alreadyTrusted: number;
  hashed: number;
  skipped: unknown[];
}): string {
  const parts = [`Imported ${plural(r.imported, 'host key')}`];
  if (r.alreadyTrusted > 0) parts.push(`${r.alreadyTrusted} already trusted`);
  let text = `${parts.join('; ')}.`;
  if (r.hashed > 0) {
    text +=
      ` Kept ${plural(r.hashed, 'hashed entry', 'hashed entries')}: hashed entries cannot be listed by name;` +
      ' they are matched when you connect.';
  }
  if (r.skipped.length > 0) text += ` Skipped ${plural(r.skipped.length, 'line')}:`;
  return text;
}
