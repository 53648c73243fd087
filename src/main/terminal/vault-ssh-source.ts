import type { Server } from '../../shared/contract/inventory.contract';
import { AppError } from '../../shared/errors';
import type { CredentialsService } from '../inventory/credentials.service';
import { settle } from '../inventory/host-keys.service';
import type { CredentialSource, SshSecret, SshTarget } from '../ssh/ssh.types';
import { registerSecret } from '../vault/redact';
import type { VaultService } from '../vault/vault.service';

/** Longest jump chain a server may resolve to (each server lists at most 8 hops; nesting could multiply that). */
const MAX_CHAIN = 16;

/**
 * The vault seen from the SSH layer: turns a server record into an {@link SshTarget} (jump hosts resolved into a
 * chain) and hands out the secret of its credential when a server asks to authenticate (after its host key was accepted:
 * see hop-connector's authHandler), audited ("password of web-1 used
 * for SSH") and registered with the log redactor. Needs the vault unlocked: while it is locked both throw
 * VAULT_LOCKED, so no new connection and no reconnect can start (see TerminalService for the lock policy).
 */
export class VaultSshSource implements CredentialSource {
  readonly #vault: VaultService;
  readonly #credentials: CredentialsService;

  constructor(deps: { vault: VaultService; credentials: CredentialsService }) {
    this.#vault = deps.vault;
    this.#credentials = deps.credentials;
  }

  /**
   * The target for `serverId`. Jump chain: the server's `jumpHostIds` in order (first hop first); the first hop is
   * itself reached through its own jump hosts, recursively, while later hops are reached through the hop before
   * them (their own jump hosts are ignored, as `ssh -J a,b` does). A server met twice is a cycle: VALIDATION.
   */
  target(serverId: string): SshTarget {
    const server = this.#server(serverId);
    const chain = this.#chain(server, [server.id]);
    return { ...toTarget(server), jump: chain.map(toTarget) };
  }

  /** The server record (VAULT_LOCKED / NOT_FOUND). */
  server(serverId: string): Server {
    return this.#server(serverId);
  }

  secretFor(targetId: string): Promise<SshSecret | null> {
    return settle(() => this.#secret(targetId));
  }

  #secret(serverId: string): SshSecret | null {
    const server = this.#server(serverId);
    if (server.auth === 'agent' || server.credentialId === null) return server.auth === 'agent' ? {} : null;
    const cred = this.#vault.records().get('credential', server.credentialId, 'credential');
    if (cred.kind === 'api-token') {
      throw new AppError('AUTH_FAILED', `The credential of ${server.name} is an API token, not an SSH secret.`);
    }
    const { secret, passphrase } = this.#credentials.recordUse(server.credentialId, server.id, 'SSH');
    const redactor = this.#vault.logger.redactor;
    registerSecret(redactor, secret);
    registerSecret(redactor, passphrase);
    if (cred.kind === 'ssh-key') return passphrase ? { privateKey: secret, passphrase } : { privateKey: secret };
    return { password: secret };
  }

  #server(id: string): Server {
    return this.#vault.records().get('server', id, 'server');
  }

  /** The hops before `server`, first hop first; `path` holds the servers already on the way (cycle check). */
  #chain(server: Server, path: string[]): Server[] {
    const [first, ...rest] = server.jumpHostIds;
    if (first === undefined) return [];
    const cycle = (id: string): AppError =>
      new AppError('VALIDATION', `The jump hosts of ${server.name} form a loop (a server is reached through itself).`, {
        serverId: server.id,
        repeated: id,
      });
    const firstHop = this.#server(first);
    if (path.includes(first)) throw cycle(first);
    const before = this.#chain(firstHop, [...path, first]);
    const chain = [...before, firstHop, ...rest.map((id) => this.#server(id))];
    const ids = chain.map((s) => s.id);
    const seen = new Set<string>(path);
    for (const id of ids) {
      if (seen.has(id)) throw cycle(id);
      seen.add(id);
    }
    if (chain.length > MAX_CHAIN) {
      throw new AppError('VALIDATION', `The jump chain of ${server.name} is longer than ${MAX_CHAIN} hops.`);
    }
    return chain;
  }
}

function toTarget(s: Server): SshTarget {
  return { id: s.id, host: s.host, port: s.port, user: s.user, auth: s.auth, jump: [] };
}
