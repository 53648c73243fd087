import type { GhostStore } from './ghostcp-store';
import { visible, type Answer, type Fields, type Row } from './ghostcp-store';
import type { LoggedRequest } from './loopback-server';

/** The answer builders of the loopback GhostCP in one mode (documented, or the public code's deviations). */
export function makeAnswers(dev: boolean, store: GhostStore) {
  const err = (status: number, error: string, details?: unknown): Answer => ({
    status,
    body: { error, status, ...(details !== undefined ? { details } : {}) },
  });
  const bare = (status: number): Answer => ({ status });
  const invalid = (f: Fields, deviationMessage: string): Answer =>
    dev ? err(422, deviationMessage) : err(422, 'Validation failed', f);
  const created = (row: Row): Answer => ({ status: dev ? 200 : 201, body: visible(row) });
  const notFound = (resource: string, id: string): Answer =>
    dev ? err(404, 'Resource not found') : err(404, 'Resource not found', { resource, id });
  const unauthorized = (message: string): Answer => (dev ? bare(401) : err(401, message));
  const todo = (message: string, key?: string): Answer => ({
    status: 200,
    body: { ...(key ? { [key]: [] } : {}), message },
  });

  function page(
    req: LoggedRequest,
    rows: Row[],
    key: string,
    o: { def?: number; max?: number; pages?: boolean } = {},
  ): Answer {
    const q = req.query;
    const p = Math.max(1, Number.parseInt(q.get('page') ?? '1', 10) || 1);
    const limit = Math.max(1, Math.min(o.max ?? 100, Number.parseInt(q.get('limit') ?? '', 10) || (o.def ?? 20)));
    let list = rows;
    const sort = q.get('sort');
    if (sort) {
      const dir = q.get('order') === 'desc' ? -1 : 1;
      list = [...rows].sort((a, b) =>
        String(a[sort]) < String(b[sort]) ? -dir : String(a[sort]) > String(b[sort]) ? dir : 0,
      );
    }
    const items = list.slice((p - 1) * limit, p * limit).map(visible);
    const total = rows.length;
    return {
      status: 200,
      body: { [key]: items, total, page: p, limit, ...(o.pages === false ? {} : { pages: Math.ceil(total / limit) }) },
    };
  }

  function byId(rows: Row[], id: string | undefined): Row | undefined {
    return rows.find((r) => r['id'] === id);
  }

  function remove(rows: Row[], id: string, resource: string, effect: string): Answer {
    if (dev) return bare(405);
    const i = rows.findIndex((r) => r['id'] === id);
    if (i < 0) return notFound(resource, id);
    const [row] = rows.splice(i, 1);
    store.effects.push(
      `${effect} ${[row?.['domain'], row?.['username'], row?.['name']].find((x): x is string => typeof x === 'string') ?? id}`,
    );
    return { status: 204 };
  }

  function userFilter(req: LoggedRequest, rows: Row[]): Row[] {
    const uid = req.query.get('user_id');
    return uid ? rows.filter((r) => r['user_id'] === uid) : rows;
  }

  return { err, bare, invalid, created, notFound, unauthorized, todo, page, byId, remove, userFilter };
}

/** What a resource route needs: the request, its path parts, its body and the signed-in user. */
export interface RouteContext {
  readonly dev: boolean;
  readonly store: GhostStore;
  readonly a: ReturnType<typeof makeAnswers>;
  readonly req: LoggedRequest;
  readonly m: string;
  readonly res: string | undefined;
  readonly id: string | undefined;
  readonly sub: string | undefined;
  readonly subId: string | undefined;
  readonly b: Record<string, unknown>;
  readonly uid: string;
  readonly who: Row;
  readonly jobSteps: number;
}

