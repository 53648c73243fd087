import fs from 'node:fs/promises';
import path from 'node:path';
import SSHConfig, { LineType } from 'ssh-config';
import { AppError } from '../../shared/errors';
import { Host as HostSchema, PosixUser } from '../../shared/validators';
import { readUserFile, USER_FILE_LIMITS } from '../core/user-files';

/** One Host entry ready to import. */
export interface SshConfigEntry {
  readonly alias: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly identityFile: string | null;
  readonly proxyJump: string[];
}

/** The outcome of reading a config: entries to import and aliases skipped with a reason. */
export interface SshConfigRead {
  readonly entries: SshConfigEntry[];
  readonly skip: { alias: string; reason: string }[];
}

const MAX_INCLUDE_DEPTH = 16;

/**
 * Reads an OpenSSH client config the way `ssh` resolves it for each concrete Host alias: Include files are
 * spliced in (relative paths against ~/.ssh, globs allowed), then `ssh-config` computes each alias's values
 * (first match wins, wildcard sections included). Wildcard patterns themselves are not hosts and are skipped.
 */
export async function readSshConfig(
  text: string,
  opts: { homeDir: string; defaultUser: string },
): Promise<SshConfigRead> {
  const sshDir = path.join(opts.homeDir, '.ssh');
  const config = SSHConfig.parse(await expandIncludes(text, sshDir, opts.homeDir, 0));
  const aliases: string[] = [];
  for (const line of config) {
    if (line.type !== LineType.DIRECTIVE || line.param.toLowerCase() !== 'host' || !('config' in line)) continue;
    const values = typeof line.value === 'string' ? line.value.split(/\s+/) : line.value.map((v) => v.val);
    for (const v of values) if (v && !aliases.includes(v)) aliases.push(v);
  }
  const entries: SshConfigEntry[] = [];
  const skip: { alias: string; reason: string }[] = [];
  for (const alias of aliases) {
    if (/[*?!]/.test(alias)) {
      skip.push({ alias, reason: 'Wildcard pattern, not a host.' });
      continue;
    }
    const c = config.compute(alias);
    const one = (k: string): string | undefined => {
      const v = c[k];
      return Array.isArray(v) ? v[0] : v;
    };
    const host = (one('HostName') ?? alias).replace(/%h/g, alias);
    if (!HostSchema.safeParse(host).success) {
      skip.push({ alias, reason: 'HostName is not a host name or IP address.' });
      continue;
    }
    const port = Number(one('Port') ?? '22');
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      skip.push({ alias, reason: 'Port is not a valid port number.' });
      continue;
    }
    const user = one('User') ?? opts.defaultUser;
    if (!PosixUser.safeParse(user).success) {
      skip.push({ alias, reason: 'User is not a valid user name.' });
      continue;
    }
    const identity = one('IdentityFile');
    const jump = one('ProxyJump');
    entries.push({
      alias,
      host,
      port,
      user,
      identityFile: identity ? expandPath(identity, opts.homeDir, sshDir, { h: host, r: user }) : null,
      proxyJump:
        jump && jump.toLowerCase() !== 'none'
          ? jump
              .split(',')
              .map((j) => j.trim())
              .filter(Boolean)
          : [],
    });
  }
  return { entries, skip };
}

/** The alias (or host) part of a ProxyJump hop: `user@alias:port` -> `alias`. */
export function jumpAlias(hop: string): string {
  const noUser = hop.includes('@') ? hop.slice(hop.lastIndexOf('@') + 1) : hop;
  const m = /^\[(.+)\](?::\d+)?$/.exec(noUser);
  if (m) return m[1] as string;
  return noUser.replace(/:\d+$/, '');
}

/**
 * Splices Include files in, read asynchronously through the shared user-file checks: a missing file is skipped (as
 * ssh does), anything that is not a regular file within the size cap is refused with a message naming it.
 */
async function expandIncludes(text: string, sshDir: string, home: string, depth: number): Promise<string> {
  if (depth > MAX_INCLUDE_DEPTH) return '';
  const out: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*include\s*[= ]\s*(.+)$/i.exec(line);
    if (!m) {
      out.push(line);
      continue;
    }
    const args = (m[1] as string).trim().split(/\s+/);
    for (const arg of args) {
      for (const f of await globFiles(expandPath(unquote(arg), home, sshDir, {}))) {
        out.push(await expandIncludes(await readInclude(f), sshDir, home, depth + 1));
      }
    }
  }
  return out.join('\n');
}

async function readInclude(file: string): Promise<string> {
  try {
    return await readUserFile(file, { what: 'the file named by Include', maxBytes: USER_FILE_LIMITS.sshConfig });
  } catch (e) {
    if (e instanceof AppError && e.code === 'NOT_FOUND') return '';
    throw e;
  }
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

/** `~` and `%d` to the home directory, relative paths against ~/.ssh (as ssh does for Include and IdentityFile). */
function expandPath(p: string, home: string, sshDir: string, tokens: { h?: string; r?: string }): string {
  let out = unquote(p)
    .replace(/^~(?=\/|$)/, home)
    .replace(/%d/g, home)
    .replace(/%%/g, '%');
  if (tokens.h) out = out.replace(/%h/g, tokens.h);
  if (tokens.r) out = out.replace(/%r/g, tokens.r);
  return path.isAbsolute(out) ? out : path.join(sshDir, out);
}

/** Files matching a path whose last component may hold `*` and `?`, sorted (as glob(3) returns them). */
async function globFiles(p: string): Promise<string[]> {
  const base = path.basename(p);
  if (!/[*?]/.test(base)) return [p];
  const dir = path.dirname(p);
  const re = new RegExp(
    `^${base
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  try {
    return (await fs.readdir(dir))
      .filter((f) => re.test(f))
      .sort()
      .map((f) => path.join(dir, f));
  } catch {
    return [];
  }
}
