import type { Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { AppError, type ErrorCode } from '../../shared/errors';
import type { CallContext } from './dispatcher';

/**
 * Files the user names (export/import files, ssh_config and its Includes, known_hosts): one place that turns a
 * typed path into an absolute one, checks it is a regular file under a size cap, reads it without blocking the
 * event loop that serves terminals, and turns every file-system failure into a typed AppError that says what and
 * where (the path is the user's own; file contents never appear in a message or a log).
 */

/** Size caps per kind of file: far above any real file, far below what would hurt the core. */
export const USER_FILE_LIMITS = {
  /** ssh_config and each file it Includes. */
  sshConfig: 4 * 1024 * 1024,
  /** known_hosts: tens of thousands of lines fit. */
  knownHosts: 32 * 1024 * 1024,
  /** A private key named by IdentityFile. */
  privateKey: 1024 * 1024,
  /** A PanelDeck export file. */
  exportFile: 256 * 1024 * 1024,
} as const;

/** What a file is, for messages: "the export file", "the SSH config file". */
export interface UserFileLabel {
  /** A short noun phrase, e.g. "the export file". */
  readonly what: string;
}

/**
 * Expands `~` and `~/…` to the home directory. `~name` (another user's home) is refused: PanelDeck only ever
 * reads and writes as the user running it.
 */
export function expandHome(p: string, home: string): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith(`~${path.sep}`)) return path.join(home, p.slice(2));
  if (p.startsWith('~')) {
    throw new AppError('VALIDATION', `"${firstSegment(p)}" paths are not supported: use ~/ or a full path.`, {
      path: p,
    });
  }
  return p;
}

/**
 * Turns a path typed by the user into an absolute, normalised path. `~` is the home directory. A relative path
 * is resolved against `cwd` when the caller has a meaningful one (the CLI: the user's shell), and refused
 * otherwise (the desktop and web UI have no working directory the user can see, so guessing would write files
 * where nobody looks for them).
 */
export function resolveUserPath(p: string, opts: { home: string; cwd: string | null } & UserFileLabel): string {
  const trimmed = p.trim();
  if (trimmed === '') throw new AppError('VALIDATION', `Give a path for ${opts.what}.`);
  if (trimmed.includes('\0')) throw new AppError('VALIDATION', `The path of ${opts.what} contains a NUL byte.`);
  const expanded = expandHome(trimmed, opts.home);
  if (path.isAbsolute(expanded)) return path.normalize(expanded);
  if (opts.cwd === null) {
    throw new AppError(
      'VALIDATION',
      `"${trimmed}" is a relative path. Give a full path for ${opts.what}, starting with / or ~/ (for example ~/${trimmed}).`,
      { path: trimmed },
    );
  }
  return path.resolve(opts.cwd, expanded);
}

/** The base for relative paths of a call: the CLI's working directory, none for the UI transports. */
export function callCwd(ctx: CallContext): string | null {
  return ctx.transport === 'cli' || ctx.transport === 'in-process' ? process.cwd() : null;
}

/**
 * Reads a user-named file as UTF-8 text, asynchronously, after checking (on the open descriptor, so a file swapped
 * in between cannot slip past) that it is a regular file within the cap. A file that grows past the cap while
 * being read is refused too: at most `maxBytes + 1` bytes are ever read.
 */
