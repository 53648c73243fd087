import { AppError } from '../../shared/errors';

/** Options of {@link askUser}. */
export interface AskOptions {
  /** Give up (TIMEOUT) after this long. */
  readonly timeoutMs: number;
  /** The connection attempt; aborting it abandons the question. */
  readonly signal: AbortSignal;
  /** For the timeout message, e.g. "the host key of example.com:22". */
  readonly what: string;
  /** Told when the wait starts and ends, so the connect deadline can pause meanwhile. */
  readonly onPrompt?: ((waiting: boolean) => void) | undefined;
}

/**
 * Puts a question to the user with a deadline, handing the prompter an AbortSignal that fires when the answer is no
 * longer wanted (timeout, connection abandoned). Why: a prompt nobody answers must not hold a connection forever.
 */
export async function askUser<T>(ask: (signal: AbortSignal) => Promise<T>, opts: AskOptions): Promise<T> {
  const ac = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  opts.onPrompt?.(true);
  try {
    const stop = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new AppError('TIMEOUT', `Nobody answered the question about ${opts.what} in time.`)),
        opts.timeoutMs,
      );
      onAbort = () =>
        reject(new AppError('CONNECTION_FAILED', `The connection closed while asking about ${opts.what}.`));
      if (opts.signal.aborted) onAbort();
      else opts.signal.addEventListener('abort', onAbort, { once: true });
    });
    return await Promise.race([ask(ac.signal), stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) opts.signal.removeEventListener('abort', onAbort);
    ac.abort();
    opts.onPrompt?.(false);
  }
}
