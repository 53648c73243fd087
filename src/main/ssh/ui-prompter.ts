import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import type { sshEvents } from '../../shared/contract/ssh.contract';
import { AppError } from '../../shared/errors';
import type { HostKeyQuestion, KbdQuestion, PasswordAnswer, PasswordQuestion, Prompter } from './ssh.types';

type SshEvents = typeof sshEvents;
type PromptEvent = 'ssh.hostKey.prompt' | 'ssh.keyboard.prompt' | 'ssh.prompt.closed';

/** How the prompter reaches the UI: the core's EventBus.emit fits this shape once the contract is spread in. */
export type PromptEmitter = <E extends PromptEvent>(name: E, payload: z.output<SshEvents[E]['payload']>) => void;

type Answer = boolean | string[] | PasswordAnswer | null;

interface Pending {
  kind: 'hostKey' | 'keyboard' | 'password';
  resolve: (v: Answer) => void;
}

/**
 * The Prompter the app uses: each question becomes a contract event with a prompt id, and the answer comes back
 * through `ssh.hostKey.answer` / `ssh.keyboard.answer` (wire those methods to answerHostKey / answerKeyboard).
 * Timeouts are the caller's (askUser); when a question is abandoned, the UI is told to take it down.
 */
export class UiPrompter implements Prompter {
  readonly #emit: PromptEmitter;
  readonly #timeoutMs: number;
  readonly #pending = new Map<string, Pending>();

  constructor(deps: { emit: PromptEmitter; promptTimeoutMs: number }) {
    this.#emit = deps.emit;
    this.#timeoutMs = deps.promptTimeoutMs;
  }

  confirmHostKey(q: HostKeyQuestion, signal: AbortSignal): Promise<boolean> {
    return this.#ask('hostKey', signal, (promptId, expiresAt) =>
      this.#emit('ssh.hostKey.prompt', {
        promptId,
        serverId: q.targetId,
        host: q.host,
        port: q.port,
        keyType: q.keyType,
        fingerprint: q.fingerprint,
        expiresAt,
      }),
    ) as Promise<boolean>;
  }

  keyboardInteractive(q: KbdQuestion, signal: AbortSignal): Promise<string[] | null> {
    return this.#ask('keyboard', signal, (promptId, expiresAt) =>
      this.#emit('ssh.keyboard.prompt', {
        promptId,
        serverId: q.targetId,
        user: q.user,
        host: q.host,
        port: q.port,
        name: q.name,
        instructions: q.instructions,
        prompts: q.prompts.map((p) => ({ ...p })),
        expiresAt,
      }),
    ) as Promise<string[] | null>;
  }

  /**
   * Asks for the password of a target with none stored. Goes out as an `ssh.keyboard.prompt` with one masked
   * prompt and `offerRemember`, so the UI's sign-in dialog serves it (plus its "remember in the vault" box).
   */
  password(q: PasswordQuestion, signal: AbortSignal): Promise<PasswordAnswer | null> {
    return this.#ask('password', signal, (promptId, expiresAt) =>
      this.#emit('ssh.keyboard.prompt', {
        promptId,
        serverId: q.targetId,
        user: q.user,
        host: q.host,
        port: q.port,
        name: 'Password',
        instructions: q.retry ? 'Permission denied, please try again.' : '',
        prompts: [{ prompt: 'Password', echo: false }],
        expiresAt,
        offerRemember: true,
      }),
    ) as Promise<PasswordAnswer | null>;
  }

  /** The UI's answer to a host key prompt. */
  answerHostKey(promptId: string, trust: boolean): void {
    this.#answer(promptId, 'hostKey', trust);
  }

  /**
   * The UI's answers to a keyboard-interactive prompt (null = cancel). A password question (see {@link password})
   * is answered the same way; `remember` only means something there.
   */
  answerKeyboard(promptId: string, answers: string[] | null, remember = false): void {
    const p = this.#pending.get(promptId);
    if (p?.kind === 'password') {
      const password = answers?.[0];
      this.#answer(promptId, 'password', password === undefined ? null : { password, remember });
    } else this.#answer(promptId, 'keyboard', answers);
  }

  #answer(promptId: string, kind: Pending['kind'], value: Answer): void {
    const p = this.#pending.get(promptId);
    if (p === undefined || p.kind !== kind) throw new AppError('NOT_FOUND', 'That question is no longer open.');
    this.#pending.delete(promptId);
    this.#emit('ssh.prompt.closed', { promptId, reason: 'answered' });
    p.resolve(value);
  }

  #ask(kind: Pending['kind'], signal: AbortSignal, send: (id: string, expiresAt: number) => void): Promise<Answer> {
    const promptId = randomUUID();
    return new Promise((resolve) => {
      this.#pending.set(promptId, { kind, resolve });
      signal.addEventListener(
        'abort',
        () => {
          if (!this.#pending.delete(promptId)) return;
          this.#emit('ssh.prompt.closed', { promptId, reason: 'abandoned' });
          resolve(kind === 'hostKey' ? false : null);
        },
        { once: true },
      );
      send(promptId, Date.now() + this.#timeoutMs);
    });
  }
}
