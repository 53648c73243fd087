import { required } from './website-factory-routes';
import { isoAgo, jsonBody, newId, type RouteCtx, type WfCredRow } from './website-factory-state';

function public_(row: WfCredRow, hidden: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(row).filter(([k]) => !hidden.includes(k) && k !== 'deleted'));
}

interface CredStore {
  rows: WfCredRow[];
  required: string[];
  /** Never listed in the documented mode (the public code lists them too: `leaks`). */
  hidden: string[];
  leaks: string[];
  /** POST upserts by this key (registrars, infrastructure) instead of creating. */
  upsertBy?: string;
  unique?: string;
  notFound: string;
  filter?: [query: string, field: string];
}

/** Credentials: servers, registrars, infrastructure, Cloudflare accounts, and the JSON bulk import. */
export function routeCredentials(c: RouteCtx): boolean {
  const { req, parts, store } = c;
  if (parts[0] !== 'api' || parts[1] !== 'v1' || parts[2] !== 'credentials') return false;
  const m = req.method;
  const stores: Record<string, CredStore> = {
    servers: {
      rows: store.servers,
      required: ['name', 'ip_address', 'type'],
      hidden: [],
      leaks: [],
      notFound: 'Server not found',
    },
    registrars: {
      rows: store.registrars,
      required: ['provider', 'api_user', 'api_key'],
      hidden: ['api_key', 'api_secret'],
      leaks: ['api_key'],
      upsertBy: 'provider',
      notFound: 'Registrar credentials not found',
      filter: ['provider', 'provider'],
    },
    infrastructure: {
      rows: store.infrastructure,
      required: ['service', 'url'],
      hidden: ['password', 'api_token'],
      leaks: ['password'],
      upsertBy: 'service',
      notFound: 'Infrastructure credentials not found',
      filter: ['service_name', 'service'],
    },
    'cloudflare-accounts': {
      rows: store.cloudflare,
      required: ['email', 'account_nickname', 'api_token'],
      hidden: [],
      leaks: [],
      unique: 'account_nickname',
      notFound: 'Cloudflare account not found',
    },
  };
  const kind = parts[3];
  if (kind === 'cloudflare' && m === 'POST' && parts[4] === 'bulk-import-json') {
    const list = jsonBody(req)?.['accounts'];
    if (!Array.isArray(list)) return c.invalid([{ loc: ['body', 'accounts'], msg: 'Field required', type: 'missing' }]);
    const errors: string[] = [];
    let imported = 0;
    for (const raw of list as Record<string, unknown>[]) {
      if (store.cloudflare.some((a) => a['account_nickname'] === raw['account_nickname'])) {
        errors.push(`Account ${String(raw['account_nickname'])} already exists`);
        continue;
      }
      store.cloudflare.push({ id: newId(), ...raw, created_at: isoAgo(c.now(), 0), updated_at: isoAgo(c.now(), 0) });
      store.effects.push(`cloudflare.create ${String(raw['account_nickname'])}`);
      imported++;
    }
    return c.ok({ imported, failed: errors.length, errors });
  }
  const s = kind === undefined ? undefined : stores[kind];
  if (!s) return false;
  const show = (r: WfCredRow) =>
    public_(
      r,
      s.hidden.filter((h) => !(c.deviations && s.leaks.includes(h))),
    );
  const live = s.rows.filter((r) => !r.deleted);
  const key = parts[4];
  if (m === 'GET' && key === undefined) {
    let rows = live;
    if (kind === 'servers' && req.query.get('active_only') === 'true')
      rows = rows.filter((r) => r['is_active'] === true);
    const f = s.filter ? req.query.get(s.filter[0]) : null;
    if (s.filter && f !== null) rows = rows.filter((r) => r[s.filter?.[1] ?? ''] === f);
    return c.ok(rows.map(show));
  }
  if (m === 'POST' && key === undefined) {
    const b = required(c, s.required);
    if (b === null) return true;
    const at = isoAgo(c.now(), 0);
    const existing = s.upsertBy ? live.find((r) => r[s.upsertBy ?? ''] === b[s.upsertBy ?? '']) : undefined;
    if (existing) {
      Object.assign(existing, b, { updated_at: at });
      store.effects.push(`${kind}.update ${String(b[s.upsertBy ?? ''])}`);
      return c.ok(show(existing));
    }
    if (s.unique && live.some((r) => r[s.unique ?? ''] === b[s.unique ?? ''])) {
      return c.fail(400, `Account nickname ${String(b[s.unique])} already exists`);
    }
    const row: WfCredRow = { id: newId(), is_active: true, metadata: {}, ...b, created_at: at, updated_at: at };
    s.rows.push(row);
    store.effects.push(`${kind}.create ${String(b[s.required[0] ?? ''])}`);
    return c.ok(show(row));
  }
  const row = live.find((r) => (s.upsertBy ? r[s.upsertBy] === key : r.id === key));
  if (key !== undefined && parts.length === 5) {
    if (!row) return c.fail(404, s.notFound);
    if (m === 'GET') return c.ok(show(row));
    if (m === 'PUT') {
      const b = jsonBody(req);
      if (b === null) return c.invalid([{ loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid' }]);
      Object.assign(row, b, { updated_at: isoAgo(c.now(), 0) });
      store.effects.push(`${kind}.update ${key}`);
      return c.ok(show(row));
    }
    if (m === 'DELETE' && (kind === 'servers' || kind === 'cloudflare-accounts')) {
      if (kind === 'servers') row.deleted = true;
      else s.rows.splice(s.rows.indexOf(row), 1);
      store.effects.push(`${kind}.delete ${key}`);
      return c.ok({ success: true });
    }
  }
  return false;
}
