import type { Input } from '../../../shared/contract';
import type { DriverKind } from '../../../shared/contract/inventory.contract';
import { PANEL_KINDS } from '../../../shared/panel-kinds';
import { AppError } from '../../../shared/errors';
import { errorMessage, fieldErrors, type FieldErrors } from '../../lib/errors';

/** The kinds offered by "Add panel": every kind reached over HTTP that PanelDeck has a driver for. */
export const HTTP_KINDS = (Object.keys(PANEL_KINDS) as DriverKind[]).filter(
  (k) => PANEL_KINDS[k].transport === 'http' && PANEL_KINDS[k].supported,
);

/** Kinds that sign in with an API key alone (no user name). */
const KEY_ONLY = new Set<DriverKind>(['cloudpanel-api', 'aapanel']);

/** True when the kind signs in with an API key and no user name. */
export function keyOnly(kind: DriverKind): boolean {
  return KEY_ONLY.has(kind);
}

/** The add/edit form as typed. */
export interface PanelForm {
  name: string;
  kind: DriverKind;
  baseUrl: string;
  /** 'vault': pick `credentialId`; 'new': type `username` + `secret`. */
  credentialMode: 'vault' | 'new';
  credentialId: string;
  username: string;
  secret: string;
}

/** An empty form for "Add panel". */
export function emptyPanelForm(): PanelForm {
  return {
    name: '',
    kind: HTTP_KINDS[0] ?? 'cloudpanel-api',
    baseUrl: '',
    credentialMode: 'new',
    credentialId: '',
    username: '',
    secret: '',
  };
}

/** The form's own checks (the core checks again with the contract's schemas). */
export function checkPanelForm(form: PanelForm, adding: boolean): FieldErrors {
  const out: FieldErrors = {};
  if (!form.name.trim()) out.name = 'Give the panel a name.';
  const url = form.baseUrl.trim();
  if (!/^https?:\/\/[^\s/]+/i.test(url)) out.baseUrl = 'Enter the panel address as http(s)://host[:port][/path]';
  if (form.credentialMode === 'vault' || !adding) {
    if (!form.credentialId) out.credentialId = 'Choose a credential.';
  } else {
    if (!keyOnly(form.kind) && !form.username.trim()) out.username = 'Enter the user name you sign in with.';
    if (!form.secret) out.secret = keyOnly(form.kind) ? 'Enter the API key.' : 'Enter the password.';
  }
  return out;
}

/** The panels.add input for the form. */
export function addInput(form: PanelForm): Input<'panels.add'> {
  const base = { name: form.name.trim(), kind: form.kind, baseUrl: form.baseUrl.trim() };
  if (form.credentialMode === 'vault') return { ...base, credentialId: form.credentialId };
  const username = keyOnly(form.kind) ? null : form.username.trim() || null;
  return { ...base, credential: { username, secret: form.secret } };
}

/**
 * The core's answer as per-field messages: schema issues (`credential.secret` counts as `secret`, `patch.name` as
 * `name`) and a service's `details.field` (UNSUPPORTED kind, a missing credential). Anything else goes to `_`.
 */
export function panelFieldErrors(e: unknown): FieldErrors {
  const out: FieldErrors = {};
  for (const [path, message] of Object.entries(fieldErrors(e))) {
    const key =
      path
        .replace(/^patch\./, '')
        .replace(/^credential\./, '')
        .split('.')[0] ?? '_';
    out[key] ??= message;
  }
  if (e instanceof AppError && typeof e.details?.field === 'string') out[e.details.field] ??= e.message;
  if (Object.keys(out).length === 0) out._ = errorMessage(e);
  else errorMessage(e);
  return out;
}
