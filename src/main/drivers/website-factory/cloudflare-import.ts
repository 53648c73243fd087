import { AppError } from '../../../shared/errors';
import { parseCsvTable } from './csv-parse';
import type { WriteSpec } from './write-plan';
import type { WebsiteFactoryApi } from './website-factory.client';
import { checkEmail, checkKey, checkSecret } from './website-factory-values';

const COLUMNS = ['email', 'account_nickname', 'api_token', 'cloudflare_account_id'] as const;

/**
 * The bulk import of Cloudflare accounts from the documented CSV (`email,account_nickname,api_token,
 * cloudflare_account_id`), sent as the JSON variant (POST …/cloudflare/bulk-import-json). Every row is checked
 * first and a CSV with any bad row is refused whole, naming the lines (nothing is sent); every token is a secret
 * of the plan, so the preview and the journal show it masked.
 */
export function cloudflareImport(csv: unknown, api: WebsiteFactoryApi): WriteSpec {
  if (typeof csv !== 'string' || csv.trim() === '') {
    throw new AppError('VALIDATION', 'Paste the CSV of Cloudflare accounts.', { field: 'csv' });
  }
  const table = parseCsvTable(csv);
  const missing = COLUMNS.filter((c) => c !== 'cloudflare_account_id' && !table.columns.includes(c));
  if (missing.length > 0) {
    throw new AppError('VALIDATION', `The CSV header needs the column(s) ${missing.join(', ')}.`, { field: 'csv' });
  }
  const problems: string[] = [];
  const accounts: Record<string, string>[] = [];
  const seen = new Set<string>();
  for (const row of table.rows) {
    const v = row.values;
    const account: Record<string, string> = {};
    for (const [key, check] of [
      ['email', checkEmail],
      ['account_nickname', checkKey],
      ['api_token', checkSecret],
      ['cloudflare_account_id', checkKey],
    ] as const) {
      const raw = v[key] ?? '';
      if (raw === '' && key === 'cloudflare_account_id') continue;
      const r = check(raw);
      if ('problem' in r) problems.push(`line ${row.line}: ${key}: ${r.problem}`);
      else account[key] = r.value;
    }
    const nick = account['account_nickname'];
    if (nick !== undefined && seen.has(nick)) problems.push(`line ${row.line}: account_nickname ${nick} is repeated`);
    if (nick !== undefined) seen.add(nick);
    accounts.push(account);
  }
  if (problems.length > 0) {
    throw new AppError('VALIDATION', `Nothing was sent: ${problems.slice(0, 5).join('; ')}.`, {
      field: 'csv',
      problems,
    });
  }
  if (accounts.length === 0) throw new AppError('VALIDATION', 'The CSV has no accounts.', { field: 'csv' });
  const nicknames = accounts.map((a) => a['account_nickname'] ?? '');
  return {
    resource: 'cloudflare-import',
    verb: 'create',
    title: `Import ${accounts.length} Cloudflare account(s) into Website Factory`,
    method: 'POST',
    path: '/api/v1/credentials/cloudflare/bulk-import-json',
    json: { accounts },
    secrets: accounts.map((a) => a['api_token'] ?? '').filter((t) => t !== ''),
    lookup: async (signal) => {
      const have = await api.call<unknown[]>('GET', '/api/v1/credentials/cloudflare-accounts', { signal });
      const names = new Set(
        (Array.isArray(have) ? have : []).map((x) => (x as Record<string, unknown>)['account_nickname']),
      );
      return nicknames.every((n) => names.has(n));
    },
    params: { accounts: accounts.length },
  };
}
