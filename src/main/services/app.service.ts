import fs from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import os from 'node:os';
import type { AppHealth, AppInfo, FileDialogOptions, PickedPath } from '../../shared/contract/app.contract';
import { AppError } from '../../shared/errors';
import type { CallContext } from '../core/dispatcher';
import { expandHome } from '../core/user-files';
import { PRODUCT_NAME, VERSION } from '../core/version';

export interface AppServiceDeps {
  readonly dataDir: string;
  /** Electron's version when running inside Electron, else null. */
  readonly electronVersion: string | null;
  readonly now?: () => number;
  /** Native file dialogs (the Electron shell); absent where there are none (web host, CLI). */
  readonly dialogs?: FileDialogs | undefined;
  /** Home directory for `~` in a dialog's start path (tests). */
  readonly homeDir?: string | undefined;
}

/** Native open/save dialogs, served by the desktop shell: each resolves with the chosen path or null (cancelled). */
export interface FileDialogs {
  pickFile(options: FileDialogOptions): Promise<string | null>;
  pickSaveFile(options: FileDialogOptions): Promise<string | null>;
}

/** Identity and self-checks of the running core: `app.info` and `app.health`. */
export class AppService {
  readonly #deps: AppServiceDeps;
  readonly #startedAt: number;
  readonly #now: () => number;

  constructor(deps: AppServiceDeps) {
    this.#deps = deps;
    this.#now = deps.now ?? Date.now;
    this.#startedAt = this.#now();
  }

  /** What the About panel and `paneldeck app.info` show. */
  info(ctx: CallContext): AppInfo {
    return {
      name: PRODUCT_NAME,
      version: VERSION,
      dataDir: this.#deps.dataDir,
      platform: process.platform,
      arch: process.arch,
      node: process.versions.node,
      electron: this.#deps.electronVersion,
      transport: ctx.transport,
    };
  }

  /** Runs the self-checks; each reports ok and a one-line detail. */
  async health(): Promise<AppHealth> {
    const checks = [await this.#checkDataDir(), this.#checkStorage()];
    return { ok: checks.every((c) => c.ok), uptimeMs: Math.max(0, this.#now() - this.#startedAt), checks };
  }

  /** `app.pickFile`: the native open dialog; UNSUPPORTED where there is none (the web UI types the path). */
  pickFile(options: FileDialogOptions): Promise<PickedPath> {
    return this.#pick('pickFile', options);
  }

  /** `app.pickSaveFile`: the native save dialog; UNSUPPORTED where there is none. */
  pickSaveFile(options: FileDialogOptions): Promise<PickedPath> {
    return this.#pick('pickSaveFile', options);
  }

  async #pick(kind: keyof FileDialogs, options: FileDialogOptions): Promise<PickedPath> {
    const dialogs = this.#deps.dialogs;
    if (!dialogs) throw new AppError('UNSUPPORTED', 'There is no file dialog here: type the path instead.');
    const home = this.#deps.homeDir ?? os.homedir();
    let defaultPath: string | undefined;
    try {
      defaultPath = options.defaultPath === undefined ? home : expandHome(options.defaultPath, home);
    } catch {
      defaultPath = home;
    }
    const picked = await dialogs[kind]({ ...options, defaultPath });
    return { path: picked };
  }

  async #checkDataDir(): Promise<AppHealth['checks'][number]> {
    const probe = path.join(this.#deps.dataDir, `.health-${process.pid}`);
    try {
      await fs.mkdir(this.#deps.dataDir, { recursive: true, mode: 0o700 });
      await fs.writeFile(probe, 'ok', { mode: 0o600 });
      await fs.rm(probe, { force: true });
      return { name: 'data directory', ok: true, detail: 'writable' };
    } catch (e) {
      return {
        name: 'data directory',
        ok: false,
        detail: `not writable (${(e as NodeJS.ErrnoException).code ?? 'error'})`,
      };
    }
  }

  #checkStorage(): AppHealth['checks'][number] {
    try {
      const db = new Database(':memory:');
      const row = db.prepare('select sqlite_version() as v').get() as { v: string };
      db.close();
      return { name: 'storage engine', ok: true, detail: `SQLite ${row.v}` };
    } catch {
      return { name: 'storage engine', ok: false, detail: 'better-sqlite3 failed to load' };
    }
  }
}