/** The resource routes (users, domains, DNS, mail, databases, SSL, jobs, backups) of the loopback GhostCP. */
export function resourceRoute(c: RouteContext): Answer {
  const { dev, store, req, m, res, id, sub, subId, b, uid, who, jobSteps } = c;
  const { err, bare, invalid, created, notFound, todo, page, byId, remove, userFilter } = c.a;
  if (res === 'users') {
    if (!dev && who['role'] !== 'admin') return err(403, 'Forbidden', { required_role: 'admin' });
    if (id === undefined && m === 'GET') {
      const role = req.query.get('role');
      const search = req.query.get('search')?.toLowerCase();
      const rows = store.users.filter(
        (u) =>
          (!role || u['role'] === role) &&
          (!search || ['username', 'email', 'full_name'].some((k) => String(u[k]).toLowerCase().includes(search))),
      );
      return page(req, rows, 'users');
    }
    if (id === undefined && m === 'POST') {
      const r = store.createUser(b, dev);
      if (typeof r === 'string') return err(422, r);
      return 'id' in r ? created(r) : invalid(r as Fields, '');
    }
    const user = byId(store.users, id);
    if (m === 'DELETE') return remove(store.users, id ?? '', 'user', 'user.delete');
    if (!user) return notFound('user', id ?? '');
    if (m === 'GET') return { status: 200, body: visible(user) };
    if (m === 'PUT') {
      if (!dev) {
        for (const k of ['email', 'full_name', 'disk_quota', 'is_suspended', 'package_name'])
          if (k in b) user[k] = b[k];
        if ('is_suspended' in b)
          store.effects.push(`user.${b['is_suspended'] ? 'suspend' : 'unsuspend'} ${String(user['username'])}`);
      }
      return { status: 200, body: visible(user) };
    }
  }

  if (res === 'domains') {
    if (dev) {
      if (id === undefined)
        return m === 'GET' ? todo('Web domains endpoint - TODO', 'domains') : todo('Create web domain - TODO');
      return m === 'GET' ? todo('Get web domain - TODO') : bare(405);
    }
    if (id === undefined && m === 'GET') return page(req, userFilter(req, store.domains), 'domains');
    if (id === undefined && m === 'POST') {
      const r = store.createDomain(b, uid);
      return 'id' in r ? created(r) : invalid(r as Fields, '');
    }
    if (m === 'GET')
      return byId(store.domains, id)
        ? { status: 200, body: visible(byId(store.domains, id) ?? {}) }
        : notFound('domain', id ?? '');
    if (m === 'DELETE') return remove(store.domains, id ?? '', 'domain', 'domain.delete');
  }

  if (res === 'dns') {
    if (id === undefined && m === 'GET') return page(req, userFilter(req, store.zones), 'zones', { pages: !dev });
    if (id === undefined && m === 'POST') {
      const r = store.createZone(b, uid);
      if ('badRequest' in r) return err(400, String(r['badRequest']));
      return 'id' in r ? created(r) : invalid(r as Fields, 'Database error: invalid zone');
    }
    const zone = byId(store.zones, id);
    if (sub === 'records') {
      if (subId !== undefined && m === 'DELETE') {
        if (dev) return bare(405);
        const rows = store.records;
        const i = rows.findIndex((r) => r['id'] === subId && r['zone_id'] === id);
        if (i < 0) return notFound('dns_record', subId);
        rows.splice(i, 1);
        store.effects.push(`record.delete ${subId}`);
        return { status: 204 };
      }
      if (!zone) return notFound('dns_zone', id ?? '');
      if (m === 'GET') {
        return page(
          req,
          store.records.filter((r) => r['zone_id'] === id),
          'records',
          dev ? { def: 50, max: 200, pages: false } : {},
        );
      }
      if (m === 'POST') {
        const r = store.createRecord(zone, b);
        return 'id' in r ? created(r) : invalid(r as Fields, 'DNS provider error: invalid record');
      }
    }
    if (sub === undefined && m === 'DELETE') return remove(store.zones, id ?? '', 'dns_zone', 'zone.delete');
    if (sub === undefined && m === 'GET')
      return zone ? { status: 200, body: visible(zone) } : notFound('dns_zone', id ?? '');
  }

  if (res === 'mail') {
    if (dev) {
      if (id === undefined)
        return m === 'GET' ? todo('Mail domains - TODO', 'domains') : todo('Create mail domain - TODO');
      if (sub === 'accounts' && subId === undefined)
        return m === 'GET' ? todo('Mail accounts - TODO', 'accounts') : todo('Create mail account - TODO');
      return bare(405);
    }
    if (id === undefined && m === 'GET') return page(req, userFilter(req, store.mailDomains), 'domains');
    if (id === undefined && m === 'POST') {
      const r = store.createMailDomain(b, uid);
      return 'id' in r ? created(r) : invalid(r as Fields, '');
    }
    const dom = byId(store.mailDomains, id);
    if (sub === 'accounts') {
      if (subId !== undefined && m === 'DELETE')
        return remove(store.mailAccounts, subId, 'mail_account', 'mailbox.delete');
      if (!dom) return notFound('mail_domain', id ?? '');
      if (m === 'GET')
        return page(
          req,
          store.mailAccounts.filter((a) => a['domain_id'] === id),
          'accounts',
        );
      if (m === 'POST') {
        const r = store.createMailAccount(dom, b);
        return 'id' in r ? created(r) : invalid(r as Fields, '');
      }
    }
    if (sub === undefined && m === 'DELETE') return remove(store.mailDomains, id ?? '', 'mail_domain', 'mail.delete');
  }

  if (res === 'databases') {
    if (dev)
      return id === undefined
        ? m === 'GET'
          ? todo('Databases - TODO', 'databases')
          : todo('Create database - TODO')
        : bare(405);
    if (id === undefined && m === 'GET') return page(req, userFilter(req, store.databases), 'databases');
    if (id === undefined && m === 'POST') {
      const r = store.createDatabase(b, uid);
      return 'id' in r ? created(r) : invalid(r as Fields, '');
    }
    if (m === 'DELETE') return remove(store.databases, id ?? '', 'database', 'database.delete');
  }

  if (res === 'ssl') {
    if (dev) {
      if (id === undefined)
        return m === 'GET' ? todo('SSL certificates - TODO', 'certificates') : todo('Request certificate - TODO');
      return sub === 'renew' && m === 'POST' ? todo('Renew certificate - TODO') : bare(405);
    }
    if (id === undefined && m === 'GET') return page(req, userFilter(req, store.certificates), 'certificates');
    if (id === undefined && m === 'POST') {
      const r = store.createCertificate(b, uid);
      return 'id' in r ? created(r) : invalid(r as Fields, '');
    }
    const cert = byId(store.certificates, id);
    if (sub === 'renew' && m === 'POST') {
      if (!cert) return notFound('ssl_certificate', id ?? '');
      return { status: 200, body: visible(store.renewCertificate(cert)) };
    }
    if (m === 'DELETE') return remove(store.certificates, id ?? '', 'ssl_certificate', 'certificate.delete');
  }

  if (res === 'jobs') {
    if (dev)
      return id === undefined
        ? m === 'GET'
          ? todo('System jobs - TODO', 'jobs')
          : todo('Create system job - TODO')
        : bare(405);
    if (id === undefined && m === 'GET') {
      store.advanceJobs(jobSteps);
      const statuses = req.query.get('status')?.split(',');
      const type = req.query.get('job_type');
      const rows = userFilter(req, store.jobs).filter(
        (j) => (!statuses || statuses.includes(String(j['status']))) && (!type || j['job_type'] === type),
      );
      return page(req, rows, 'jobs');
    }
    if (id === undefined && m === 'POST') {
      const r = store.createJob(b, uid);
      return 'id' in r ? created(r) : invalid(r as Fields, '');
    }
  }

  if (res === 'backups') {
    if (dev)
      return id === undefined
        ? m === 'GET'
          ? todo('backup configs list - TODO')
          : todo('Create backup config - TODO')
        : bare(405);
    if (id === undefined && m === 'GET') return page(req, userFilter(req, store.backups), 'configs');
    if (id === undefined && m === 'POST') {
      const r = store.createBackup(b, uid);
      return 'id' in r ? created(r) : invalid(r as Fields, '');
    }
    if (m === 'DELETE') return remove(store.backups, id ?? '', 'backup_config', 'backup.delete');
  }
  return dev
    ? bare(id !== undefined && ['DELETE', 'PUT'].includes(m) ? 405 : 404)
    : err(404, `Route ${m} ${req.path} not found`);
}
