import type { ServiceContext } from '../core/service-context';
import { CredentialInput, type Server } from '../../shared/contract/inventory.contract';
import { AppError } from '../../shared/errors';
import type { CredentialsService } from '../inventory/credentials.service';
import { settle } from '../inventory/host-keys.service';
import { resolveJumpChain } from '../inventory/jump-chain';
import type { CredentialSource, SshSecret, SshTarget } from '../ssh/ssh.types';
import { registerSecret } from '../vault/redact';
import type { VaultService } from '../vault/vault.service';

/**
 * The vault seen from the SSH layer: turns a server record into an {@link SshTarget} (jump hosts resolved into a
 * chain) and hands out the secret of its credential when a server asks to authenticate (after its host key was accepted:
 * see hop-connector's authHandler), audited ("password of web-1 used
 * for SSH") and registered with the log redactor. Needs the vault unlocked: while it is locked both throw
 * VAULT_LOCKED, so no new connection and no reconnect can start (see TerminalService for the lock policy).
 */
export class VaultSshSource implements CredentialSource {
  readonly #vault: VaultService;
  readonly #ctx: ServiceContext;
  readonly #credentials: CredentialsService;

  constructor(deps: { vault: VaultService; ctx: ServiceContext; credentials: CredentialsService }) {
    this.#ctx = deps.ctx;
    this.#vault = deps.vault;
    this.#credentials = deps.credentials;
  }

  /**
   * The target for `serverId`. Jump chain: the server's `jumpHostIds` in order (first hop first); the first hop is
   * itself reached through its own jump hosts, recursively, while later hops are reached through the hop before
   * them (their own jump hosts are ignored, as `ssh -J a,b` does). A server met twice is a loop: VALIDATION
   * (see {@link resolveJumpChain}, the same walk the save-time check uses).
   */
  target(serverId: string): SshTarget {
    const server = this.#server(serverId);
    const chain = resolveJumpChain(server, (id) => this.#server(id));
    return { ...toTarget(server), jump: chain.map(toTarget) };
  }

  /** The server record (VAULT_LOCKED / NOT_FOUND). */
  server(serverId: string): Server {
    return this.#server(serverId);
  }

  secretFor(targetId: string): Promise<SshSecret | null> {
    return settle(() => this.#secret(targetId));
  }

  /**
   * Stores a password the user typed when connecting (and asked to remember) as a password credential named after
   * the server, with the server's user, and makes it the server's credential: the next connection asks nothing.
   */
  rememberPassword(serverId: string, password: string): Promise<void> {
    return settle(() => {
      const server = this.#server(serverId);
      registerSecret(this.#ctx.logger.redactor, password);
      const name = `${server.name} password`.slice(0, 120);
      this.#credentials.createForServer(
        serverId,
        CredentialInput.parse({ name, kind: 'password', username: server.user, secret: password }),
      );
    });
  }

  #secret(serverId: string): SshSecret | null {
    const server = this.#server(serverId);
    if (server.auth === 'agent' || server.credentialId === null) return server.auth === 'agent' ? {} : null;
    const cred = this.#vault.records().get('credential', server.credentialId, 'credential');
    if (cred.kind === 'api-token') {
      throw new AppError('AUTH_FAILED', `The credential of ${server.name} is an API token, not an SSH secret.`);
    }
    const { secret, passphrase } = this.#credentials.recordUse(server.credentialId, server.id, 'SSH');
    const redactor = this.#ctx.logger.redactor;
    registerSecret(redactor, secret);
    registerSecret(redactor, passphrase);
    if (cred.kind === 'ssh-key') return passphrase ? { privateKey: secret, passphrase } : { privateKey: secret };
    return { password: secret };
  }

  #server(id: string): Server {
    return this.#vault.records().get('server', id, 'server');
  }
}

function toTarget(s: Server): SshTarget {
  return { id: s.id, host: s.host, port: s.port, user: s.user, auth: s.auth, jump: [] };
}
