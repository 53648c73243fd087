import { HUB_DOMAIN, isoAgo, jsonBody, newId, siteRow, type RouteCtx, type WfSiteRow } from './website-factory-state';

const DAY = 86_400_000;
const SITE_PATCH = new Set([
  'brand_name',
  'cloudflare_account_id',
  'status_dns',
  'status_hosting',
  'status_content',
  'status_deployment',
  'error_message',
]);

/** A query integer in [min, max] (FastAPI Query(ge, le)); null after answering 422. */
function intQuery(c: RouteCtx, name: string, def: number, min: number, max: number): number | null {
  const raw = c.req.query.get(name);
  if (raw === null) return def;
  const n = Number(raw);
  if (!/^-?\d+$/.test(raw)) {
    c.invalid([{ loc: ['query', name], msg: 'Input should be a valid integer', type: 'int_parsing', input: raw }]);
    return null;
  }
  if (n < min) {
    c.invalid([
      { loc: ['query', name], msg: `Input should be greater than or equal to ${min}`, type: 'greater_than_equal' },
    ]);
    return null;
  }
  if (n > max) {
    c.invalid([{ loc: ['query', name], msg: `Input should be less than or equal to ${max}`, type: 'less_than_equal' }]);
    return null;
  }
  return n;
}

/** The body as an object with these required string fields; null after answering 422. */
export function required(c: RouteCtx, fields: readonly string[]): Record<string, unknown> | null {
  const b = jsonBody(c.req);
  if (b === null) {
    c.invalid([{ loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid' }]);
    return null;
  }
  const missing = fields.filter((f) => typeof b[f] !== 'string' || b[f] === '');
  if (missing.length > 0) {
    c.invalid(missing.map((f) => ({ loc: ['body', f], msg: 'Field required', type: 'missing', input: b })));
    return null;
  }
  return b;
}

/** The documented 400 for a bad domain; the public code's pydantic validator answers 422 instead. */
function badDomain(c: RouteCtx, domain: unknown): true {
  if (c.deviations) {
    return c.invalid([
      { loc: ['body', 'domain'], msg: 'Value error, Invalid domain format', type: 'value_error', input: domain },
    ]);
  }
  return c.fail(400, 'Validation error: Invalid domain format');
}

/** Sites: list with limit/offset and every filter, simple, stats, create, bulk, patch, delete, retry. */
export function routeSites(c: RouteCtx): boolean {
  const { req, parts, store } = c;
  const m = req.method;
  const sites = store.sites;
  if (parts[0] !== 'sites') return false;
  const id = parts[1];
  if (m === 'GET' && id === undefined) {
    const limit = intQuery(c, 'limit', 50, 1, 100);
    const offset = limit === null ? null : intQuery(c, 'offset', 0, 0, 1_000_000);
    if (limit === null || offset === null) return true;
    const q = req.query;
    let rows = sites.slice();
    for (const f of ['status_dns', 'status_hosting', 'status_content', 'status_deployment'] as const) {
      const v = q.get(f);
      if (v !== null) rows = rows.filter((s) => s[f] === v);
    }
    const search = q.get('domain_search');
    if (search !== null) rows = rows.filter((s) => s.domain.includes(search.toLowerCase()));
    const hasError = q.get('has_error');
    if (hasError !== null) rows = rows.filter((s) => (s.error_message !== null) === (hasError === 'true'));
    const items = rows.slice(offset, offset + limit);
    return c.ok({
      items,
      total: rows.length,
      limit,
      offset,
      has_next: offset + items.length < rows.length,
      has_prev: offset > 0,
    });
  }
  if (m === 'GET' && id === 'simple') {
    return c.ok(sites.map((s) => ({ id: s.id, domain: s.domain, brand_name: s.brand_name, status_dns: s.status_dns })));
  }
  if (m === 'GET' && id === 'stats') {
    const count = (k: keyof WfSiteRow, v: string) => sites.filter((s) => s[k] === v).length;
    const stats = (k: keyof WfSiteRow) => ({
      active: count(k, 'active'),
      pending: count(k, 'pending'),
      failed: count(k, 'failed'),
    });
    return c.ok({
      total_sites: sites.length,
      active_sites: count('status_deployment', 'deployed'),
      pending_sites: sites.filter((s) => s.status_deployment !== 'deployed' && s.error_message === null).length,
      failed_sites: sites.filter((s) => s.error_message !== null).length,
      dns_stats: stats('status_dns'),
      hosting_stats: stats('status_hosting'),
    });
  }
  if (m === 'POST' && id === undefined) {
    const b = required(c, ['domain', 'brand_name']);
    if (b === null) return true;
    const domain = String(b['domain']).toLowerCase();
    if (!HUB_DOMAIN.test(domain)) return badDomain(c, b['domain']);
    if (sites.some((s) => s.domain === domain)) return c.fail(400, `Site with domain ${domain} already exists`);
    const row = siteRow(c.now(), domain, String(b['brand_name']), {
      cloudflare_account_id: typeof b['cloudflare_account_id'] === 'string' ? b['cloudflare_account_id'] : null,
    });
    sites.push(row);
    store.effects.push(`site.create ${domain}`);
    return c.ok(row);
  }
  if (m === 'POST' && id === 'bulk' && parts.length === 2) return bulk(c);
  const row = id === undefined ? undefined : sites.find((s) => s.id === id);
  if (m === 'PATCH' && parts.length === 2) {
    if (!row) return c.fail(404, 'Site not found');
    const b = jsonBody(req);
    if (b === null) return c.invalid([{ loc: ['body', 0], msg: 'JSON decode error', type: 'json_invalid' }]);
    for (const [k, v] of Object.entries(b)) if (SITE_PATCH.has(k)) (row as unknown as Record<string, unknown>)[k] = v;
    row.updated_at = new Date(c.now()).toISOString();
    store.effects.push(`site.update ${row.domain}`);
    return c.ok(row);
  }
  if (m === 'DELETE' && parts.length === 2) {
    if (!row) return c.fail(404, 'Site not found');
    sites.splice(sites.indexOf(row), 1);
    store.effects.push(`site.delete ${row.domain}`);
    return c.ok({ message: 'Site deleted successfully', site_id: row.id });
  }
  if (m === 'POST' && parts[2] === 'retry' && parts.length === 3) {
    if (!row) return c.fail(404, 'Site not found');
    const failed = store.executions.filter((e) => e.site_id === row.id && e.status === 'failed');
    for (const e of failed) {
      e.status = 'retrying';
      e.retry_count++;
    }
    store.effects.push(`site.retry ${row.domain} ${failed.length}`);
    return c.ok({ retried: failed.length, message: `Retried ${failed.length} failed workflows for site` });
  }
  return false;
}

function bulk(c: RouteCtx): true {
  const b = jsonBody(c.req);
  const list = b?.['sites'];
  if (!Array.isArray(list)) return c.invalid([{ loc: ['body', 'sites'], msg: 'Field required', type: 'missing' }]);
  if (list.length > c.bulkMaxRows) {
    return c.invalid([
      {
        loc: ['body', 'sites'],
        msg: `List should have at most ${c.bulkMaxRows} items after validation, not ${list.length}`,
        type: 'too_long',
      },
    ]);
  }
  const errors: unknown[] = [];
  let created = 0;
  list.forEach((raw: unknown, i) => {
    const s = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const domain = typeof s['domain'] === 'string' ? s['domain'].toLowerCase() : '';
    const nick = s['cloudflare_account_nickname'];
    let error: string | null = null;
    if (!HUB_DOMAIN.test(domain)) error = 'Invalid domain format';
    else if (c.store.sites.some((x) => x.domain === domain)) error = `Site with domain ${domain} already exists`;
    else if (typeof nick === 'string' && !c.store.cloudflare.some((a) => a['account_nickname'] === nick)) {
      error = `Cloudflare account '${nick}' not found`;
    }
    if (error !== null) {
      errors.push(c.deviations ? `Error creating site ${domain}: ${error}` : { row: i, domain, error });
      return;
    }
    const cf = c.store.cloudflare.find((a) => a['account_nickname'] === nick);
    c.store.sites.push(
      siteRow(c.now(), domain, typeof s['brand_name'] === 'string' ? s['brand_name'] : domain, {
        cloudflare_account_id: cf ? cf.id : null,
      }),
    );
    c.store.effects.push(`site.create ${domain}`);
    created++;
  });
  return c.ok({ created, failed: errors.length, errors });
}

/** Workflows and monitoring: trigger, executions, stats, failed, retrying, retry, health, alerts, processing. */
export function routeMonitoring(c: RouteCtx): boolean {
  const { req, parts, store } = c;
  const m = req.method;
  const now = c.now();
  const within = (iso: string, days: number) => now - Date.parse(iso) <= days * DAY;
  const path = parts.join('/');
  if (m === 'POST' && path === 'workflows/trigger') {
    const b = required(c, ['workflow_type', 'site_id']);
    if (b === null) return true;
    if (b['workflow_type'] !== 'content' && b['workflow_type'] !== 'deployment') {
      return c.fail(400, 'Invalid workflow type');
    }
    if (!store.sites.some((s) => s.id === b['site_id'])) return c.fail(404, 'Site not found');
    store.executions.push(execution(now, String(b['site_id']), String(b['workflow_type']), 'running'));
    store.effects.push(`workflow.trigger ${String(b['workflow_type'])}`);
    return c.ok({ message: `${String(b['workflow_type'])} workflow started`, site_id: b['site_id'] });
  }
  if (parts[0] !== 'monitoring' && parts[0] !== 'status') return false;
  const ex = store.executions;
  const newest = <T extends { started_at: string }>(rows: T[]) =>
    rows.slice().sort((a, b) => b.started_at.localeCompare(a.started_at));
  if (m === 'GET' && path === 'monitoring/workflows/executions') {
    const limit = intQuery(c, 'limit', 50, 1, 200);
    const days = limit === null ? null : intQuery(c, 'days', 7, 1, 30);
    if (limit === null || days === null) return true;
    let rows = ex.filter((e) => within(e.started_at, days));
    for (const f of ['site_id', 'workflow_type', 'status'] as const) {
      const v = req.query.get(f);
      if (v !== null) rows = rows.filter((e) => e[f] === v);
    }
    return c.ok(newest(rows).slice(0, limit));
  }
  if (m === 'GET' && path === 'monitoring/workflows/stats') {
    const days = intQuery(c, 'days', 7, 1, 30);
    if (days === null) return true;
    const rows = ex.filter((e) => within(e.started_at, days));
    const tally = (rs: typeof rows) => ({
      total: rs.length,
      successful: rs.filter((e) => e.status === 'completed').length,
      failed: rs.filter((e) => e.status === 'failed').length,
    });
    const t = tally(rows);
    return c.ok({
      total_executions: t.total,
      successful: t.successful,
      failed: t.failed,
      success_rate: t.total === 0 ? 0 : Math.round((t.successful / t.total) * 1000) / 10,
      by_workflow_type: Object.fromEntries(
        ['dns', 'hosting', 'content', 'deployment'].map((w) => [w, tally(rows.filter((e) => e.workflow_type === w))]),
      ),
    });
  }
  if (m === 'GET' && parts[2] === 'sites' && parts[4] === 'executions' && parts.length === 5) {
    return c.ok(newest(ex.filter((e) => e.site_id === parts[3])));
  }
  if (m === 'GET' && path === 'monitoring/workflows/failed') {
    const days = intQuery(c, 'days', 1, 1, 7);
    if (days === null) return true;
    return c.ok(newest(ex.filter((e) => e.status === 'failed' && within(e.started_at, days))));
  }
  if (m === 'GET' && path === 'monitoring/workflows/retrying')
    return c.ok(newest(ex.filter((e) => e.status === 'retrying')));
  if (m === 'POST' && parts[1] === 'workflows' && parts[3] === 'retry' && parts.length === 4) {
    const e = ex.find((x) => x.id === parts[2]);
    if (!e) return c.fail(404, 'Workflow execution not found');
    e.status = 'retrying';
    e.retry_count++;
    store.effects.push(`workflow.retry ${e.id}`);
    return c.ok({ message: 'Workflow retry triggered', execution_id: e.id });
  }
  if (m === 'GET' && path === 'monitoring/system/health') {
    return c.ok({
      status: 'healthy',
      health_score: 95.2,
      issues: [],
      components: { database: 'healthy', external_apis: 'healthy', automation_modules: 'healthy' },
      workflow_stats: {
        active_executions: ex.filter((e) => e.status === 'running').length,
        failed_last_hour: ex.filter((e) => e.status === 'failed' && within(e.started_at, 1 / 24)).length,
        avg_execution_time: '45s',
      },
    });
  }
  if (m === 'GET' && path === 'monitoring/alerts') {
    let rows = store.alerts.filter((a) => !a.resolved);
    const sev = req.query.get('severity');
    if (sev !== null) rows = rows.filter((a) => a.severity === sev);
    const ack = req.query.get('acknowledged');
    if (ack !== null) rows = rows.filter((a) => a.acknowledged === (ack === 'true'));
    const alerts = rows.map(({ resolved: _r, ...a }) => a);
    const bySeverity = Object.fromEntries(
      ['critical', 'high', 'medium', 'low'].map((s) => [s, rows.filter((a) => a.severity === s).length]),
    );
    return c.ok({
      alerts,
      summary: {
        total: rows.length,
        unacknowledged: rows.filter((a) => !a.acknowledged).length,
        by_severity: bySeverity,
      },
    });
  }
  if (m === 'POST' && parts[1] === 'alerts' && parts.length === 4) {
    const a = store.alerts.find((x) => x.id === parts[2] && !x.resolved);
    if (!a) return c.fail(404, 'Alert not found');
    if (parts[3] === 'acknowledge') {
      a.acknowledged = true;
      store.effects.push(`alert.acknowledge ${a.id}`);
      return c.ok({ message: 'Alert acknowledged', alert_id: a.id });
    }
    if (parts[3] === 'resolve') {
      a.resolved = true;
      store.effects.push(`alert.resolve ${a.id}`);
      return c.ok({ message: 'Alert resolved', alert_id: a.id });
    }
  }
  if (m === 'POST' && path === 'monitoring/health-check') {
    store.effects.push('health-check');
    return c.ok({ health_check_id: newId(), status: 'running', message: 'Health check initiated' });
  }
  if (m === 'GET' && path === 'status/processing') {
    const last = isoAgo(now, 60_000);
    return c.ok({
      dns_automator: { status: 'idle', last_execution: last, sites_in_queue: 0 },
      hosting_automator: { status: 'processing', current_site: store.sites[0]?.id ?? null, sites_in_queue: 3 },
      content_engine: { status: 'idle', sites_in_queue: 0 },
      deployment_scripts: { status: 'idle', sites_in_queue: 0 },
    });
  }
  if (m === 'POST' && path === 'status/update-step') return c.ok({ status: 'updated' });
  return false;
}

/** A new execution row. */
export function execution(now: number, siteId: string, type: string, status: string, agoMs = 0) {
  return {
    id: newId(),
    site_id: siteId,
    workflow_type: type,
    status,
    started_at: isoAgo(now, agoMs),
    completed_at: status === 'completed' ? isoAgo(now, agoMs - 60_000) : null,
    failed_at: status === 'failed' ? isoAgo(now, agoMs - 30_000) : null,
    error_message: status === 'failed' ? 'API key invalid' : null,
    retry_count: 0,
    max_retries: 3,
    next_retry_at: status === 'retrying' ? isoAgo(now, -600_000) : null,
  };
}
