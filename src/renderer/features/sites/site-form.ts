import type { z } from 'zod';
import type { Input } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { Domain, PhpVersion, RemotePath, SystemUser, UpstreamPort, UpstreamUrl } from '../../../shared/remote-names';
import { errorMessage, fieldErrors, type FieldErrors } from '../../lib/errors';

/** The kinds of site PanelDeck creates. */
export type CreatableKind = 'static' | 'php' | 'proxy';

/** The create dialog's form, as typed (strings; empty = the core's default). */
export interface SiteForm {
  serverId: string;
  kind: CreatableKind;
  domain: string;
  /** Further names, separated by spaces or commas. */
  aliases: string;
  phpVersion: string;
  /** An http(s) URL, or a port on the server's loopback. */
  upstream: string;
  root: string;
  systemUser: string;
}

export type SiteField = keyof SiteForm;

/** The alias names typed into the aliases box. */
export function aliasList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((a) => a.trim())
    .filter(Boolean);
}

function problem(schema: z.ZodType, value: unknown): string | undefined {
  const r = schema.safeParse(value);
  return r.success ? undefined : r.error.issues[0]?.message;
}

/**
 * Checks one field with the contract's own schemas (src/shared/remote-names.ts), so the message as you type is the
 * one the core would answer. Empty optional fields are fine (the core picks the default).
 */
export function checkField(form: SiteForm, field: SiteField): string | undefined {
  switch (field) {
    case 'serverId':
      return form.serverId ? undefined : 'Choose a server.';
    case 'domain':
      return problem(Domain, form.domain);
    case 'aliases': {
      const list = aliasList(form.aliases);
      if (list.length > 20) return 'At most 20 aliases.';
      for (const a of list) {
        const p = problem(Domain, a);
        if (p) return `${a}: ${p}`;
      }
      return undefined;
    }
    case 'phpVersion':
      return form.kind === 'php' && form.phpVersion.trim() ? problem(PhpVersion, form.phpVersion.trim()) : undefined;
    case 'upstream': {
      if (form.kind !== 'proxy') return undefined;
      const u = form.upstream.trim();
      if (u === '') return 'Give the address to proxy to (http://127.0.0.1:3000) or a port (3000).';
      return /^\d+$/.test(u) ? problem(UpstreamPort, Number(u)) : problem(UpstreamUrl, u);
    }
    case 'root':
      return form.root.trim() ? problem(RemotePath, form.root) : undefined;
    case 'systemUser':
      return form.systemUser.trim() ? problem(SystemUser, form.systemUser) : undefined;
    default:
      return undefined;
  }
}

const FIELDS: SiteField[] = ['serverId', 'domain', 'aliases', 'phpVersion', 'upstream', 'root', 'systemUser'];

/** Every field's problem, for the fields in `only` (all when absent). */
export function checkForm(form: SiteForm, only?: ReadonlySet<SiteField>): FieldErrors {
  const out: FieldErrors = {};
  for (const f of FIELDS) {
    if (only && !only.has(f)) continue;
    const p = checkField(form, f);
    if (p) out[f] = p;
  }
  return out;
}

/** The sites.create input for the form (dryRun: the preview). */
export function createInput(form: SiteForm, dryRun: boolean): Input<'sites.create'> {
  const base = {
    serverId: form.serverId,
    domain: form.domain.trim(),
    aliases: aliasList(form.aliases),
    ...(form.root.trim() ? { root: form.root.trim() } : {}),
    ...(form.systemUser.trim() ? { systemUser: form.systemUser.trim() } : {}),
    dryRun,
  };
  if (form.kind === 'php') {
    return { ...base, kind: 'php', ...(form.phpVersion.trim() ? { phpVersion: form.phpVersion.trim() } : {}) };
  }
  if (form.kind === 'proxy') {
    const u = form.upstream.trim();
    return { ...base, kind: 'proxy', upstream: /^\d+$/.test(u) ? Number(u) : u };
  }
  return { ...base, kind: 'static' };
}

/**
 * The core's VALIDATION answer as per-field messages: schema issues (`aliases.2` counts as `aliases`) and a
 * service's own `details.field` (e.g. phpVersion when that PHP is not installed). Any other error's sentence goes
 * to `_` (the form's own error line).
 */
export function coreFieldErrors(e: unknown): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fieldErrors(e))) out[path.split('.')[0] ?? '_'] ??= message;
  if (e instanceof AppError) {
    const field = e.details?.field;
    if (e.code === 'VALIDATION' && typeof field === 'string') out[field] ??= e.message;
  }
  if (Object.keys(out).length === 0) out._ = errorMessage(e);
  return out;
}