export async function readUserFile(file: string, opts: { maxBytes: number } & UserFileLabel): Promise<string> {
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer before the type check refuses it.
    handle = await fs.open(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    throw fsErrorToAppError(e, { path: file, action: 'read', what: opts.what });
  }
  try {
    const st = await handle.stat();
    checkStats(st, file, opts);
    // Sized by stat, grown (up to the cap + 1) for files that grow or report no size (/proc): never past the cap.
    let buf = Buffer.alloc(Math.min(Math.max(st.size, 4096), opts.maxBytes) + 1);
    let total = 0;
    for (;;) {
      if (total === buf.length) {
        if (total > opts.maxBytes) throw tooLarge(file, opts);
        const bigger = Buffer.alloc(Math.min(buf.length * 2, opts.maxBytes + 1));
        buf.copy(bigger, 0, 0, total);
        buf = bigger;
      }
      const { bytesRead } = await handle.read(buf, total, buf.length - total, total);
      if (bytesRead === 0) break;
      total += bytesRead;
    }
    if (total > opts.maxBytes) throw tooLarge(file, opts);
    return buf.subarray(0, total).toString('utf8');
  } catch (e) {
    throw e instanceof AppError ? e : fsErrorToAppError(e, { path: file, action: 'read', what: opts.what });
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Checks where a new file may be written: the folder exists and is a folder, the name is not a folder or a device,
 * and an existing file is replaced only with `overwrite` (FILE_EXISTS otherwise, which the UI turns into a
 * question).
 */
export async function checkWritableTarget(file: string, opts: { overwrite: boolean } & UserFileLabel): Promise<void> {
  const dir = path.dirname(file);
  let dirStat: Stats;
  try {
    dirStat = await fs.stat(dir);
  } catch (e) {
    throw fsErrorToAppError(e, { path: dir, action: 'write', what: 'the folder' });
  }
  if (!dirStat.isDirectory()) {
    throw new AppError('VALIDATION', `Cannot write ${opts.what}: ${dir} is not a folder.`, {
      path: dir,
      errno: 'ENOTDIR',
    });
  }
  let st: Stats | null = null;
  try {
    st = await fs.stat(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw fsErrorToAppError(e, { path: file, action: 'write', what: opts.what });
    }
  }
  if (st === null) return;
  if (st.isDirectory()) {
    throw new AppError(
      'VALIDATION',
      `${file} is a folder. Add a file name, e.g. ${path.join(file, 'paneldeck.pdvault')}.`,
      {
        path: file,
        errno: 'EISDIR',
      },
    );
  }
  if (!st.isFile()) {
    throw new AppError('VALIDATION', `${file} is not a regular file (a device, pipe or socket); choose another name.`, {
      path: file,
    });
  }
  if (!opts.overwrite) {
    throw new AppError('FILE_EXISTS', `${file} already exists. Replace it, or choose another name.`, { path: file });
  }
}

/** What failed, by errno: the code, the sentence a user reads. */
const ERRNO: Record<string, { code: ErrorCode; read: string; write: string }> = {
  ENOENT: { code: 'NOT_FOUND', read: 'does not exist', write: 'cannot be created: the folder does not exist' },
  ENOTDIR: {
    code: 'NOT_FOUND',
    read: 'does not exist (a part of the path is not a folder)',
    write: 'cannot be created: a part of the path is not a folder',
  },
  EISDIR: { code: 'VALIDATION', read: 'is a folder, not a file', write: 'is a folder, not a file' },
  EACCES: {
    code: 'PERMISSION_DENIED',
    read: 'cannot be read: permission denied',
    write: 'cannot be written: permission denied',
  },
  EPERM: {
    code: 'PERMISSION_DENIED',
    read: 'cannot be read: operation not permitted',
    write: 'cannot be written: operation not permitted',
  },
  EROFS: { code: 'PERMISSION_DENIED', read: 'is on a read-only file system', write: 'is on a read-only file system' },
  ENOSPC: {
    code: 'FILE_ERROR',
    read: 'cannot be read: the disk is full',
    write: 'cannot be written: the disk is full',
  },
  EDQUOT: {
    code: 'FILE_ERROR',
    read: 'cannot be read: disk quota exceeded',
    write: 'cannot be written: disk quota exceeded',
  },
  ENAMETOOLONG: { code: 'VALIDATION', read: 'has a name that is too long', write: 'has a name that is too long' },
  ELOOP: { code: 'VALIDATION', read: 'is a loop of symbolic links', write: 'is a loop of symbolic links' },
  EIO: {
    code: 'FILE_ERROR',
    read: 'cannot be read: input/output error',
    write: 'cannot be written: input/output error',
  },
  EBUSY: { code: 'FILE_ERROR', read: 'is busy', write: 'is busy' },
  EMFILE: {
    code: 'FILE_ERROR',
    read: 'cannot be opened: too many open files',
    write: 'cannot be opened: too many open files',
  },
};

/**
 * Turns a Node file-system error into a typed AppError naming the path, what went wrong and the errno
 * (`details.errno`), e.g. "The export file /root/x cannot be written: permission denied (EACCES)."
 * Never includes the error's own message (it can quote other paths) or anything read from the file.
 */
export function fsErrorToAppError(
  e: unknown,
  opts: { path: string; action: 'read' | 'write' } & UserFileLabel,
): AppError {
  if (e instanceof AppError) return e;
  const errno = (e as NodeJS.ErrnoException | undefined)?.code;
  const known = typeof errno === 'string' ? ERRNO[errno] : undefined;
  const subject = `${capitalise(opts.what)} ${opts.path}`;
  if (!known) {
    const tail = typeof errno === 'string' ? ` (${errno})` : '';
    return new AppError('FILE_ERROR', `${subject} cannot be ${opts.action === 'read' ? 'read' : 'written'}${tail}.`, {
      path: opts.path,
      ...(typeof errno === 'string' ? { errno } : {}),
    });
  }
  return new AppError(known.code, `${subject} ${known[opts.action]} (${errno}).`, { path: opts.path, errno });
}

function checkStats(st: Stats, file: string, opts: { maxBytes: number } & UserFileLabel): void {
  if (st.isDirectory()) {
    throw new AppError('VALIDATION', `${capitalise(opts.what)} ${file} is a folder, not a file (EISDIR).`, {
      path: file,
      errno: 'EISDIR',
    });
  }
  if (!st.isFile()) {
    throw new AppError(
      'VALIDATION',
      `${capitalise(opts.what)} ${file} is not a regular file (a device, pipe or socket), so it is not read.`,
      { path: file },
    );
  }
  if (st.size > opts.maxBytes) throw tooLarge(file, opts);
}

function tooLarge(file: string, opts: { maxBytes: number } & UserFileLabel): AppError {
  return new AppError(
    'TOO_LARGE',
    `${capitalise(opts.what)} ${file} is larger than ${formatBytes(opts.maxBytes)}, so it is not read.`,
    { path: file, maxBytes: opts.maxBytes },
  );
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${Math.round(n / (1024 * 1024))} MiB` : `${Math.round(n / 1024)} KiB`;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function firstSegment(p: string): string {
  const slash = p.indexOf('/');
  return slash === -1 ? p : p.slice(0, slash);
}
