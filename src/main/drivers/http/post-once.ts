import { isAmbiguous } from './http-client';

/** What {@link postOnce} needs: the non-idempotent send, and a lookup of whether it already took effect. */
export interface PostOnceSpec<T> {
  /** Sends the create (one POST; the client never repeats it on its own after an ambiguous failure). */
  send(): Promise<T>;
  /** Lists and matches: the created thing when an earlier send took effect, else null. */
  lookup(): Promise<T | null>;
  /** Sends after the first, each only after a lookup found nothing. Default 1. */
  readonly attempts?: number;
  /** Told when a lookup decided (for the step log). */
  readonly onLookup?: (found: boolean) => void;
}

/**
 * Runs a create at most once in effect: when a POST fails ambiguously (timeout, dropped connection, 502/503/504
 * after sending), look whether it took effect (list and match) before trying again, instead of repeating it
 * blindly and creating a twin. A definite failure (4xx, refused before sending) is thrown as it is.
 */
export async function postOnce<T>(spec: PostOnceSpec<T>): Promise<{ value: T; viaLookup: boolean }> {
  const extra = spec.attempts ?? 1;
  for (let n = 0; ; n++) {
    try {
      return { value: await spec.send(), viaLookup: false };
    } catch (e) {
      if (!isAmbiguous(e)) throw e;
      const found = await spec.lookup();
      spec.onLookup?.(found !== null);
      if (found !== null) return { value: found, viaLookup: true };
      if (n >= extra) throw e;
    }
  }
}
