import { AppError } from '../../../shared/errors';
import type { Plan, PlanStep, StepContext } from '../../operations/operation.types';
import type {
  PanelDriver,
  PanelDriverFactory,
  PanelDriverOptions,
  PanelIdentityInfo,
  PanelListQuery,
  PanelResourceKindInfo,
  PanelResources,
  PanelRowData,
} from '../capabilities';
import { sleep } from '../http/http-client';
import { jsonObject as obj } from '../http/json-values';
import { runPanelStep } from '../http/step-log';
import { SkyPanelApi, text, type SkyServer } from './skypanel.client';
import { apiProbe } from '../http/panel-probe';

/** Power actions as the seed names them, and the public code's route name for each. */
const POWER = {
  start: { label: 'Start', publicName: 'boot', settles: ['running'] },
  stop: { label: 'Stop', publicName: 'poweroff', settles: ['stopped', 'offline'] },
  restart: { label: 'Restart', publicName: 'restart', settles: ['running'] },
  shutdown: { label: 'Shut down', publicName: 'shutdown', settles: ['stopped', 'offline'] },
} as const;
type PowerAction = keyof typeof POWER;

const SERVER_ID = /^[A-Za-z0-9_-]{1,64}$/;

const KINDS: readonly PanelResourceKindInfo[] = [
  {
    id: 'servers',
    label: 'Servers',
    columns: [
      { key: 'name', label: 'Name' },
      { key: 'status', label: 'Status' },
      { key: 'ipAddress', label: 'Address' },
      { key: 'plan', label: 'Plan' },
    ],
    fields: [],
    canDelete: false,
    searchable: true,
    actions: (Object.keys(POWER) as PowerAction[]).map((id) => ({ id, label: POWER[id].label, confirm: true })),
  },
  {
    id: 'billing',
    label: 'Billing',
    columns: [
      { key: 'item', label: 'Item' },
      { key: 'amount', label: 'Amount' },
      { key: 'status', label: 'Status' },
      { key: 'date', label: 'Date' },
    ],
    fields: [],
    canDelete: false,
    searchable: false,
    actions: [],
  },
  {
    id: 'profile',
    label: 'Profile',
    columns: [
      { key: 'email', label: 'E-mail' },
      { key: 'firstName', label: 'First name' },
      { key: 'lastName', label: 'Last name' },
      { key: 'role', label: 'Role' },
    ],
    // "Create" on the profile saves it: the seed's PUT /api/users/me, password change included.
    fields: [
      { key: 'firstName', label: 'First name', type: 'text', required: false },
      { key: 'lastName', label: 'Last name', type: 'text', required: false },
      { key: 'currentPassword', label: 'Current password', type: 'password', required: false, secret: true },
      { key: 'newPassword', label: 'New password', type: 'password', required: false, secret: true },
    ],
    canDelete: false,
    searchable: false,
    actions: [],
  },
];

function cell(v: unknown): string | number | boolean | null {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
}

/** A name for one line: letters, digits, spaces and common punctuation, at most 100 characters. */
function personName(v: unknown, field: string): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' || !/^[\p{L}\p{M} .'-]{1,100}$/u.test(v.trim())) {
    throw new AppError('VALIDATION', `The ${field} is not a name; nothing was sent to SkyPANEL.`, { field });
  }
  return v.trim();
}

/**
 * SkyPANEL's servers (with power actions followed until the state settles), billing (the seed's invoices with a
 * total; the public code's balance and transactions) and the profile (update and password change).
 */
class SkyPanelResources implements PanelResources {
  readonly #api: SkyPanelApi;
  readonly #o: PanelDriverOptions;

  constructor(api: SkyPanelApi, o: PanelDriverOptions) {
    this.#api = api;
    this.#o = o;
  }

  kinds(): readonly PanelResourceKindInfo[] {
    return KINDS;
  }

