import type { z } from 'zod';
import type { BulkRow } from '../../../shared/contract/panels.contract';
import { AppError } from '../../../shared/errors';
import type { JsonValue, Plan, PlanStep, StepContext } from '../../operations/operation.types';
import type { BulkSites } from '../capabilities';
import { isAmbiguous } from '../http/http-client';
import { parseCsvTable } from './csv-parse';
import { brandOf, runIn } from './sites.capability';
import type { WebsiteFactoryApi } from './website-factory.client';
import { checkDisplayName, checkDomain, checkKey } from './website-factory-values';

type Row = z.infer<typeof BulkRow>;

/** What happened to one CSV row. `rejected`: never sent (it failed the checks). */
export interface BulkRowResult {
  readonly line: number;
  readonly domain: string;
  readonly result: 'created' | 'failed' | 'rejected';
  readonly message: string | null;
}

/** Columns the hub's bulk create takes (seed: POST /sites/bulk). */
export const BULK_COLUMNS = ['domain', 'brand_name', 'cloudflare_account_nickname'] as const;

/** Checks a CSV of sites row by row; nothing is sent. */
export function previewBulk(csv: string): { columns: string[]; rows: Row[]; valid: number } {
  const table = parseCsvTable(csv);
  if (!table.columns.includes('domain')) {
    throw new AppError(
      'VALIDATION',
      `The first line must name the columns, with a "domain" column (and optionally ${BULK_COLUMNS.slice(1).join(', ')}).`,
      { field: 'csv' },
    );
  }
  const firstLine = new Map<string, number>();
  const rows: Row[] = table.rows.map((r) => {
    const errors: { field: string; message: string }[] = [];
    const values = { ...r.values };
    const d = checkDomain(values['domain'] ?? '');
    if ('problem' in d) errors.push({ field: 'domain', message: d.problem });
    else {
      values['domain'] = d.value;
      const earlier = firstLine.get(d.value);
      if (earlier !== undefined) errors.push({ field: 'domain', message: `Already on line ${earlier}.` });
      else firstLine.set(d.value, r.line);
    }
    const brand = values['brand_name'] ?? '';
    if (brand !== '') {
      const b = checkDisplayName(brand);
      if ('problem' in b) errors.push({ field: 'brand_name', message: b.problem });
    }
    const nick = values['cloudflare_account_nickname'] ?? '';
    if (nick !== '') {
      const n = checkKey(nick);
      if ('problem' in n) errors.push({ field: 'cloudflare_account_nickname', message: n.problem });
    }
    if (r.extra > 0) errors.push({ field: 'csv', message: `${r.extra} more field(s) than the header names.` });
    return { line: r.line, values, errors };
  });
  return { columns: table.columns, rows, valid: rows.filter((r) => r.errors.length === 0).length };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Reads the per-row errors of a bulk answer `{created, failed, errors}`: objects naming the domain (or its row
 * index in the request) or sentences naming the domain. Rows the errors do not name are created.
 */
export function bulkOutcome(
  domains: readonly string[],
  answer: Record<string, unknown>,
): { failed: Map<string, string>; unmatched: string[] } {
  const failed = new Map<string, string>();
  const unmatched: string[] = [];
  const errors = Array.isArray(answer['errors']) ? (answer['errors'] as unknown[]) : [];
  for (const e of errors) {
    if (typeof e === 'object' && e !== null) {
      const o = e as Record<string, unknown>;
      const said = [o['error'], o['message'], o['detail']].find((x) => typeof x === 'string');
      const msg = typeof said === 'string' ? said : 'failed';
      const byDomain = typeof o['domain'] === 'string' ? o['domain'].toLowerCase() : null;
      const idx = typeof o['row'] === 'number' ? o['row'] : typeof o['index'] === 'number' ? o['index'] : null;
      const domain = byDomain ?? (idx !== null ? (domains[idx] ?? null) : null);
      if (domain !== null && domains.includes(domain)) failed.set(domain, msg);
      else unmatched.push(JSON.stringify(e));
      continue;
    }
    const text = String(e);
    const hit = domains.find((d) =>
      new RegExp(`(^|[^a-z0-9.-])${escapeRe(d)}([^a-z0-9-]|\\.(?![a-z0-9])|$)`, 'i').test(text),
    );
    if (hit !== undefined) failed.set(hit, text);
    else unmatched.push(text);
  }
  return { failed, unmatched };
}

/**
 * The bulk site create of a Website Factory hub: the CSV (file or paste) is checked row by row first and bad
 * rows are never sent; the valid rows go in chunks of the hub's bulk size, paced to its bulk rate limit, each
 * chunk one step of the operation with its per-row results (created, failed with the hub's reason); a final
 * step checks the created sites are listed and returns every row's result.
 */
export class WebsiteFactoryBulkSites implements BulkSites {
  readonly #api: WebsiteFactoryApi;
  readonly #serverId: string;
  readonly #secret: string;

  constructor(api: WebsiteFactoryApi, serverId: string, secret: string) {
    this.#api = api;
    this.#serverId = serverId;
    this.#secret = secret;
  }

  preview(csv: string): { columns: string[]; rows: Row[]; valid: number } {
    return previewBulk(csv);
  }

  planCreate(csv: string): Promise<Plan> {
    const { rows, valid } = previewBulk(csv);
    if (valid === 0) {
      return Promise.reject(
        new AppError('VALIDATION', 'No row of the CSV can be sent; fix the rows the preview marks.', { field: 'csv' }),
      );
    }
    const good = rows.filter((r) => r.errors.length === 0);
    const rejected: BulkRowResult[] = rows
      .filter((r) => r.errors.length > 0)
      .map((r) => ({
        line: r.line,
        domain: r.values['domain'] ?? '',
        result: 'rejected',
        message: r.errors.map((e) => `${e.field}: ${e.message}`).join('; '),
      }));
    const size = this.#api.bulkLimit.maxRows;
    const chunks: Row[][] = [];
    for (let i = 0; i < good.length; i += size) chunks.push(good.slice(i, i + size));
    const api = this.#api;
    const steps: PlanStep[] = [
      {
        id: 'check',
        title: `Check ${rows.length} CSV rows`,
        kind: 'validate',
        run: (ctx) => {
          for (const r of rejected) ctx.log(`line ${r.line} ${r.domain || '(no domain)'}: ${r.message} (not sent)`);
          return Promise.resolve({
            summary: `${good.length} valid, ${rejected.length} rejected before sending`,
            data: { rows: rejected as unknown as JsonValue },
          });
        },
      },
      ...chunks.map((chunk, i): PlanStep => ({
        id: `chunk-${i + 1}`,
        title: `Create sites ${i * size + 1}-${i * size + chunk.length} of ${good.length}`,
        kind: 'exec',
        commands: [`POST /sites/bulk (${chunk.length} sites, lines ${chunk[0]?.line}-${chunk.at(-1)?.line})`],
        run: (ctx) => runIn(api, this.#secret, ctx, () => this.#sendChunk(ctx, chunk)),
      })),
      {
        id: 'verify',
        title: 'Check the created sites are listed',
        kind: 'verify',
        commands: ['GET /sites/ (every page)'],
        run: (ctx) =>
          runIn(api, this.#secret, ctx, async () => {
            const results: BulkRowResult[] = [...rejected];
            for (let i = 0; i < chunks.length; i++) {
              const data = ctx.results.get(`chunk-${i + 1}`)?.data as { rows?: BulkRowResult[] } | undefined;
              results.push(...(data?.rows ?? []));
            }
            const listed = await api.existing(
              results.filter((r) => r.result !== 'rejected').map((r) => r.domain),
              ctx.signal,
            );
            const final = results
              .map((r): BulkRowResult => {
                if (r.result === 'created' && !listed.has(r.domain)) {
                  ctx.log(`line ${r.line} ${r.domain}: reported created but not listed`);
                  return { ...r, result: 'failed', message: 'Not listed after the bulk create.' };
                }
                return r;
              })
              .sort((a, b) => a.line - b.line);
            const count = (k: BulkRowResult['result']) => final.filter((r) => r.result === k).length;
            const summary = `${count('created')} created, ${count('failed')} failed, ${count('rejected')} rejected before sending`;
            ctx.log(summary);
            return { summary, data: { rows: final as unknown as JsonValue } };
          }),
      },
    ];
    return Promise.resolve({
      title: `Bulk-create ${good.length} sites on Website Factory${rejected.length > 0 ? ` (${rejected.length} rows rejected)` : ''}`,
      serverId: this.#serverId,
      kind: 'site.bulk-create',
      steps,
      commands: steps.flatMap((s) => s.commands ?? []),
      diffs: [],
      params: { driver: 'website-factory', rows: good.length, rejected: rejected.length, chunks: chunks.length },
    });
  }

  /** Sends one chunk (at most once in effect: an ambiguous failure is looked up, and only missing rows resent). */
  async #sendChunk(ctx: StepContext, chunk: readonly Row[]) {
    const api = this.#api;
    const payload = (rs: readonly Row[]) =>
      rs.map((r) => {
        const v = r.values;
        const site: Record<string, string> = {
          domain: v['domain'] ?? '',
          brand_name: v['brand_name'] || brandOf(v['domain'] ?? ''),
        };
        if (v['cloudflare_account_nickname']) site['cloudflare_account_nickname'] = v['cloudflare_account_nickname'];
        return site;
      });
    const results = new Map<string, BulkRowResult>();
    const record = (rs: readonly Row[], answer: Record<string, unknown>): void => {
      const domains = rs.map((r) => r.values['domain'] ?? '');
      const { failed, unmatched } = bulkOutcome(domains, answer);
      for (const u of unmatched) ctx.log(`Website Factory: ${u}`);
      for (const r of rs) {
        const domain = r.values['domain'] ?? '';
        const why = failed.get(domain);
        results.set(domain, {
          line: r.line,
          domain,
          result: why === undefined ? 'created' : 'failed',
          message: why ?? null,
        });
        ctx.log(`line ${r.line} ${domain}: ${why === undefined ? 'created' : `failed: ${why}`}`);
      }
    };
    let pending: readonly Row[] = chunk;
    for (let attempt = 0; ; attempt++) {
      try {
        record(pending, await api.bulkCreate(payload(pending), ctx.signal));
        break;
      } catch (e) {
        if (!isAmbiguous(e) || attempt > 0) throw e;
        const there = await api.existing(
          pending.map((r) => r.values['domain'] ?? ''),
          ctx.signal,
        );
        for (const r of pending) {
          const domain = r.values['domain'] ?? '';
          if (there.has(domain)) results.set(domain, { line: r.line, domain, result: 'created', message: null });
        }
        pending = pending.filter((r) => !there.has(r.values['domain'] ?? ''));
        ctx.log(
          `The bulk answer was lost: ${there.size} of the rows took effect; ${pending.length === 0 ? 'nothing to send again' : `sending the other ${pending.length} once more`}.`,
        );
        if (pending.length === 0) break;
      }
    }
    const rows = chunk.map((r) => results.get(r.values['domain'] ?? '') as BulkRowResult);
    const created = rows.filter((r) => r.result === 'created').length;
    ctx.log(`${created} created, ${rows.length - created} failed`);
    return {
      summary: `${created} created, ${rows.length - created} failed`,
      data: { rows: rows as unknown as JsonValue },
    };
  }
}
