/** The longest wait between unlock attempts. */
export const MAX_DELAY_MS = 30_000;

/**
 * Delay imposed after `failures` consecutive wrong passwords: 0, 1, 2, 4, 8, 16, 30, 30 ... seconds.
 * The first mistake is free (typos happen); after that the wait doubles, capped so a user is never shut out long.
 */
export function delayAfter(failures: number): number {
  if (failures <= 1) return 0;
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** (failures - 2));
}

/** Epoch ms before which another attempt is refused, or null if an attempt is allowed at `now`. */
export function retryAfter(failures: number, lastFailureAt: number, now: number): number | null {
  if (failures <= 0) return null;
  const at = lastFailureAt + delayAfter(failures);
  return at > now ? at : null;
}
