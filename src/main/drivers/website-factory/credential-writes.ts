import { AppError } from '../../../shared/errors';
import type { WebsiteFactoryApi } from './website-factory.client';
import {
  boolOf,
  checkDisplayName,
  checkEmail,
  checkIp,
  checkKey,
  checkSecret,
  checkUrl,
  checkUserName,
  must,
  type Check,
} from './website-factory-values';
import type { WriteSpec } from './write-plan';

/** Optional value: checked when given, left out when empty. */
function optional(check: Check, raw: unknown, field: string, label: string): string | undefined {
  return raw === undefined || raw === null || raw === '' ? undefined : must(check, raw, field, label);
}

function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * The create of a credential store entry (servers, registrars, infrastructure, Cloudflare accounts), every value
 * checked before anything is sent: secret fields are the plan's secrets, and an ambiguous failure is looked up
 * by the store's key (name, provider, service, nickname) before the POST is sent again.
 */
export function credentialWrite(
  kind: string,
  values: Readonly<Record<string, unknown>>,
  api: WebsiteFactoryApi,
): WriteSpec {
  const exists = (path: string, key: string, value: string) => async (signal: AbortSignal) => {
    const have = await api.call<unknown>('GET', path, { signal });
    return (Array.isArray(have) ? have : []).some((i) => (i as Record<string, unknown>)[key] === value);
  };
  switch (kind) {
    case 'servers': {
      const json = defined({
        name: must(checkDisplayName, values['name'], 'name', 'Name'),
        ip_address: must(checkIp, values['ip_address'], 'ip_address', 'IP address'),
        type: must(checkKey, values['type'], 'type', 'Type'),
        cloudpanel_url: optional(checkUrl, values['cloudpanel_url'], 'cloudpanel_url', 'CloudPanel URL'),
        is_active: boolOf(values['is_active'], true),
        metadata: {},
      });
      const path = '/api/v1/credentials/servers';
      return {
        resource: kind,
        verb: 'create',
        title: `Add server ${String(json['name'])} on Website Factory`,
        method: 'POST',
        path,
        json,
        lookup: exists(path, 'name', String(json['name'])),
        params: { name: String(json['name']) },
      };
    }
    case 'registrars': {
      const json = defined({
        provider: must(checkKey, values['provider'], 'provider', 'Provider'),
        api_user: must(checkUserName, values['api_user'], 'api_user', 'API user'),
        api_key: must(checkSecret, values['api_key'], 'api_key', 'API key'),
        api_secret: optional(checkSecret, values['api_secret'], 'api_secret', 'API secret'),
        api_endpoint: optional(checkUrl, values['api_endpoint'], 'api_endpoint', 'API endpoint'),
        username: optional(checkUserName, values['username'], 'username', 'User name'),
        client_ip: optional(checkIp, values['client_ip'], 'client_ip', 'Client IP'),
        is_active: boolOf(values['is_active'], true),
      });
      const path = '/api/v1/credentials/registrars';
      return {
        resource: kind,
        verb: 'create',
        title: `Save ${String(json['provider'])} registrar credentials on Website Factory`,
        method: 'POST',
        path,
        json,
        secrets: [json['api_key'], json['api_secret']].filter((s): s is string => typeof s === 'string'),
        lookup: exists(path, 'provider', String(json['provider'])),
        params: { provider: String(json['provider']) },
      };
    }
    case 'infrastructure': {
      const json = defined({
        service: must(checkKey, values['service'], 'service', 'Service'),
        url: must(checkUrl, values['url'], 'url', 'URL'),
        username: optional(checkUserName, values['username'], 'username', 'User name'),
        password: optional(checkSecret, values['password'], 'password', 'Password'),
        api_token: optional(checkSecret, values['api_token'], 'api_token', 'API token'),
        is_active: boolOf(values['is_active'], true),
      });
      const path = '/api/v1/credentials/infrastructure';
      return {
        resource: kind,
        verb: 'create',
        title: `Save ${String(json['service'])} credentials on Website Factory`,
        method: 'POST',
        path,
        json,
        secrets: [json['password'], json['api_token']].filter((s): s is string => typeof s === 'string'),
        lookup: exists(path, 'service', String(json['service'])),
        params: { service: String(json['service']) },
      };
    }
    case 'cloudflare-accounts': {
      const json = defined({
        email: must(checkEmail, values['email'], 'email', 'E-mail'),
        account_nickname: must(checkKey, values['account_nickname'], 'account_nickname', 'Nickname'),
        api_token: must(checkSecret, values['api_token'], 'api_token', 'API token'),
        cloudflare_account_id: optional(checkKey, values['cloudflare_account_id'], 'cloudflare_account_id', 'Id'),
      });
      const path = '/api/v1/credentials/cloudflare-accounts';
      return {
        resource: kind,
        verb: 'create',
        title: `Add Cloudflare account ${String(json['account_nickname'])} on Website Factory`,
        method: 'POST',
        path,
        json,
        secrets: [String(json['api_token'])],
        lookup: exists(path, 'account_nickname', String(json['account_nickname'])),
        params: { account_nickname: String(json['account_nickname']) },
      };
    }
    default:
      throw new AppError('UNSUPPORTED', `Website Factory has no credential store "${kind}".`);
  }
}
