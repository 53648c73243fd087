import { plural } from '../../lib/plural';

/** What an ssh_config import did, in one sentence with agreeing plurals: "Imported 3 servers and 1 key; 1 entry skipped." */
export function importSummary(servers: number, keys: number, skipped: number): string {
  const made = keys > 0 ? `${plural(servers, 'server')} and ${plural(keys, 'key')}` : plural(servers, 'server');
  return `Imported ${made}${skipped > 0 ? `; ${plural(skipped, 'entry', 'entries')} skipped` : ''}.`;
}
