import { Logger, memorySink } from '../../../src/main/core/logger';
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
