import { AppError } from '../../../shared/errors';
import type { JsonValue, Plan, PlanStep, StepContext } from '../../operations/operation.types';
import type { PanelListQuery, PanelResourceKindInfo, PanelResources, PanelRowData } from '../capabilities';
import { postOnce } from '../http/post-once';
import { GHOSTCP_MAX_LIMIT, idText, unsupported, type GhostCpApi, type GhostRow } from './ghostcp.client';
import { GHOSTCP_KINDS, kindOf, rowOf, type KindSpec } from './ghostcp-kinds';
import { invalid, panelId } from './ghostcp-values';
import { runPanelStep } from '../http/step-log';

const MASK = '••••';

/** The JSON of a request as the plan preview shows it: every secret replaced by ••••. */
function preview(body: unknown, secrets: readonly string[]): string {
  let s = JSON.stringify(body);
  for (const x of secrets) if (x !== '') s = s.split(JSON.stringify(x).slice(1, -1)).join(MASK);
  return s;
}

/** Splits a row id: "<parent>/<id>" for child kinds, "<id>" otherwise. */
function itemRef(spec: KindSpec, parent: string | null, itemId: string): { parent: string | null; id: string } {
  const parts = itemId.split('/');
  if (spec.parent) {
    const [p, id] = parts.length === 2 ? parts : [parent, parts[0]];
    if (p === null || p === undefined) throw invalid(spec.parent.field, `Pick the ${spec.parent.label} first.`);
    return { parent: panelId(p, spec.parent.field), id: panelId(id, 'itemId') };
  }
  if (parts.length !== 1) throw invalid('itemId', 'Not a valid id.');
  return { parent: null, id: panelId(itemId, 'itemId') };
}

/**
 * GhostCP's resources for the Panels section (users, web domains, DNS zones and records, mail domains and
 * accounts, databases, SSL certificates, system jobs, backup configurations): one page for a table, creates
 * and deletes as plans. Values are checked before anything is sent; a create's POST goes out once (an
 * ambiguous failure is looked up in the list before it is sent again, and never re-sent when nothing
 * identifies it); secrets (passwords, storage keys) are registered with the operation and masked in previews.
 * A child kind names its parent as "dns-records@<zoneId>" (or the form's zone_id / domain_id field).
 */
export class GhostCpResources implements PanelResources {
  readonly #api: GhostCpApi;
  readonly #panelId: string;
  readonly #accountSecret: string;

  constructor(api: GhostCpApi, panelId: string, accountSecret: string) {
    this.#api = api;
    this.#panelId = panelId;
    this.#accountSecret = accountSecret;
  }

  kinds(): readonly PanelResourceKindInfo[] {
    return GHOSTCP_KINDS.map((k) => k.info);
  }

  /** One page for a table (GhostCP serves at most 100 a page; a larger table page is read as several). */
  async list(kind: string, q: PanelListQuery): Promise<{ items: PanelRowData[]; total: number | null }> {
    const { spec, parent } = kindOf(kind);
    const path = this.#path(spec, parent);
    const search = q.search !== null && q.search.trim() !== '' && spec.search ? spec.search(q.search.trim()) : {};
    const size = Math.max(1, Math.min(200, q.pageSize));
    if (size <= GHOSTCP_MAX_LIMIT) {
      const p = await this.#api.page(path, spec.key, spec.what, { ...search, page: Math.max(1, q.page), limit: size });
      return { items: p.items.map((r) => rowOf(spec, r, parent)), total: p.total };
    }
    const from = (Math.max(1, q.page) - 1) * size;
    const first = Math.floor(from / GHOSTCP_MAX_LIMIT) + 1;
    const last = Math.floor((from + size - 1) / GHOSTCP_MAX_LIMIT) + 1;
    const rows: GhostRow[] = [];
    let total: number | null = null;
    for (let page = first; page <= last; page++) {
      const p = await this.#api.page(path, spec.key, spec.what, { ...search, page, limit: GHOSTCP_MAX_LIMIT });
      rows.push(...p.items);
      total = p.total;
      if (p.items.length < GHOSTCP_MAX_LIMIT) break;
    }
    const skip = from - (first - 1) * GHOSTCP_MAX_LIMIT;
    return { items: rows.slice(skip, skip + size).map((r) => rowOf(spec, r, parent)), total };
  }

  /** Every row of a kind, page by page to the end. */
  async listAll(kind: string, query: Readonly<Record<string, string>> = {}): Promise<PanelRowData[]> {
    const { spec, parent } = kindOf(kind);
    const rows = await this.#api.all(this.#path(spec, parent), spec.key, spec.what, query);
    return rows.map((r) => rowOf(spec, r, parent));
  }

