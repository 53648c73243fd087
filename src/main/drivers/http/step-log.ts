import { AsyncLocalStorage } from 'node:async_hooks';
import type { StepContext } from '../../operations/operation.types';
import type { HttpEvent } from './http-client';

/** How a panel's notes are worded where panels differ (what the rate-limit window is, what a re-login says). */
export interface HttpEventWording {
  /** The rate-limit window in "N requests left in …". Default "the panel's window". */
  readonly window?: string;
  /** What a re-login says after the request. Default "signing in again". */
  readonly relogin?: string;
}

/**
 * One line for a step log about a retry, a rate-limit wait or a re-login of the shared HTTP client.
 *
 * Every panel client writes these notes into the log of the step that runs the call, so the wording lives here
 * once; a panel may only name its window or re-login differently ({@link HttpEventWording}).
 */
export function describeHttpEvent(e: HttpEvent, wording: HttpEventWording = {}): string {
  if (e.type === 'retry') return `${e.request}: ${e.reason}, trying again in ${e.delayMs} ms (attempt ${e.attempt})`;
  if (e.type === 'pace') {
    return `${e.request}: ${e.remaining} requests left in ${wording.window ?? "the panel's window"}, waiting ${e.delayMs} ms`;
  }
  return `${e.request}: ${wording.relogin ?? 'signing in again'}`;
}

/**
 * The step log a panel client writes its notes to: the log of the plan step whose call is running.
 *
 * Calls run inside {@link StepLog.run} (AsyncLocalStorage), so a retry deep in the HTTP client lands in the log of
 * the step that caused it, also when steps of several plans run at the same time on one client.
 */
export class StepLog {
  readonly #store = new AsyncLocalStorage<(line: string) => void>();
  readonly #wording: HttpEventWording;

  constructor(wording: HttpEventWording = {}) {
    this.#wording = wording;
  }

  /** Runs `f` with the notes going to `log` (a step's ctx.log). */
  run<T>(log: (line: string) => void, f: () => Promise<T>): Promise<T> {
    return this.#store.run(log, f);
  }

  /** Writes a line to the running step's log (nothing outside a step). */
  write(line: string): void {
    this.#store.getStore()?.(line);
  }

  /** The HttpClient `onEvent` handler: passes the event to `also` (the caller's listener) and notes it. */
  onEvent(also?: (e: HttpEvent) => void): (e: HttpEvent) => void {
    return (e) => {
      also?.(e);
      this.write(describeHttpEvent(e, this.#wording));
    };
  }
}

/** A panel client whose calls can be run with their notes going to a step's log. */
export interface StepLogged {
  withLog<T>(log: (line: string) => void, f: () => Promise<T>): Promise<T>;
}

/**
 * Runs a plan step's body against a panel client: the account secret (and any others, e.g. a new user's
 * password) registered for redaction, and the client's retry/wait/re-login notes in the step log.
 */
export function runPanelStep<T>(
  api: StepLogged,
  ctx: StepContext,
  secrets: readonly string[],
  f: () => Promise<T>,
): Promise<T> {
  for (const s of secrets) ctx.secrets.add(s);
  return api.withLog((l) => ctx.log(l), f);
}