  async list(kind: string, q: PanelListQuery): Promise<{ items: PanelRowData[]; total: number | null }> {
    let rows: PanelRowData[];
    if (kind === 'servers') rows = (await this.#api.servers()).map(serverRow);
    else if (kind === 'billing') rows = await this.#billing();
    else if (kind === 'profile') rows = [await this.#profile()];
    else throw new AppError('NOT_FOUND', `SkyPANEL has no "${kind}".`);
    const text = q.search?.toLowerCase() ?? '';
    const hits =
      text === ''
        ? rows
        : rows.filter((r) => Object.values(r.cells).some((v) => String(v).toLowerCase().includes(text)));
    const start = (q.page - 1) * q.pageSize;
    return { items: hits.slice(start, start + q.pageSize), total: hits.length };
  }

  planCreate(kind: string, values: Readonly<Record<string, unknown>>): Promise<Plan> {
    if (kind !== 'profile') throw new AppError('UNSUPPORTED', 'SkyPANEL’s API cannot create that.');
    const body: Record<string, string> = {};
    const first = personName(values['firstName'], 'firstName');
    const last = personName(values['lastName'], 'lastName');
    if (first !== undefined) body['firstName'] = first;
    if (last !== undefined) body['lastName'] = last;
    const current = values['currentPassword'];
    const next = values['newPassword'];
    if ((next !== undefined && next !== '') || (current !== undefined && current !== '')) {
      if (typeof current !== 'string' || current === '') {
        throw new AppError('VALIDATION', 'Give the current password to change it.', { field: 'currentPassword' });
      }
      if (typeof next !== 'string' || next.length < 8 || next.length > 200) {
        throw new AppError('VALIDATION', 'The new password needs 8 to 200 characters.', { field: 'newPassword' });
      }
      body['currentPassword'] = current;
      body['newPassword'] = next;
    }
    if (Object.keys(body).length === 0) throw new AppError('VALIDATION', 'Nothing to change.', { field: 'firstName' });
    const secrets = [body['currentPassword'], body['newPassword']].filter((s): s is string => s !== undefined);
    const step: PlanStep = {
      id: 'save',
      title: 'Save the SkyPANEL profile',
      kind: 'exec',
      commands: [`PUT /api/users/me (${Object.keys(body).join(', ')})`],
      run: (ctx) =>
        this.#run(ctx, secrets, async () => {
          const mode = await this.#api.mode(ctx.signal);
          if (mode !== 'jwt') throw new AppError('UNSUPPORTED', 'Profile changes are not supported by this panel.');
          await this.#api.call('PUT', '/api/users/me', body, ctx.signal);
          return { summary: 'Profile saved' };
        }),
    };
    return Promise.resolve({
      title: 'Save the SkyPANEL profile',
      serverId: this.#o.panelId,
      kind: 'panel.skypanel.profile',
      steps: [step],
      commands: step.commands ?? [],
      diffs: [],
      secrets,
    });
  }

  planDelete(): Promise<Plan> {
    return Promise.reject(new AppError('UNSUPPORTED', 'SkyPANEL’s API deletes nothing.'));
  }

