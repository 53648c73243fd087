import { AppError, type ErrorCode } from '../../shared/errors';

/** Field path -> first message, from a VALIDATION error's `details.issues` (DESIGN.md rule 3). */
export type FieldErrors = Record<string, string>;

/**
 * Turns a VALIDATION error into per-field messages for inline display.
 * `stripPrefix` drops a wrapper path such as `patch.` (servers.update) so keys match the form's field names.
 */
export function fieldErrors(e: unknown, stripPrefix = ''): FieldErrors {
  if (!(e instanceof AppError) || e.code !== 'VALIDATION') return {};
  const issues = e.details?.issues;
  if (!Array.isArray(issues)) return {};
  const out: FieldErrors = {};
  for (const issue of issues as unknown[]) {
    if (typeof issue !== 'object' || issue === null) continue;
    const { path, message } = issue as { path?: unknown; message?: unknown };
    if (typeof path !== 'string' || typeof message !== 'string') continue;
    const key = stripPrefix && path.startsWith(stripPrefix) ? path.slice(stripPrefix.length) : path;
    out[key || '_'] ??= message;
  }
  if (Object.keys(out).length > 0) shownInline.add(e);
  return out;
}

/** The error's code when it is an AppError, else null. */
export function errorCode(e: unknown): ErrorCode | null {
  return e instanceof AppError ? e.code : null;
}

/** Errors a component has put on screen itself (through errorMessage or fieldErrors). */
const shownInline = new WeakSet<object>();

/**
 * True when a component already shows this error inline: the global toast then stays quiet, so one failure is
 * never shown twice (issue 8, item 7), whichever codes the call listed as `expected`.
 */
export function wasShownInline(e: unknown): boolean {
  return typeof e === 'object' && e !== null && shownInline.has(e);
}

/**
 * A message safe to show for any thrown value: the core's sentence for an AppError (see describeError). Calling it
 * means the caller shows the error, which keeps the global toast from repeating it.
 */
export function errorMessage(e: unknown): string {
  if (typeof e === 'object' && e !== null) shownInline.add(e);
  return describeError(e).message;
}

/** What a person reads about a failed call: a title, a sentence saying what happened and what to do, and details. */
export interface ErrorDescription {
  readonly title: string;
  readonly message: string;
  /** For a bug report, behind a "Details" disclosure: the stable code, the call, a log reference, an errno. */
  readonly details: string;
  readonly code: ErrorCode | null;
}

/** What the user was doing, by method: "Could not <this>". Namespaces cover methods without their own entry. */
const ACTIONS: Record<string, string> = {
  'vault.export': 'export the vault',
  'vault.importPreview': 'open the export file',
  'vault.import': 'import the export file',
  'vault.create': 'create the vault',
  'vault.unlock': 'unlock the vault',
  'vault.changePassword': 'change the master password',
  'forwards.start': 'start the port forward',
  'forwards.stop': 'stop the port forward',
  'terminal.open': 'open the terminal',
  'terminal.openPanel': "open the panel server's terminal",
  'sshConfig.preview': 'read the SSH config',
  'sshConfig.import': 'import from the SSH config',
  'hostKeys.importKnownHosts': 'import known_hosts',
  'credentials.reveal': 'show the secret',
  'keys.generate': 'generate the key',
  'keys.import': 'import the key',
};
/** The thing each namespace works on, for titles of methods without their own entry. */
const NOUNS: Record<string, string> = {
  app: 'the app',
  vault: 'the vault',
  audit: 'the audit trail',
  servers: 'the server',
  credentials: 'the credential',
  keys: 'the key',
  inventory: 'the inventory',
  terminal: 'the terminal',
  ssh: 'the server',
  hostKeys: 'the trusted host keys',
  snippets: 'the snippet',
  forwards: 'the port forward',
  sshConfig: 'the SSH config',
};
/** The verb of a method's last part: list/get load, create/update save, delete deletes. */
const VERBS: [RegExp, string][] = [
  [/^(list|get|facets|status|preview|info|health)/, 'load'],
  [/^(create|update|set|save)/, 'save'],
  [/^(delete|remove)/, 'delete'],
  [/^run/, 'run'],
  [/^(start|open)/, 'start'],
  [/^(stop|close)/, 'stop'],
];

function actionOf(method: string): string {
  const own = ACTIONS[method];
  if (own) return own;
  const [ns = '', name = ''] = method.split('.');
  const noun = NOUNS[ns];
  const verb = VERBS.find(([re]) => re.test(name))?.[1];
  return noun && verb ? `${verb} ${noun}` : 'complete the action';
}

/** What to do next, by code, when the core's sentence does not already say it. */
const NEXT_STEP: Partial<Record<ErrorCode, string>> = {
  PERMISSION_DENIED: 'Choose a place you are allowed to use, or fix the permissions.',
};

/**
 * Turns any thrown value into what a person reads (issue 8, item 7): a title naming what failed in words ("Could
 * not export the vault"), the core's sentence (already written for people) plus a next step where the code implies
 * one, and the machine parts (code, method, log reference, errno) kept for a "Details" disclosure, never in the
 * title or the sentence.
 */
export function describeError(e: unknown, method?: string): ErrorDescription {
  const action = method ? actionOf(method) : null;
  const title = action ? `Could not ${action}` : 'Something went wrong';
  if (!(e instanceof AppError)) {
    return {
      title,
      message: 'Something unexpected went wrong. Please try again.',
      details: [method, e instanceof Error ? e.name : typeof e].filter(Boolean).join(' · '),
      code: null,
    };
  }
  const next = NEXT_STEP[e.code];
  const message = next && !e.message.includes(next) ? `${e.message} ${next}` : e.message;
  const extra = ['ref', 'errno'].flatMap((k) => {
    const v = e.details?.[k];
    return typeof v === 'string' ? [`${k} ${v}`] : [];
  });
  return { title, message, details: [e.code, method, ...extra].filter(Boolean).join(' · '), code: e.code };
}
