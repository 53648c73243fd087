import { z } from 'zod';
import { event, method } from './define';

/** How the renderer is connected to the core. */
export const Transport = z.enum(['electron', 'web', 'cli', 'in-process']);
export type Transport = z.infer<typeof Transport>;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  dataDir: z.string(),
  platform: z.string(),
  arch: z.string(),
  node: z.string(),
  electron: z.string().nullable(),
  transport: Transport,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const HealthCheck = z.object({ name: z.string(), ok: z.boolean(), detail: z.string() });
export const AppHealth = z.object({
  ok: z.boolean(),
  uptimeMs: z.number().int().nonnegative(),
  checks: z.array(HealthCheck),
});
export type AppHealth = z.infer<typeof AppHealth>;

const Empty = z.strictObject({});

/** Schemes a link may open in the user's browser: web pages only (no file:, javascript:, smb:, custom handlers). */
export const EXTERNAL_URL_SCHEMES = ['http:', 'https:'] as const;

/** An absolute http(s) URL without credentials in it, as a link in terminal output may be opened. */
export const ExternalUrl = z
  .string()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return (EXTERNAL_URL_SCHEMES as readonly string[]).includes(u.protocol) && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http:// or https:// URL without a user name or password');

/** What a native file dialog shows: a title, where it starts, which files it offers. */
export const FileDialogOptions = z.strictObject({
  title: z.string().min(1).max(200),
  /** A folder or file to start from; `~` is the home directory. */
  defaultPath: z.string().max(4096).optional(),
  filters: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(100),
        extensions: z
          .array(z.string().regex(/^(\*|[A-Za-z0-9_-]{1,20})$/))
          .min(1)
          .max(20),
      }),
    )
    .max(10)
    .optional(),
});
export type FileDialogOptions = z.infer<typeof FileDialogOptions>;

/** The chosen path, or null when the user cancelled the dialog. */
export const PickedPath = z.object({ path: z.string().nullable() });
export type PickedPath = z.infer<typeof PickedPath>;

/** The application itself: identity and health. */
export const appMethods = {
  'app.info': method({
    input: Empty,
    output: AppInfo,
    summary: 'Name, version, data directory, platform and transport of this PanelDeck.',
  }),
  'app.health': method({
    input: Empty,
    output: AppHealth,
    summary: 'Self-checks of the core (data directory writable, storage engine loads).',
  }),
  'app.activity': method({
    input: Empty,
    output: z.object({ ok: z.literal(true) }),
    summary: 'The user is at the keyboard or mouse: postpones auto-lock (the UI sends it at most every 30 s).',
    cli: false,
  }),
  'app.openExternal': method({
    input: z.strictObject({ url: ExternalUrl }),
    output: z.object({ opened: z.literal(true) }),
    summary: "Opens an http(s) link in the user's browser (the desktop app; the web UI opens links itself).",
    cli: false,
  }),
  'app.pickFile': method({
    input: FileDialogOptions,
    output: PickedPath,
    summary: 'Asks the user for an existing file with the native dialog (desktop app only; UNSUPPORTED elsewhere).',
    cli: false,
  }),
  'app.pickSaveFile': method({
    input: FileDialogOptions,
    output: PickedPath,
    summary: 'Asks the user where to save a file with the native dialog (desktop app only; UNSUPPORTED elsewhere).',
    cli: false,
  }),
};

export const appEvents = {
  'app.notice': event({
    payload: z.object({ level: z.enum(['info', 'warning', 'error']), message: z.string() }),
    summary: 'A message the core wants shown to the user.',
  }),
};
