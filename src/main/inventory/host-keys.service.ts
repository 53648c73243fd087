import type { ServiceContext } from '../core/service-context';
import os from 'node:os';
import path from 'node:path';
import type { TrustedHostKey } from '../../shared/contract/host-keys.contract';
import type { Logger } from '../core/logger';
import { readUserFile, resolveUserPath, USER_FILE_LIMITS } from '../core/user-files';
import { hostKeyEntry } from '../ssh/host-key-verifier';
import type { HostKeyEntry, HostKeyStore } from '../ssh/ssh.types';
import type { HashedHostKeyRecord } from '../vault/record-kinds';
import type { VaultService } from '../vault/vault.service';
import { entryMatches, readKnownHosts, type KnownHostEntry } from './known-hosts';

/** Dependencies of {@link HostKeysService}. */
export interface HostKeysDeps {
  readonly vault: VaultService;
  readonly ctx: ServiceContext;
  /** Home directory whose .ssh/known_hosts is imported by default. */
  readonly homeDir?: string;
}

/** What `hostKeys.importKnownHosts` reports. */
export interface KnownHostsImportResult {
  imported: number;
  alreadyTrusted: number;
  hashed: number;
  skipped: { line: number; reason: string }[];
}

const norm = (host: string): string => host.trim().toLowerCase();

/** `host` or `[host]:port` from a known_hosts pattern; null for wildcards and negations (they name no one host). */
function parsePattern(p: string): { host: string; port: number } | null {
  if (/[*?!]/.test(p)) return null;
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(p);
  if (m) {
    const port = Number(m[2]);
    return port >= 1 && port <= 65535 ? { host: norm(m[1] ?? ''), port } : null;
  }
  return p.includes('[') || p.includes(']') ? null : { host: norm(p), port: 22 };
}

/**
 * Trusted SSH host keys kept as sealed vault records (kind 'host-key'): the vault-backed {@link HostKeyStore} of the
 * SSH layer, plus listing, forgetting, and importing ~/.ssh/known_hosts. Why in the vault: the list of hosts a user
 * connects to is as identifying as their server list (DESIGN.md "The vault"). Hashed known_hosts entries hide
 * their host name, so they are kept sealed (kind 'host-key-hashed') and matched by HMAC the first time a host is
 * looked up; a match becomes an ordinary trusted key with source 'known_hosts'. Every method needs the vault
 * unlocked (VAULT_LOCKED otherwise), which is what stops new connections while it is locked.
 */
export class HostKeysService implements HostKeyStore {
  readonly #vault: VaultService;
  readonly #ctx: ServiceContext;
  readonly #logger: Logger;
  readonly #homeDir: string;

  constructor(deps: HostKeysDeps) {
    this.#vault = deps.vault;
    this.#ctx = deps.ctx;
    this.#logger = deps.ctx.logger;
    this.#homeDir = deps.homeDir ?? os.homedir();
  }

  /** Trusted keys, optionally for one host, sorted by host, port, then age. */
  list(q: { host?: string | undefined } = {}): TrustedHostKey[] {
    const host = q.host === undefined ? undefined : norm(q.host);
    return [...this.#vault.records().all('host-key').values()]
      .filter((k) => host === undefined || k.host === host)
      .sort((a, b) => a.host.localeCompare(b.host) || a.port - b.port || a.addedAt - b.addedAt);
  }

  /** Forgets one trusted key (NOT_FOUND if absent). */
  remove(id: string): { ok: true } {
    const records = this.#vault.records();
    const k = records.get('host-key', id, 'trusted host key');
    records.write({
      delete: [id],
      put: [
        this.#vault.auditRecord(
          'hostkey.removed',
          `Trusted ${k.keyType} key of ${where(k)} forgotten (${k.fingerprint})`,
        ),
      ],
    });
    this.#logger.info('hostkeys.removed', {});
    return { ok: true };
  }

  // --- HostKeyStore (the SSH layer) ---

  get(host: string, port: number): Promise<HostKeyEntry[] | null> {
    return settle(() => {
      const keys = this.#keysFor(host, port);
      if (keys.length > 0) return keys.map(toEntry);
      const promoted = this.#promoteHashed(host, port);
      return promoted.length > 0 ? promoted.map(toEntry) : null;
    });
  }

