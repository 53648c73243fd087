import type { Duplex } from 'node:stream';
import type { AuthHandlerMiddleware, NextAuthHandler, ConnectConfig, KeyboardInteractiveCallback, Prompt } from 'ssh2';
import { AppError, isAppError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import { askUser } from './ask-user';
import { connectCause, unreachableHop } from './connect-failure';
import { preferredHostKeyAlgorithms, type HostKeyVerifier } from './host-key-verifier';
import ssh2 from './ssh2-loader';
import {
  describeTarget,
  type CredentialSource,
  type HostKeyStore,
  type PasswordAnswer,
  type Prompter,
  type SshOptions,
  type SshSecret,
  type SshTarget,
} from './ssh.types';

/** ssh2 is CommonJS whose exports Node's ESM loader cannot name (the CLI runs this file under tsx): use the default. */
const { Client, utils } = ssh2;
type Client = InstanceType<typeof Client>;
/** What ssh2's authHandler hands back for one attempt. */
type AuthAttempt = Exclude<Parameters<NextAuthHandler>[0], string>;
/** ssh2's `next`, including `false` ("no more methods": ssh2's client.js handles it; @types/ssh2 leaves it out). */
type Next = (attempt: AuthAttempt | false) => void;
type KeyboardInteractivePrompt = (
  name: string,
  instructions: string,
  lang: string,
  prompts: Prompt[],
  finish: KeyboardInteractiveCallback,
) => void;

/** What {@link connectHop} needs. */
export interface HopConnectorDeps {
  readonly credentials: CredentialSource;
  readonly hostKeys: HostKeyStore;
  readonly verifier: HostKeyVerifier;
  readonly prompter: Prompter;
  readonly logger: Logger;
  readonly options: SshOptions;
}

/** A deadline that can be paused while the user is being asked something. */
class PausableDeadline {
  #left: number;
  #since = 0;
  #timer: NodeJS.Timeout | undefined;
  #pauses = 0;

  constructor(
    ms: number,
    private readonly onExpire: () => void,
  ) {
    this.#left = ms;
    this.#arm();
  }

  #arm(): void {
    this.#since = Date.now();
    this.#timer = setTimeout(this.onExpire, Math.max(0, this.#left));
  }

  pause(waiting: boolean): void {
    if (waiting) {
      if (this.#pauses++ === 0 && this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#left -= Date.now() - this.#since;
      }
    } else if (--this.#pauses === 0) this.#arm();
  }

  clear(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#pauses = Number.POSITIVE_INFINITY;
  }
}

/** How many times a typed password may be refused before the sign-in fails (OpenSSH's NumberOfPasswordPrompts). */
const ASK_TRIES = 3;

/** Error carrying ssh2's `level` ("client-authentication", "client-socket", ...). */
interface Ssh2Error extends Error {
  level?: string;
  code?: string | number;
}

const AUTH_WHAT: Record<SshTarget['auth'], string> = {
  password: 'the password',
  key: 'the private key',
  agent: 'every key the SSH agent offered',
  'keyboard-interactive': 'the keyboard-interactive answers',
};

/** Checks a private key (and its passphrase) before connecting, so a wrong passphrase gets a clear message. */
function checkPrivateKey(target: SshTarget, secret: SshSecret): void {
  if (secret.privateKey === undefined || secret.privateKey === '') {
    throw new AppError('AUTH_FAILED', `No private key is stored for ${describeTarget(target)}.`);
  }
  const parsed = utils.parseKey(secret.privateKey, secret.passphrase);
  if (!(parsed instanceof Error)) return;
  const msg = parsed.message;
  if (/no passphrase/i.test(msg)) {
    throw new AppError(
      'AUTH_FAILED',
      `The private key for ${describeTarget(target)} is encrypted: enter its passphrase.`,
    );
  }
  if (/passphrase|decrypt|bad decrypt|integrity/i.test(msg) || secret.passphrase) {
    throw new AppError('AUTH_FAILED', `Wrong passphrase for the private key of ${describeTarget(target)}.`);
  }
  throw new AppError('AUTH_FAILED', `The private key for ${describeTarget(target)} cannot be read (not an SSH key).`);
}

/** The agent socket for auth 'agent', checked before connecting (no agent → nothing to try). */
function agentSocket(target: SshTarget, deps: HopConnectorDeps): string | undefined {
  if (target.auth !== 'agent') return undefined;
  const agent = deps.options.agentSocket ?? process.env['SSH_AUTH_SOCK'];
  if (agent === undefined || agent === '') {
    throw new AppError(
      'AUTH_FAILED',
      `No SSH agent is running (SSH_AUTH_SOCK is not set) for ${describeTarget(target)}.`,
    );
  }
  return agent;
}

/** The one sign-in attempt for the target's method (no silent fallback to others), built from its secret. */
function authFor(
  target: SshTarget,
  secret: SshSecret,
  agent: string | undefined,
  prompt: KeyboardInteractivePrompt,
): AuthAttempt {
  const username = target.user;
  switch (target.auth) {
    case 'password':
      if (secret.password === undefined) {
        throw new AppError('AUTH_FAILED', `No password is stored for ${describeTarget(target)}.`);
      }
      return { type: 'password', username, password: secret.password };
    case 'key':
      checkPrivateKey(target, secret);
      return {
        type: 'publickey',
        username,
        key: secret.privateKey ?? '',
        ...(secret.passphrase ? { passphrase: secret.passphrase } : {}),
      };
    case 'agent':
      return { type: 'agent', username, agent: agent ?? '' };
    case 'keyboard-interactive':
      return { type: 'keyboard-interactive', username, prompt };
  }
}

/**
 * Maps an ssh2 error before 'ready' to an AppError whose message names user@host:port and the cause (refused, timed
 * out, no route, host name, auth) but no secret; `details` carries `{ hop, cause }` for the UI.
 */
function mapConnectError(target: SshTarget, err: Ssh2Error): AppError {
  const who = describeTarget(target);
  switch (err.level) {
    case 'client-authentication':
      return new AppError(
        'AUTH_FAILED',
        `Authentication failed for ${who}: the server rejected ${AUTH_WHAT[target.auth]}.`,
        { hop: who, cause: 'auth' },
      );
    case 'agent':
      return new AppError('AUTH_FAILED', `The SSH agent could not be used for ${who}: ${err.message}`, {
        hop: who,
        cause: 'auth',
      });
    case 'client-timeout':
      return unreachableHop(target, 'timeout');
    case 'client-socket':
    case 'client-dns':
      return unreachableHop(target, connectCause(err.code ?? err.message));
    default: {
      const cause = connectCause(err.message);
      return cause === 'other'
        ? new AppError('CONNECTION_FAILED', `Connection to ${who} failed: ${err.message}`, { hop: who, cause })
        : unreachableHop(target, cause);
    }
  }
}

/**
 * Opens one authenticated SSH connection to `target` (directly, or over `sock`: a channel forwarded by the previous
 * hop). Verifies the host key first, authenticates with the target's method only, and enforces a deadline that does
 * not count time spent waiting for the user. Resolves on 'ready', with Nagle off (TEST-PEERS: 47 ms vs 4 ms).
 */
export async function connectHop(target: SshTarget, sock: Duplex | undefined, deps: HopConnectorDeps): Promise<Client> {
  const { options, logger } = deps;
  const agent = agentSocket(target, deps);
  const trusted = await deps.hostKeys.get(target.host, target.port);
  const client = new Client();
  const attempt = new AbortController();
  const started = performance.now();
  return new Promise<Client>((resolve, reject) => {
    let settled = false;
    /** The reason we decided on (host key refused, prompt cancelled) wins over ssh2's generic error. */
    let reason: AppError | undefined;
    /** Answers a lone password prompt of keyboard-interactive once (set when the secret is fetched). */
    let storedPassword: string | undefined;
    let authStarted = false;
    const fail = (e: AppError): void => {
      if (settled) return;
      settled = true;
      deadline.clear();
      attempt.abort();
      logger.warn('ssh.connect.failed', { targetId: target.id, code: e.code });
      client.destroy();
      reject(e);
    };
    const deadline = new PausableDeadline(options.readyTimeoutMs, () =>
      fail(
        new AppError(
          'TIMEOUT',
          `Connecting to ${describeTarget(target)} timed out after ${options.readyTimeoutMs} ms.`,
          { hop: describeTarget(target), cause: 'timeout' },
        ),
      ),
    );
    const onPrompt = (waiting: boolean): void => deadline.pause(waiting);

    const onKeyboard = (
      name: string,
      instructions: string,
      _lang: string,
      prompts: { prompt: string; echo?: boolean }[],
      finish: KeyboardInteractiveCallback,
    ): void => {
      if (prompts.length === 0) return finish([]);
      // The stored password answers a lone password prompt once; anything else (2FA codes) goes to the user.
      const pw = storedPassword;
      const [only] = prompts;
      if (pw !== undefined && prompts.length === 1 && only?.echo !== true && /password/i.test(only?.prompt ?? '')) {
        storedPassword = undefined; // once: a second password prompt means it was wrong, so ask the user
        return finish([pw]);
      }
      const question = {
        targetId: target.id,
        user: target.user,
        host: target.host,
        port: target.port,
        name,
        instructions,
        prompts: prompts.map((p) => ({ prompt: p.prompt, echo: p.echo === true })),
      };
      askUser((signal) => deps.prompter.keyboardInteractive(question, signal), {
        timeoutMs: options.promptTimeoutMs,
        signal: attempt.signal,
        what: `signing in to ${describeTarget(target)}`,
        onPrompt,
      }).then(
        (answers) => {
          if (answers === null) {
            reason = new AppError('AUTH_FAILED', `Sign-in to ${describeTarget(target)} was cancelled.`);
            fail(reason);
          } else finish(answers);
        },
        (e: unknown) => fail(isAppError(e) ? e : new AppError('INTERNAL', 'Keyboard-interactive prompt failed.')),
      );
    };

    /**
     * Called by ssh2 when the server is ready to authenticate us, i.e. after its host key was accepted: only then is
     * the secret fetched (and its use audited), so a refused host or an unreachable one never costs a decryption.
     */
    const authHandler: AuthHandlerMiddleware = (_methodsLeft, _partial, nextAuth) => {
      const next = nextAuth as Next;
      if (asked !== undefined) {
        // A password the user typed was refused: ask again, as ssh does, up to ASK_TRIES times.
        if (asked.tries >= ASK_TRIES) return next(false);
        return askPassword(next, true);
      }
      if (authStarted) return next(false); // one method, one attempt: the failure is reported, not retried
      authStarted = true;
      deps.credentials.secretFor(target.id).then(
        (found) => {
          const secret = found ?? {};
          storedPassword = secret.password;
          // "None (ask when connecting)": no password stored, so the user is asked for one.
          if (target.auth === 'password' && secret.password === undefined) return askPassword(next, false);
          try {
            next(authFor(target, secret, agent, onKeyboard));
          } catch (e) {
            reason = isAppError(e) ? e : new AppError('AUTH_FAILED', 'The stored credential cannot be used.');
            next(false);
          }
        },
        (e: unknown) => {
          reason = isAppError(e) ? e : new AppError('INTERNAL', 'The credential could not be read.');
          next(false);
        },
      );
    };
    /** The password the user typed for this attempt (and whether to store it once it works). */
    let asked: { tries: number; answer: PasswordAnswer | null } | undefined;
    const askPassword = (next: Next, retry: boolean): void => {
      const ask = deps.prompter.password?.bind(deps.prompter);
      if (ask === undefined) {
        reason = new AppError(
          'AUTH_FAILED',
          `No password is stored for ${describeTarget(target)} and there is no window to ask for one: ` +
            'store a password credential and choose it for this server.',
        );
        return next(false);
      }
      asked = { tries: (asked?.tries ?? 0) + 1, answer: null };
      const question = { targetId: target.id, user: target.user, host: target.host, port: target.port, retry };
      askUser((signal) => ask(question, signal), {
        timeoutMs: options.promptTimeoutMs,
        signal: attempt.signal,
        what: `the password of ${describeTarget(target)}`,
        onPrompt,
      }).then(
        (answer) => {
          if (answer === null) {
            reason = new AppError('AUTH_FAILED', `Sign-in to ${describeTarget(target)} was cancelled.`);
            return fail(reason);
          }
          if (asked) asked.answer = answer;
          next({ type: 'password', username: target.user, password: answer.password });
        },
        (e: unknown) => fail(isAppError(e) ? e : new AppError('INTERNAL', 'The password prompt failed.')),
      );
    };
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      deadline.clear();
      client.setNoDelay(true);
      logger.info('ssh.connect.ready', { targetId: target.id, ms: Math.round(performance.now() - started) });
      const typed = asked?.answer;
      if (typed?.remember && deps.credentials.rememberPassword) {
        // Stored only now that the server accepted it; a failure to store does not undo the sign-in.
        deps.credentials.rememberPassword(target.id, typed.password).catch((e: unknown) => {
          logger.warn('ssh.password.rememberFailed', {
            targetId: target.id,
            code: isAppError(e) ? e.code : 'INTERNAL',
          });
        });
      }
      resolve(client);
    });
    client.on('error', (err: Ssh2Error) => {
      if (!settled) fail(reason ?? mapConnectError(target, err));
    });
    client.once('close', () => {
      if (!settled) fail(reason ?? unreachableHop(target, 'closed'));
    });

    const config: ConnectConfig = {
      ...(sock === undefined ? { host: target.host, port: target.port } : { sock }),
      username: target.user,
      readyTimeout: 0,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: options.keepaliveCountMax,
      algorithms: { serverHostKey: preferredHostKeyAlgorithms(trusted) },
      hostVerifier: (key: Buffer, verify: (ok: boolean) => void): void => {
        deps.verifier
          .verify(key, { targetId: target.id, host: target.host, port: target.port, signal: attempt.signal, onPrompt })
          .then(
            () => verify(true),
            (e: unknown) => {
              reason = isAppError(e) ? e : new AppError('INTERNAL', 'Host key check failed.');
              verify(false);
            },
          );
      },
      authHandler,
    };
    try {
      client.connect(config);
    } catch (e) {
      fail(new AppError('CONNECTION_FAILED', `Cannot connect to ${describeTarget(target)}: ${(e as Error).message}`));
    }
  });
}
