import type { PanelField } from '../../../shared/contract/panels.contract';
import type { PanelResourceKindInfo } from '../capabilities';
import type { GhostRow } from './ghostcp.client';

/** Form values as the Panels section sends them. */
export type Values = Readonly<Record<string, unknown>>;
/** One table cell. */
export type Cell = string | number | boolean | null;

/** A checked create: the JSON to send, the secrets in it, and how to recognise the result in a list. */
export interface BuiltCreate {
  readonly body: Record<string, unknown>;
  /** Values to register with the operation's secrets and mask in the plan preview. */
  readonly secrets: readonly string[];
  /** Shown in titles ("user ops", "zone example.com"). */
  readonly name: string;
  /** Finds the created row in a list (null: no natural key, so an ambiguous POST is never sent again). */
  readonly match: ((r: GhostRow) => boolean) | null;
}

/** One kind of thing GhostCP holds: its table, its create form and its API paths. */
export interface KindSpec {
  readonly info: PanelResourceKindInfo;
  /** Plural, for messages: "Mail accounts". */
  readonly what: string;
  /** The list's array key in GhostCP's answer. */
  readonly key: string;
  /** Child kinds (DNS records, mail accounts) live under a parent: its form field and label. */
  readonly parent?: { readonly field: string; readonly label: string };
  path(parent: string | null): string;
  build(values: Values): BuiltCreate;
  cell?(r: GhostRow, key: string): Cell | undefined;
  /** The list query for a table search (only when `info.searchable`). */
  search?(q: string): Record<string, string>;
}

/** Form field and column builders shared by the kind definitions. */
export const text = (key: string, label: string, required = true, extra: Partial<PanelField> = {}): PanelField => ({
  key,
  label,
  type: 'text',
  required,
  ...extra,
});
/** A password-type field never shown back. */
export const secret = (key: string, label: string, required = true): PanelField => ({
  key,
  label,
  type: 'password',
  required,
  secret: true,
});
/** A checkbox field. */
export const check = (key: string, label: string): PanelField => ({ key, label, type: 'checkbox', required: false });
/** An optional number field. */
export const num = (key: string, label: string): PanelField => ({ key, label, type: 'number', required: false });
/** A select field over fixed values. */
export const select = (key: string, label: string, options: readonly string[], required = true): PanelField => ({
  key,
  label,
  type: 'select',
  required,
  options: options.map((o) => ({ value: o, label: o })),
});
/** Table columns from [key, label] pairs. */
export const cols = (...pairs: [string, string][]) => pairs.map(([key, label]) => ({ key, label }));

/** The object without its undefined values (optional JSON fields left out). */
export function defined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/** Backend templates GhostCP offers for web domains. */
export const PHP = ['PHP-8.3', 'PHP-8.2', 'PHP-8.1', 'PHP-7.4', 'none'] as const;
/** System job types (seed: backup, ssl_renew, dns_sync, etc.). */
export const JOB_TYPES = ['backup', 'ssl_renew', 'dns_sync', 'mail_sync', 'user_sync', 'cleanup'] as const;
/** Backup storage backends. */
export const BACKENDS = ['s3', 'b2', 'sftp', 'local'] as const;
