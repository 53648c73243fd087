import { expect } from 'vitest';
import { Logger, memorySink } from '../../../src/main/core/logger';
import type { Input, Payload } from '../../../src/shared/contract';
import { ConnectionManager } from '../../../src/main/ssh/connection-manager';
import { MemoryHostKeyStore } from '../../../src/main/ssh/memory-host-key-store';
import type {
  CredentialSource,
  HostKeyQuestion,
  KbdQuestion,
  Prompter,
  SshAuthMethod,
  SshOptions,
  SshSecret,
  SshTarget,
} from '../../../src/main/ssh/ssh.types';
import type { CoreHarness } from '../../support/core-harness';
import type { SshdPeer } from './sshd';

/** A Prompter for tests: answers host-key questions with `trust` and kbd-interactive rounds with `kbd`, and records them. */
export class TestPrompter implements Prompter {
  readonly hostKeyQuestions: HostKeyQuestion[] = [];
  readonly kbdQuestions: KbdQuestion[] = [];
  trust = true;
  kbd: (q: KbdQuestion) => string[] | null = () => null;

  confirmHostKey(q: HostKeyQuestion): Promise<boolean> {
    this.hostKeyQuestions.push(q);
    return Promise.resolve(this.trust);
  }

  keyboardInteractive(q: KbdQuestion): Promise<string[] | null> {
    this.kbdQuestions.push(q);
    return Promise.resolve(this.kbd(q));
  }
}

/** A CredentialSource backed by a map (the vault's stand-in). */
export class MapCredentials implements CredentialSource {
  readonly secrets = new Map<string, SshSecret>();
  calls = 0;
  secretFor(id: string): Promise<SshSecret | null> {
    this.calls++;
    const s = this.secrets.get(id);
    return Promise.resolve(s === undefined ? null : { ...s });
  }
}

let seq = 0;

/** A target for `peer` as user tester (or root), with a fresh id unless given. */
export function targetFor(
  peer: SshdPeer,
  auth: SshAuthMethod,
  opts: { id?: string; user?: string; jump?: SshTarget[]; host?: string; port?: number } = {},
): SshTarget {
  return {
    id: opts.id ?? `t${++seq}`,
    host: opts.host ?? peer.host,
    port: opts.port ?? peer.port,
    user: opts.user ?? peer.user,
    auth,
    jump: opts.jump ?? [],
  };
}

/** A manager wired to in-memory stores and a recording prompter and log. */
export function makeManager(options: Partial<SshOptions> = {}): {
  manager: ConnectionManager;
  prompter: TestPrompter;
  credentials: MapCredentials;
  hostKeys: MemoryHostKeyStore;
  log: string[];
} {
  const prompter = new TestPrompter();
  const credentials = new MapCredentials();
  const hostKeys = new MemoryHostKeyStore();
  const { sink, lines } = memorySink();
  const manager = new ConnectionManager({
    credentials,
    hostKeys,
    prompter,
    logger: new Logger({ sink, level: 'debug' }),
    options: { idleGraceMs: 0, readyTimeoutMs: 10_000, keepaliveIntervalMs: 0, ...options },
  });
  return { manager, prompter, credentials, hostKeys, log: lines };
}

// --- Helpers over the core harness (tests/support/core-harness.ts), like the UI drives it (terminal-*.test.ts) ---

/** Adds a server (and a credential, if given) for `peer`; returns the server id. */
export async function addServer(
  h: CoreHarness,
  peer: SshdPeer,
  auth: SshAuthMethod,
  opts: {
    name?: string;
    credential?: { kind: 'password' | 'ssh-key'; secret: string; passphrase?: string | null };
    jumpHostIds?: string[];
    user?: string;
  } = {},
): Promise<string> {
  let credentialId: string | null = null;
  const name = opts.name ?? `srv-${++seq}`;
  if (opts.credential !== undefined) {
    const c = await h.call('credentials.create', {
      name: `${name}-cred`,
      kind: opts.credential.kind,
      secret: opts.credential.secret,
      passphrase: opts.credential.passphrase ?? null,
    });
    credentialId = c.id;
  }
  const s = await h.call('servers.create', {
    name,
    host: peer.host,
    port: peer.port,
    user: opts.user ?? peer.user,
    auth,
    credentialId,
    jumpHostIds: opts.jumpHostIds ?? [],
  });
  return s.id;
}

/** Opens a terminal and answers its host key prompt (if one comes) with `trust`; resolves on connected. */
export async function openTrusted(
  h: CoreHarness,
  serverId: string,
  opts: { expectPrompt?: boolean; cols?: number; rows?: number; reconnect?: Input<'terminal.open'>['reconnect'] } = {},
): Promise<string> {
  const from = h.events.length;
  const { sessionId } = await h.call('terminal.open', {
    serverId,
    cols: opts.cols ?? 80,
    rows: opts.rows ?? 24,
    ...(opts.reconnect ? { reconnect: opts.reconnect } : {}),
  });
  const answered = new Set<string>();
  const unsub = h.core.events.subscribe((name, payload) => {
    if (name !== 'ssh.hostKey.prompt' || opts.expectPrompt === false) return;
    const p = payload as Payload<'ssh.hostKey.prompt'>;
    if (answered.has(p.promptId)) return;
    answered.add(p.promptId);
    queueMicrotask(() => void h.call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
  });
  try {
    const st = await Promise.race([
      h.waitForState(sessionId, 'connected', from),
      h.waitForState(sessionId, 'closed', from).then((c) => {
        throw new Error(`terminal closed: ${c.error?.code ?? c.reason} ${c.error?.message ?? ''}`);
      }),
    ]);
    expect(st.reconnected).toBe(false);
  } finally {
    unsub();
  }
  return sessionId;
}
