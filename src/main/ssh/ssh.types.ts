/**
 * The narrow interfaces the SSH core needs from the rest of the app.
 * Why: the vault and the UI are built separately; the SSH layer depends only on these shapes, and the lead wires
 * the vault-backed implementations in create-core (see DESIGN.md "The shape": services take deps in the constructor).
 */

/** How a server authenticates the user. Mirrors `AuthMethod` in the inventory contract. */
export type SshAuthMethod = 'password' | 'key' | 'agent' | 'keyboard-interactive';

/** One server to connect to, with its resolved ProxyJump chain (first hop first). Contains no secrets. */
export interface SshTarget {
  /** Stable id (the server id); used as the pool key and to look up secrets. */
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly auth: SshAuthMethod;
  /** Jump hosts, first hop first. Each hop's own `jump` is ignored: the chain here is authoritative. */
  readonly jump: readonly SshTarget[];
}

/** The secret material for one target, as the vault decrypts it on demand. */
export interface SshSecret {
  password?: string;
  /** OpenSSH or PEM private key text. */
  privateKey?: string;
  passphrase?: string;
}

/** Where secrets come from (the vault). Called once per connection attempt; the result is not kept. */
export interface CredentialSource {
  secretFor(targetId: string): Promise<SshSecret | null>;
  /** Stores a password the user typed (and asked to remember) for the target, once it signed in. */
  rememberPassword?(targetId: string, password: string): Promise<void>;
}

/** A host key as stored: its algorithm name, `SHA256:` fingerprint and the OpenSSH public key line's base64 blob. */
export interface HostKeyEntry {
  readonly keyType: string;
  readonly fingerprint: string;
  /** Base64 of the raw key blob (the second field of a known_hosts / .pub line). */
  readonly publicKey: string;
}

/** Trusted host keys per host:port (the vault's known-hosts table). */
export interface HostKeyStore {
  /** The trusted keys for host:port, or null if the host was never trusted. */
  get(host: string, port: number): Promise<HostKeyEntry[] | null>;
  /** Adds `key` to the trusted keys of host:port (first connection, user said yes). */
  trust(host: string, port: number, key: HostKeyEntry): Promise<void>;
  /** Replaces every trusted key of host:port with `key` (user confirmed a legitimate key change). */
  replace(host: string, port: number, key: HostKeyEntry): Promise<void>;
}

/** What the user is asked when a host presents a key we have never seen. */
export interface HostKeyQuestion {
  readonly targetId: string;
  readonly host: string;
  readonly port: number;
  readonly keyType: string;
  readonly fingerprint: string;
}

/** One keyboard-interactive prompt (e.g. "Password:", "Verification code:"). */
export interface KbdPrompt {
  readonly prompt: string;
  /** True if the answer may be shown while typed (false for passwords and codes). */
  readonly echo: boolean;
}

/** A keyboard-interactive round from the server. */
export interface KbdQuestion {
  readonly targetId: string;
  readonly user: string;
  readonly host: string;
  readonly port: number;
  readonly name: string;
  readonly instructions: string;
  readonly prompts: readonly KbdPrompt[];
}

/** PanelDeck asks for the password of a target that has none stored (auth 'password', no credential). */
export interface PasswordQuestion {
  readonly targetId: string;
  readonly user: string;
  readonly host: string;
  readonly port: number;
  /** The previous answer was refused by the server: say so ("Permission denied, please try again."). */
  readonly retry: boolean;
}

/** The user's answer to a {@link PasswordQuestion}. */
export interface PasswordAnswer {
  readonly password: string;
  /** Store it in the vault, bound to the server, once it worked. */
  readonly remember: boolean;
}

/**
 * Asks the user things mid-connection. The UI answers through contract events; `signal` aborts when the
 * connection gives up (prompt timeout, connection closed), so the UI can take the question down.
 */
export interface Prompter {
  /** Resolves true to trust (and store) the key, false to refuse the connection. */
  confirmHostKey(question: HostKeyQuestion, signal: AbortSignal): Promise<boolean>;
  /** Resolves with one answer per prompt, or null if the user cancelled. */
  keyboardInteractive(question: KbdQuestion, signal: AbortSignal): Promise<string[] | null>;
  /**
   * Resolves with the password the user typed, or null if cancelled. Absent where nobody can be asked (no window):
   * a target without a stored password then fails at once with a clear AUTH_FAILED instead of waiting.
   */
  password?(question: PasswordQuestion, signal: AbortSignal): Promise<PasswordAnswer | null>;
}

/** Connection tuning; every field has a default in {@link DEFAULT_SSH_OPTIONS}. */
export interface SshOptions {
  /** TCP connect + handshake + auth, excluding time spent waiting for the user in a prompt. */
  readyTimeoutMs: number;
  /** How long a host-key or keyboard-interactive prompt may wait for the user. */
  promptTimeoutMs: number;
  /** Default timeout of exec() when the caller gives none. */
  execTimeoutMs: number;
  /** Opening a channel (shell, sftp, forward) must succeed within this. */
  channelOpenTimeoutMs: number;
  /** SSH-level keepalive interval (0 = off) and how many unanswered keepalives drop the connection. */
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
  /** Close a connection this long after its last user went away. */
  idleGraceMs: number;
  /** SSH agent socket for auth 'agent' (default: SSH_AUTH_SOCK). */
  agentSocket: string | undefined;
}

export const DEFAULT_SSH_OPTIONS: SshOptions = {
  readyTimeoutMs: 15_000,
  promptTimeoutMs: 120_000,
  execTimeoutMs: 60_000,
  channelOpenTimeoutMs: 10_000,
  keepaliveIntervalMs: 10_000,
  keepaliveCountMax: 3,
  idleGraceMs: 30_000,
  agentSocket: undefined,
};

/** "user@host:port" — how targets are named in messages and logs (not secret: no credentials in it). */
export function describeTarget(t: Pick<SshTarget, 'user' | 'host' | 'port'>): string {
  const host = t.host.includes(':') ? `[${t.host}]` : t.host;
  return `${t.user}@${host}:${t.port}`;
}