  async planAction(kind: string, itemId: string, action: string): Promise<Plan> {
    if (kind !== 'servers' || !(action in POWER)) throw new AppError('UNSUPPORTED', `SkyPANEL has no "${action}".`);
    if (!SERVER_ID.test(itemId)) throw new AppError('VALIDATION', 'That is not a SkyPANEL server id.', { field: 'id' });
    const server = (await this.#api.servers()).find((s) => s.id === itemId);
    if (!server) throw new AppError('NOT_FOUND', 'SkyPANEL has no such server.');
    return this.#powerPlan(server, action as PowerAction);
  }

  #powerPlan(server: SkyServer, action: PowerAction): Plan {
    const p = POWER[action];
    const title = `${p.label} server "${server.name}"`;
    const api = this.#api;
    const steps: PlanStep[] = [
      {
        id: 'power',
        title,
        kind: 'exec',
        commands: [`POST /api/servers/${server.id}/power {"action":"${action}"}`],
        run: (ctx) =>
          this.#run(ctx, [], async () => {
            const mode = await api.mode(ctx.signal);
            if (mode === 'apikey') {
              throw new AppError('UNSUPPORTED', 'Power actions need a SkyPANEL login, not an API key.');
            }
            if (mode === 'jwt') await api.call('POST', `/api/servers/${server.id}/power`, { action }, ctx.signal);
            else await api.call('POST', `/api/user/servers/${server.id}/power/${p.publicName}`, {}, ctx.signal);
            return { summary: `${p.label} sent` };
          }),
      },
      {
        id: 'settle',
        title: `Wait until "${server.name}" is ${p.settles[0]}`,
        kind: 'verify',
        run: (ctx) => this.#run(ctx, [], () => this.#settle(ctx, server.id, p.settles)),
      },
    ];
    return {
      title,
      serverId: this.#o.panelId,
      kind: 'panel.skypanel.power',
      steps,
      commands: steps.flatMap((s) => s.commands ?? []),
      diffs: [],
      params: { serverId: server.id, action },
    };
  }

  /** Follows the server's state until it is one of `settles`, logging each change; TIMEOUT after the poll limit. */
  async #settle(ctx: StepContext, id: string, settles: readonly string[]): Promise<{ summary: string }> {
    const started = Date.now();
    const max = this.#o.poll?.maxIntervalMs ?? 5000;
    const limit = this.#o.poll?.timeoutMs ?? 10 * 60_000;
    let interval = this.#o.poll?.intervalMs ?? 1000;
    let last = '';
    for (;;) {
      const s = (await this.#api.servers(ctx.signal)).find((x) => x.id === id);
      if (!s) throw new AppError('NOT_FOUND', 'The server disappeared from SkyPANEL.');
      if (s.status !== last) ctx.log(`Server is ${s.status}`);
      last = s.status;
      if (settles.includes(s.status)) return { summary: `Server is ${s.status}` };
      if (s.status === 'error' || s.status === 'failed') {
        throw new AppError('CONFLICT', `SkyPANEL reports the server as ${s.status}.`);
      }
      if (Date.now() - started > limit) throw new AppError('TIMEOUT', `The server is still ${s.status}.`);
      await sleep(interval, ctx.signal);
      interval = Math.min(max, Math.round(interval * 1.5));
    }
  }

  #run<T>(ctx: StepContext, secrets: readonly string[], f: () => Promise<T>): Promise<T> {
    return runPanelStep(this.#api, ctx, [this.#o.secret, ...secrets], f);
  }

  async #billing(): Promise<PanelRowData[]> {
    const mode = await this.#api.mode();
    if (mode === 'jwt') {
      const data = await this.#api.call('GET', '/api/billing/invoices');
      const list = Array.isArray(data) ? data.map(obj) : [];
      const rows = list.map((i) => ({
        id: text(i['id']),
        cells: {
          item: text(i['id']),
          amount: cell(i['amount']),
          status: cell(i['status']),
          date: cell(i['dueDate']),
        },
      }));
      const sum = (st: string | null) =>
        list
          .filter((i) => st === null || i['status'] === st)
          .reduce((a, i) => a + (typeof i['amount'] === 'number' ? i['amount'] : 0), 0);
      const total = {
        id: 'total',
        cells: {
          item: 'Total',
          amount: Math.round(sum(null) * 100) / 100,
          status: `${Math.round(sum('paid') * 100) / 100} paid, ${Math.round((sum(null) - sum('paid')) * 100) / 100} open`,
          date: null,
        },
      };
      return [total, ...rows];
    }
    // The public code has no invoices: a credit balance and the transactions.
    const balance = obj(await this.#api.call('GET', mode === 'apikey' ? '/api/v1/balance' : '/api/billing/balance'));
    const credits = balance['virtFusionCredits'] ?? balance['credits'] ?? balance['balance'];
    const rows: PanelRowData[] = [
      {
        id: 'balance',
        cells: { item: 'Balance', amount: cell(credits), status: cell(balance['currency']), date: null },
      },
    ];
    if (mode === 'session') {
      const tx = await this.#api.call('GET', '/api/transactions');
      const list = Array.isArray(tx) ? tx : obj(tx)['transactions'];
      for (const t of Array.isArray(list) ? list.map(obj) : []) {
        rows.push({
          id: text(t['id']),
          cells: {
            item: cell(t['description']) ?? text(t['id']),
            amount: cell(t['amount']),
            status: cell(t['status']),
            date: cell(t['createdAt']),
          },
        });
      }
    }
    return rows;
  }

  async #profile(): Promise<PanelRowData> {
    const mode = await this.#api.mode();
    const path = mode === 'jwt' ? '/api/users/me' : mode === 'session' ? '/api/user' : '/api/v1/me';
    const me = obj(await this.#api.call('GET', path));
    return {
      id: text(me['id']) || 'me',
      cells: {
        email: cell(me['email']),
        firstName: cell(me['firstName'] ?? me['fullName']),
        lastName: cell(me['lastName']),
        role: cell(me['role']),
      },
    };
  }
}

function serverRow(s: SkyServer): PanelRowData {
  return { id: s.id, cells: { name: s.name, status: s.status, ipAddress: s.ipAddress, plan: s.plan } };
}

/** The SkyPANEL driver: a panel account's servers (power), billing and profile. */
export const createSkyPanelDriver: PanelDriverFactory = (o): PanelDriver => {
  const api = new SkyPanelApi(o);
  const resources = new SkyPanelResources(api, o);
  return {
    kind: 'skypanel',
    capabilities: ['power'],
    resources,
    async identify(): Promise<PanelIdentityInfo> {
      const mode = await api.mode();
      const me = (await resources.list('profile', { page: 1, pageSize: 1, search: null })).items[0];
      const servers = await api.servers();
      return {
        identity: String(me?.cells['email'] ?? o.username ?? 'API key'),
        role: me?.cells['role'] === null || me?.cells['role'] === undefined ? null : String(me.cells['role']),
        version: mode === 'jwt' ? 'v1 (documented API)' : mode === 'session' ? 'session login' : 'API key (/api/v1)',
        supports: ['power', `${servers.length} server${servers.length === 1 ? '' : 's'}`],
      };
    },
    probe: () => Promise.resolve(apiProbe(false)),
    close: () => api.close(),
  };
};