  trust(host: string, port: number, key: HostKeyEntry): Promise<void> {
    return settle(() => {
      if (this.#keysFor(host, port).some((k) => k.fingerprint === key.fingerprint)) return;
      const rec = this.#record(host, port, key, 'first-use');
      const audit = this.#vault.auditRecord(
        'hostkey.trusted',
        `${rec.keyType} key of ${where(rec)} trusted on first connection (${rec.fingerprint})`,
      );
      this.#vault.records().write({ put: [{ kind: 'host-key', id: rec.id, data: rec }, audit] });
    });
  }

  replace(host: string, port: number, key: HostKeyEntry): Promise<void> {
    return settle(() => {
      const rec = this.#record(host, port, key, 'replaced');
      const old = this.#keysFor(host, port);
      const was = old.map((k) => k.fingerprint).join(', ') || 'none';
      const audit = this.#vault.auditRecord(
        'hostkey.replaced',
        `Host key of ${where(rec)} replaced after a change: ${was} → ${rec.fingerprint}`,
      );
      this.#vault.records().write({
        delete: old.map((k) => k.id),
        put: [{ kind: 'host-key', id: rec.id, data: rec }, audit],
      });
    });
  }

  // --- known_hosts import ---

  /** Imports known_hosts text, or the file at `path` (default ~/.ssh/known_hosts under the home directory). */
  async importKnownHosts(input: {
    path?: string | undefined;
    text?: string | undefined;
    /** Base for a relative `path` (the CLI's working directory); null refuses relative paths. */
    cwd?: string | null | undefined;
  }): Promise<KnownHostsImportResult> {
    this.#vault.records();
    let text = input.text;
    if (text === undefined) {
      const what = 'the known_hosts file';
      const file =
        input.path === undefined
          ? path.join(this.#homeDir, '.ssh', 'known_hosts')
          : resolveUserPath(input.path, { home: this.#homeDir, cwd: input.cwd ?? null, what });
      text = await readUserFile(file, { what, maxBytes: USER_FILE_LIMITS.knownHosts });
    }
    return this.#import(text);
  }

  #import(text: string): KnownHostsImportResult {
    const records = this.#vault.records();
    const out: KnownHostsImportResult = { imported: 0, alreadyTrusted: 0, hashed: 0, skipped: [] };
    const put: { kind: 'host-key' | 'host-key-hashed'; id: string; data: TrustedHostKey | HashedHostKeyRecord }[] = [];
    const seen = new Set<string>();
    const trusted = [...records.all('host-key').values()];
    const known = new Set(trusted.map((k) => `${k.host}|${k.port}|${k.fingerprint}`));
    /** Trusted keys by fingerprint: a hashed line is only HMAC-checked against hosts that have its key. */
    const byFingerprint = new Map<string, TrustedHostKey[]>();
    for (const k of trusted) byFingerprint.set(k.fingerprint, [...(byFingerprint.get(k.fingerprint) ?? []), k]);
    const knownHashed = new Set([...records.all('host-key-hashed').values()].map((k) => `${k.hash}|${k.fingerprint}`));
    const now = this.#ctx.clock.now();
    const { entries, malformed } = readKnownHosts(text);
    out.skipped.push(...malformed);
    for (const e of entries) {
      const skip = (reason: string): void => void out.skipped.push({ line: e.line, reason });
      if (e.marker === '@cert-authority') {
        skip('Certificate authorities are not supported.');
        continue;
      }
      if (e.marker === '@revoked') {
        skip('Revoked keys are not imported.');
        continue;
      }
      const entry = hostKeyEntry(e.key);
      if (entry.keyType === 'unknown') {
        skip('Not a known_hosts entry: the third field is not an SSH public key.');
        continue;
      }
      if (entry.keyType !== e.keyType) {
        skip(`The key does not match its type ${e.keyType}.`);
        continue;
      }
      if (e.hashed !== null) {
        const hash = e.hashed.hash.toString('base64');
        const trustedAlready = (byFingerprint.get(entry.fingerprint) ?? []).some((k) =>
          entryMatches(e, k.host, k.port),
        );
        if (
          trustedAlready ||
          knownHashed.has(`${hash}|${entry.fingerprint}`) ||
          seen.has(`#${hash}|${entry.fingerprint}`)
        ) {
          out.alreadyTrusted++;
          continue;
        }
        seen.add(`#${hash}|${entry.fingerprint}`);
        const rec = hashedRecord(e, entry, now, this.#ctx.newId());
        put.push({ kind: 'host-key-hashed', id: rec.id, data: rec });
        out.hashed++;
        continue;
      }
      const names = e.patterns.map(parsePattern);
      if (names.every((n) => n === null)) {
        skip('Only wildcard or negated host patterns: they name no single host.');
        continue;
      }
      for (const n of names) {
        if (n === null) continue;
        const key = `${n.host}|${n.port}|${entry.fingerprint}`;
        if (known.has(key) || seen.has(key)) {
          out.alreadyTrusted++;
          continue;
        }
        seen.add(key);
        const rec: TrustedHostKey = { ...this.#record(n.host, n.port, entry, 'known_hosts'), addedAt: now };
        put.push({ kind: 'host-key', id: rec.id, data: rec });
        out.imported++;
      }
    }
    if (put.length > 0) {
      const detail = `${out.imported} host keys imported from known_hosts (${out.hashed} hashed entries kept for matching)`;
      records.write({ put: [...put, this.#vault.auditRecord('hostkey.imported', detail)] });
    }
    this.#logger.info('hostkeys.imported', { imported: out.imported, hashed: out.hashed, skipped: out.skipped.length });
    out.skipped.sort((a, b) => a.line - b.line);
    return out;
  }

  #keysFor(host: string, port: number): TrustedHostKey[] {
    const h = norm(host);
    return [...this.#vault.records().all('host-key').values()].filter((k) => k.host === h && k.port === port);
  }

  /** Turns hashed entries whose HMAC matches host:port into trusted keys (source 'known_hosts'), in one write. */
  #promoteHashed(host: string, port: number): TrustedHostKey[] {
    const records = this.#vault.records();
    const hits = [...records.all('host-key-hashed').values()].filter((r) =>
      entryMatches(
        {
          line: 0,
          marker: null,
          patterns: [],
          hashed: { salt: Buffer.from(r.salt, 'base64'), hash: Buffer.from(r.hash, 'base64') },
          keyType: r.keyType,
          key: Buffer.alloc(0),
          comment: '',
        },
        host,
        port,
      ),
    );
    if (hits.length === 0) return [];
    const byFp = new Map<string, TrustedHostKey>();
    for (const r of hits) {
      if (byFp.has(r.fingerprint)) continue;
      byFp.set(r.fingerprint, this.#record(host, port, r, 'known_hosts'));
    }
    const promoted = [...byFp.values()];
    records.write({
      delete: hits.map((r) => r.id),
      put: promoted.map((k) => ({ kind: 'host-key' as const, id: k.id, data: k })),
    });
    this.#logger.info('hostkeys.hashed-matched', { count: promoted.length });
    return promoted;
  }

  #record(host: string, port: number, key: HostKeyEntry, source: TrustedHostKey['source']): TrustedHostKey {
    return {
      id: this.#ctx.newId(),
      host: norm(host),
      port,
      keyType: key.keyType,
      fingerprint: key.fingerprint,
      publicKey: key.publicKey,
      source,
      addedAt: this.#ctx.clock.now(),
    };
  }
}

/** Runs `fn` now and reports its result or its throw (VAULT_LOCKED) as a settled promise, never a synchronous throw. */
export function settle<T>(fn: () => T): Promise<T> {
  return new Promise<T>((resolve) => resolve(fn()));
}

function toEntry(k: TrustedHostKey): HostKeyEntry {
  return { keyType: k.keyType, fingerprint: k.fingerprint, publicKey: k.publicKey };
}

function hashedRecord(e: KnownHostEntry, entry: HostKeyEntry, now: number, id: string): HashedHostKeyRecord {
  return {
    id,
    salt: e.hashed?.salt.toString('base64') ?? '',
    hash: e.hashed?.hash.toString('base64') ?? '',
    keyType: entry.keyType,
    fingerprint: entry.fingerprint,
    publicKey: entry.publicKey,
    addedAt: now,
  };
}

/** host:port as people write it (port omitted when 22; IPv6 in brackets). */
function where(k: { host: string; port: number }): string {
  const h = k.host.includes(':') ? `[${k.host}]` : k.host;
  return k.port === 22 ? h : `${h}:${k.port}`;
}
