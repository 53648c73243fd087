import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** One parsed line of an OpenSSH known_hosts file. */
export interface KnownHostEntry {
  readonly line: number;
  readonly marker: '@cert-authority' | '@revoked' | null;
  /** Plain patterns (`host`, `[host]:port`, `*.example.com`, `!bad`); empty for a hashed entry. */
  readonly patterns: string[];
  /** For `|1|salt|hash` entries: the salt and the HMAC-SHA1 of the host string. */
  readonly hashed: { salt: Buffer; hash: Buffer } | null;
  readonly keyType: string;
  readonly key: Buffer;
  readonly comment: string;
}

/** A line of known_hosts that is not a host key entry, with why (1-based line number). */
export interface KnownHostsProblem {
  readonly line: number;
  readonly reason: string;
}

/**
 * Parses known_hosts text (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): markers, comma-separated patterns, hashed
 * `|1|base64(salt)|base64(hmac-sha1)` names, key type, base64 key, comment. Malformed lines are skipped.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  return readKnownHosts(text).entries;
}

/** Like {@link parseKnownHosts}, and also says which lines were malformed and why (an import reports them). */
export function readKnownHosts(text: string): { entries: KnownHostEntry[]; malformed: KnownHostsProblem[] } {
  const out: KnownHostEntry[] = [];
  const malformed: KnownHostsProblem[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const bad = (reason: string): void => void malformed.push({ line: i + 1, reason });
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'] = null;
    if (fields[0] === '@cert-authority' || fields[0] === '@revoked')
      marker = fields.shift() as KnownHostEntry['marker'];
    const [names, keyType, keyB64, ...rest] = fields;
    if (!names || !keyType || !keyB64) {
      return bad('Not a known_hosts entry: expected host names, a key type and a base64 key.');
    }
    if (!/^[A-Za-z0-9+/]+=*$/.test(keyB64)) return bad('The key is not valid base64.');
    let hashed: KnownHostEntry['hashed'] = null;
    let patterns: string[] = [];
    if (names.startsWith('|1|')) {
      const [, , salt, hash] = names.split('|');
      if (!salt || !hash) return bad('The hashed host name is incomplete (expected |1|salt|hash).');
      hashed = { salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
      if (hashed.salt.length !== 20 || hashed.hash.length !== 20) {
        return bad('The hashed host name is not a 20-byte salt and hash.');
      }
    } else {
      patterns = names.split(',').filter(Boolean);
    }
    out.push({
      line: i + 1,
      marker,
      patterns,
      hashed,
      keyType,
      key: Buffer.from(keyB64, 'base64'),
      comment: rest.join(' '),
    });
  });
  return { entries: out, malformed };
}

/** How ssh names a host in known_hosts: `host` on port 22, `[host]:port` otherwise. */
export function hostString(host: string, port = 22): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/** True when `entry` applies to host:port (hashed names by HMAC, patterns with `*`, `?` and `!` negation). */
export function entryMatches(entry: KnownHostEntry, host: string, port = 22): boolean {
  const name = hostString(host.toLowerCase(), port);
  if (entry.hashed) {
    const mac = createHmac('sha1', entry.hashed.salt).update(name).digest();
    return timingSafeEqual(mac, entry.hashed.hash);
  }
  let matched = false;
  for (const p of entry.patterns) {
    const negated = p.startsWith('!');
    if (globMatch(negated ? p.slice(1) : p, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The non-revoked, non-CA keys known for host:port, and whether any known key for it is revoked. */
export function lookupHost(
  entries: readonly KnownHostEntry[],
  host: string,
  port = 22,
): { keys: KnownHostEntry[]; revoked: KnownHostEntry[] } {
  const hits = entries.filter((e) => entryMatches(e, host, port));
  return { keys: hits.filter((e) => e.marker === null), revoked: hits.filter((e) => e.marker === '@revoked') };
}

/** A hashed known_hosts name for `host`, as `ssh-keygen -H` writes it (salt given for tests, random otherwise). */
export function hashHostName(host: string, port = 22, salt: Buffer = randomBytes(20)): string {
  const mac = createHmac('sha1', salt).update(hostString(host.toLowerCase(), port)).digest();
  return `|1|${salt.toString('base64')}|${mac.toString('base64')}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return re.test(name);
}
