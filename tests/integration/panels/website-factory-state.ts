import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { LoggedRequest } from './loopback-server';

/** A site row as the hub stores it (seed: Data Models → Site). */
export interface WfSiteRow {
  id: string;
  domain: string;
  brand_name: string;
  cloudflare_account_id: string | null;
  gsc_account_id: string | null;
  status_dns: string;
  status_hosting: string;
  status_content: string;
  status_deployment: string;
  gsc_verification_status: string;
  hosting_doc_root: string | null;
  matomo_site_id: number | null;
  error_message: string | null;
  created_at: string;
  updated_at: string;
}

/** A workflow execution (seed: Data Models → WorkflowExecution). */
export interface WfExecutionRow {
  id: string;
  site_id: string;
  workflow_type: string;
  status: string;
  started_at: string;
  completed_at: string | null;
  failed_at: string | null;
  error_message: string | null;
  retry_count: number;
  max_retries: number;
  next_retry_at: string | null;
}

/** An alert (resolved ones are no longer listed). */
export interface WfAlertRow {
  id: string;
  severity: string;
  message: string;
  acknowledged: boolean;
  resolved: boolean;
  created_at: string;
}

/** A credential row of any of the four stores (secrets included: the server keeps them). */
export type WfCredRow = Record<string, unknown> & { id: string; deleted?: boolean };

/** Everything the hub stores, and what the tests read back. */
export interface WfStore {
  readonly sites: WfSiteRow[];
  readonly executions: WfExecutionRow[];
  readonly alerts: WfAlertRow[];
  readonly servers: WfCredRow[];
  readonly registrars: WfCredRow[];
  readonly infrastructure: WfCredRow[];
  readonly cloudflare: WfCredRow[];
  /** One line per change ("site.create example.com"). */
  readonly effects: string[];
}

/** What a route gets: the request, the parsed body, the path parts and the answer helpers. */
export interface RouteCtx {
  readonly req: LoggedRequest;
  readonly res: http.ServerResponse;
  readonly parts: readonly string[];
  readonly store: WfStore;
  readonly deviations: boolean;
  readonly bulkMaxRows: number;
  readonly now: () => number;
  ok(body: unknown, status?: number): true;
  /** `{detail: "message"}`. */
  fail(status: number, detail: string): true;
  /** A 422 with FastAPI's list of field errors. */
  invalid(items: { loc: (string | number)[]; msg: string; type: string; input?: unknown }[]): true;
}

/** An ISO time `ms` before the server's now. */
export function isoAgo(now: number, ms: number): string {
  return new Date(now - ms).toISOString();
}

/** A new id (UUID, like the hub's). */
export function newId(): string {
  return randomUUID();
}

/** The hub's domain check (pydantic validator in the public code). */
export const HUB_DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The JSON body as an object, or null (not JSON / not an object). */
export function jsonBody(req: LoggedRequest): Record<string, unknown> | null {
  try {
    const v = JSON.parse(req.body) as unknown;
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A new site row with the hub's defaults. */
export function siteRow(now: number, domain: string, brand: string, extra: Partial<WfSiteRow> = {}): WfSiteRow {
  const at = new Date(now).toISOString();
  return {
    id: newId(),
    domain,
    brand_name: brand,
    cloudflare_account_id: null,
    gsc_account_id: null,
    status_dns: 'pending',
    status_hosting: 'pending',
    status_content: 'pending',
    status_deployment: 'pending',
    gsc_verification_status: 'pending',
    hosting_doc_root: null,
    matomo_site_id: null,
    error_message: null,
    created_at: at,
    updated_at: at,
    ...extra,
  };
}
