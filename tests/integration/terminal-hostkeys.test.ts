import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdPeer } from './peers';
import { logAfterDisconnect } from './peers/sshd-log';
import { coreHarness, type CoreHarness } from '../support/core-harness';
import { addServer, openTrusted } from './peers/ssh-fixtures';

const harnesses: CoreHarness[] = [];
const homes: string[] = [];

async function harness(opts: Parameters<typeof coreHarness>[0] = {}): Promise<CoreHarness> {
  const h = await coreHarness(opts);
  harnesses.push(h);
  return h;
}

/** A fake home whose ~/.ssh/known_hosts holds `text`. */
function homeWith(text: string): string {
  const home = mkdtempSync(join(tmpdir(), 'pd-home-'));
  homes.push(home);
  mkdirSync(join(home, '.ssh'));
  writeFileSync(join(home, '.ssh', 'known_hosts'), text);
  return home;
}

describe('terminal through the dispatcher: trusted host keys', () => {
  let peer: SshdPeer;
  let other: SshdPeer;
  beforeAll(async () => {
    [peer, other] = await Promise.all([startSshd(), startSshd({ addr: '127.0.0.2' })]);
  });
  afterAll(async () => {
    const texts = harnesses.flatMap((h) => [...h.lines, ...h.errors]);
    for (const h of harnesses) await h.close();
    await Promise.all([peer?.stop(), other?.stop()]);
    for (const home of homes) rmSync(home, { recursive: true, force: true });
    expect(texts.filter((t) => t.includes(peer.password) || t.includes(other.password))).toEqual([]);
  });

  it('known_hosts import: plain and `ssh-keygen -H` hashed entries → connect without a prompt', async () => {
    // peer appears as a plain entry, other only hashed (as ssh-keygen -H leaves a file), plus lines to skip.
    const plainLine = readFileSync(peer.knownHostsPath, 'utf8').trim();
    const hashedFile = join(mkdtempSync(join(tmpdir(), 'pd-kh-')), 'known_hosts');
    writeFileSync(hashedFile, readFileSync(other.knownHostsPath));
    execFileSync('ssh-keygen', ['-q', '-H', '-f', hashedFile]);
    const hashedLine = readFileSync(hashedFile, 'utf8').trim();
    rmSync(join(hashedFile, '..'), { recursive: true, force: true });
    expect(hashedLine).toMatch(/^\|1\|/);
    const home = homeWith(
      [
        '# a comment',
        plainLine,
        hashedLine,
        `*.example.com ${peer.hostKeyPub}`,
        `@cert-authority *.corp ${peer.hostKeyPub}`,
        '',
      ].join('\n'),
    );
    const h = await harness({ homeDir: home });
    const r = await h.call('hostKeys.importKnownHosts', {});
    expect(r).toEqual({
      imported: 1,
      alreadyTrusted: 0,
      hashed: 1,
      skipped: [
        { line: 4, reason: expect.stringMatching(/wildcard/) },
        { line: 5, reason: expect.stringMatching(/Certificate authorities/) },
      ],
    });
    // Importing again changes nothing.
    expect(await h.call('hostKeys.importKnownHosts', {})).toMatchObject({ imported: 0, alreadyTrusted: 2, hashed: 0 });
    expect(await h.call('hostKeys.list', {})).toEqual([
      expect.objectContaining({ host: peer.host, port: peer.port, source: 'known_hosts' }),
    ]);

    const a = await addServer(h, peer, 'password', { credential: { kind: 'password', secret: peer.password } });
    const b = await addServer(h, other, 'password', { credential: { kind: 'password', secret: other.password } });
    for (const serverId of [a, b]) {
      const sessionId = await openTrusted(h, serverId, { expectPrompt: false });
      await h.call('terminal.write', { sessionId, data: 'echo imported-$((40+2))\n' });
      await h.waitForText(sessionId, /imported-42/);
    }
    expect(h.events.some((e) => e.name === 'ssh.hostKey.prompt')).toBe(false);
    // The hashed entry matched at first connection and became an ordinary trusted key.
    const keys = await h.call('hostKeys.list', { host: other.host });
    expect(keys).toEqual([
      expect.objectContaining({ port: other.port, fingerprint: other.hostKeyFingerprint, source: 'known_hosts' }),
    ]);
    // Once matched, the same hashed line counts as already trusted.
    expect(await h.call('hostKeys.importKnownHosts', { text: hashedLine })).toMatchObject({
      hashed: 0,
      alreadyTrusted: 1,
    });
  });

  it('a missing known_hosts file is NOT_FOUND; removing a key makes the next connection ask again', async () => {
    const h = await harness({ homeDir: homeWith('') });
    expect((await h.fail('hostKeys.importKnownHosts', { path: '/nonexistent/known_hosts' })).code).toBe('NOT_FOUND');
    const serverId = await addServer(h, peer, 'key', { credential: { kind: 'ssh-key', secret: peer.clientKey } });
    const first = await openTrusted(h, serverId);
    const logFrom = h.lines.length;
    await h.call('terminal.close', { sessionId: first });
    // The pooled connection outlives the key (removing a key does not cut connections): wait until it is gone.
    await h.waitForLog(/ssh\.connection\.closed/, logFrom);
    const [key] = await h.call('hostKeys.list', {});
    await h.call('hostKeys.remove', { id: key?.id ?? '' });
    expect(await h.call('hostKeys.list', {})).toEqual([]);
    expect((await h.fail('hostKeys.remove', { id: key?.id ?? '' })).code).toBe('NOT_FOUND');
    const from = h.events.length;
    await openTrusted(h, serverId);
    expect(h.events.slice(from).filter((e) => e.name === 'ssh.hostKey.prompt')).toHaveLength(1);
  });

  it('changed host key: HOST_KEY_CHANGED before any auth; ssh.hostKey.replace with the shown fingerprint connects', async () => {
    const h = await harness();
    const serverId = await addServer(h, other, 'password', {
      credential: { kind: 'password', secret: other.password },
    });
    await h.call('terminal.close', { sessionId: await openTrusted(h, serverId) });
    const oldFp = other.hostKeyFingerprint;
    const newFp = await other.replaceHostKey();
    const offset = statSync(other.logPath).size;
    const from = h.events.length;
    const { sessionId } = await h.call('terminal.open', { serverId, cols: 80, rows: 24 });
    const closed = await h.waitForState(sessionId, 'closed', from);
    expect(closed.error?.code).toBe('HOST_KEY_CHANGED');
    expect(closed.error?.details).toMatchObject({
      host: other.host,
      port: other.port,
      oldFingerprints: [oldFp],
      newFingerprint: newFp,
    });
    expect(closed.error?.message).toContain(newFp);
    expect(h.events.slice(from).some((e) => e.name === 'ssh.hostKey.prompt')).toBe(false);
    const part = await logAfterDisconnect(other, offset);
    expect(part).not.toMatch(/Accepted|Failed|Postponed|tester/);
    // The secret is fetched only once the server asks for it: the refused connection used (and audited) nothing.
    expect(await h.call('audit.list', { action: 'secret.used', limit: 10 })).toHaveLength(1);

    // Only the exact refused key can be accepted.
    const wrongFp = await h.fail('ssh.hostKey.replace', { host: other.host, port: other.port, fingerprint: oldFp });
    expect(wrongFp.code).toBe('NOT_FOUND');
    const replaced = await h.call('ssh.hostKey.replace', {
      host: other.host,
      port: other.port,
      fingerprint: newFp,
    });
    expect(replaced).toMatchObject({ fingerprint: newFp, keyType: 'ssh-ed25519' });
    expect(await h.call('hostKeys.list', {})).toEqual([
      expect.objectContaining({ fingerprint: newFp, source: 'replaced' }),
    ]);
    const again = await openTrusted(h, serverId, { expectPrompt: false });
    await h.call('terminal.write', { sessionId: again, data: 'echo replaced-$((6*7))\n' });
    await h.waitForText(again, /replaced-42/);
  });
});