  #path(spec: KindSpec, parent: string | null): string {
    if (spec.parent && parent === null) throw invalid(spec.parent.field, `Pick the ${spec.parent.label} first.`);
    return spec.path(parent);
  }

  #run<T>(ctx: StepContext, secrets: readonly string[], f: () => Promise<T>): Promise<T> {
    return runPanelStep(this.#api, ctx, [this.#accountSecret, ...secrets], f);
  }

  planCreate(kind: string, values: Readonly<Record<string, unknown>>): Promise<Plan> {
    return settle(() => this.#planCreate(kind, values));
  }

  #planCreate(kind: string, values: Readonly<Record<string, unknown>>): Plan {
    const { spec, parent: fromKind } = kindOf(kind);
    let parent = fromKind;
    if (spec.parent) {
      const v = values[spec.parent.field];
      if (parent === null && (v === undefined || v === '')) {
        throw invalid(spec.parent.field, `Pick the ${spec.parent.label} first.`);
      }
      if (parent === null) parent = panelId(v, spec.parent.field);
    }
    const built = spec.build(values);
    const path = spec.path(parent);
    const api = this.#api;
    const match = built.match;
    const find = async (signal?: AbortSignal): Promise<GhostRow | null> =>
      match ? ((await api.all(path, spec.key, spec.what, {}, signal)).find(match) ?? null) : null;
    const steps: PlanStep[] = [
      {
        id: 'create',
        title: `Create ${built.name} on GhostCP`,
        kind: 'exec',
        commands: [`POST ${path} ${preview(built.body, built.secrets)}`],
        run: (ctx) =>
          this.#run(ctx, built.secrets, async () => {
            ctx.log(`Sending the create of ${built.name}`);
            const sent = await postOnce({
              send: () => api.create(path, built.body, spec.what, ctx.signal),
              lookup: () => find(ctx.signal),
              attempts: match ? 1 : 0,
              onLookup: (found) =>
                ctx.log(
                  found
                    ? 'The create took effect despite the lost answer; not sending it again.'
                    : 'The create did not take effect; sending it once more.',
                ),
            });
            const id = idText(sent.value['id']) || null;
            ctx.log(`GhostCP created ${built.name}${id !== null ? ` (id ${id})` : ''}`);
            return { summary: id !== null ? `id ${id}` : 'created', data: { id } };
          }),
      },
    ];
    if (spec.info.id === 'jobs') {
      const jobType = String(built.body['job_type']);
      steps.push({
        id: 'follow',
        title: `Follow the ${jobType} job to its end`,
        kind: 'verify',
        commands: ['GET /api/v1/jobs (until the job is completed or failed)'],
        run: (ctx) =>
          this.#run(ctx, [], async () => {
            const id = (ctx.results.get('create')?.data as { id?: string | null } | undefined)?.id;
            if (id === null || id === undefined) throw new AppError('INTERNAL', 'GhostCP named no job to follow.');
            const job = await api.followJob(id, jobType, (l) => ctx.log(l), ctx.signal);
            return { summary: `job ${id} ${String(job['status'])}` };
          }),
      });
    } else if (match) {
      steps.push({
        id: 'verify',
        title: `Check that GhostCP lists ${built.name}`,
        kind: 'verify',
        commands: [`GET ${path}`],
        run: (ctx) =>
          this.#run(ctx, [], async () => {
            const row = await find(ctx.signal);
            if (!row) throw new AppError('NOT_FOUND', `GhostCP accepted the create, but does not list ${built.name}.`);
            return { summary: `listed (id ${String(row['id'])})` };
          }),
      });
    }
    const params = Object.fromEntries(
      Object.entries(values).filter(([k, v]) => !spec.info.fields.some((f) => f.key === k && f.secret) && isJson(v)),
    ) as Record<string, JsonValue>;
    return {
      title: `Create ${built.name} on GhostCP`,
      serverId: this.#panelId,
      kind: `ghostcp.${spec.info.id}.create`,
      steps,
      commands: steps.flatMap((s) => s.commands ?? []),
      diffs: [],
      params: { driver: 'ghostcp', resource: kind, values: params },
      secrets: [...built.secrets],
    };
  }

  planDelete(kind: string, itemId: string): Promise<Plan> {
    return settle(() => this.#planDelete(kind, itemId));
  }

  #planDelete(kind: string, itemId: string): Plan {
    const { spec, parent: fromKind } = kindOf(kind);
    if (!spec.info.canDelete) throw unsupported(`Deleting ${lower(spec.what)}`);
    const { parent, id } = itemRef(spec, fromKind, itemId);
    const path = `${spec.path(parent)}/${id}`;
    const api = this.#api;
    const listed = async (signal?: AbortSignal) =>
      (await api.all(spec.path(parent), spec.key, spec.what, {}, signal)).some((r) => String(r['id']) === id);
    const steps: PlanStep[] = [
      {
        id: 'delete',
        title: `Delete ${lower(spec.what).replace(/s$/, '')} ${id} on GhostCP`,
        kind: 'exec',
        commands: [`DELETE ${path}`],
        run: (ctx) =>
          this.#run(ctx, [], async () => {
            // DELETE is idempotent: the client retries it on 429/5xx by itself; a 404 means already gone.
            const removed = await api.remove(path, `Deleting ${lower(spec.what)}`, ctx.signal);
            ctx.log(removed ? `GhostCP deleted ${id}` : `${id} was already gone`);
            return { summary: removed ? 'deleted' : 'already gone' };
          }),
      },
      {
        id: 'verify',
        title: `Check that ${id} is gone`,
        kind: 'verify',
        commands: [`GET ${spec.path(parent)}`],
        run: (ctx) =>
          this.#run(ctx, [], async () => {
            if (await listed(ctx.signal)) throw new AppError('CONFLICT', `GhostCP still lists ${id}.`);
            return { summary: 'gone' };
          }),
      },
    ];
    return {
      title: `Delete ${lower(spec.what)} ${id} on GhostCP`,
      serverId: this.#panelId,
      kind: `ghostcp.${spec.info.id}.delete`,
      steps,
      commands: steps.flatMap((s) => s.commands ?? []),
      diffs: [],
      params: { driver: 'ghostcp', resource: kind, itemId },
    };
  }

  planAction(kind: string, itemId: string, action: string): Promise<Plan> {
    return settle(() => this.#planAction(kind, itemId, action));
  }

  #planAction(kind: string, itemId: string, action: string): Plan {
    const { spec, parent } = kindOf(kind);
    const act = spec.info.actions.find((a) => a.id === action);
    if (!act) throw invalid('action', `${spec.what} have no action "${action.slice(0, 60)}".`);
    const { id } = itemRef(spec, parent, itemId);
    const api = this.#api;
    let step: PlanStep;
    if (spec.info.id === 'users') {
      const suspend = action === 'suspend';
      const path = `/api/v1/users/${id}`;
      step = {
        id: action,
        title: `${act.label} user ${id} on GhostCP`,
        kind: 'exec',
        commands: [`PUT ${path} {"is_suspended":${suspend}}`],
        run: (ctx) =>
          this.#run(ctx, [], async () => {
            const user = await api.update(path, { is_suspended: suspend }, `${act.label}ing users`, ctx.signal);
            // The public code's update handler answers the unchanged user: say so instead of claiming success.
            if (user['is_suspended'] !== suspend) {
              throw unsupported(
                `${suspend ? 'Suspending' : 'Unsuspending'} users`,
                'it answered without applying the change',
              );
            }
            ctx.log(`GhostCP ${suspend ? 'suspended' : 'unsuspended'} ${idText(user['username']) || id}`);
            return { summary: suspend ? 'suspended' : 'active' };
          }),
      };
    } else if (spec.info.id === 'ssl-certificates') {
      const path = `/api/v1/ssl/${id}/renew`;
      step = {
        id: 'renew',
        title: `Renew certificate ${id} on GhostCP`,
        kind: 'exec',
        commands: [`POST ${path}`],
        run: (ctx) =>
          this.#run(ctx, [], async () => {
            const cert = await api.action(path, 'Renewing certificates', ctx.signal);
            const until = typeof cert['valid_until'] === 'string' ? cert['valid_until'] : null;
            ctx.log(`GhostCP renewed ${idText(cert['domain']) || id}${until ? `, valid until ${until}` : ''}`);
            return { summary: until ? `valid until ${until}` : 'renewed' };
          }),
      };
    } else {
      step = {
        id: 'follow',
        title: `Follow job ${id} to its end`,
        kind: 'verify',
        commands: ['GET /api/v1/jobs (until the job is completed or failed)'],
        run: (ctx) =>
          this.#run(ctx, [], async () => {
            const job = await api.followJob(id, null, (l) => ctx.log(l), ctx.signal);
            return { summary: `job ${id} ${String(job['status'])}` };
          }),
      };
    }
    return {
      title: step.title,
      serverId: this.#panelId,
      kind: `ghostcp.${spec.info.id}.${action}`,
      steps: [step],
      commands: step.commands ?? [],
      diffs: [],
      params: { driver: 'ghostcp', resource: kind, itemId, action },
    };
  }
}

/** "Users" → "users", but "DNS records" and "SSL certificates" keep their capitals. */
function lower(what: string): string {
  return /^[A-Z][a-z]/.test(what) ? what.charAt(0).toLowerCase() + what.slice(1) : what;
}

/** Runs a synchronous plan builder as a promise (a validation failure becomes a rejection). */
function settle<T>(f: () => T): Promise<T> {
  try {
    return Promise.resolve(f());
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

function isJson(v: unknown): v is JsonValue {
  return v === null || ['string', 'number', 'boolean'].includes(typeof v) || (typeof v === 'object' && v !== null);
}
