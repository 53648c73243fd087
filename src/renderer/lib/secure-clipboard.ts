import { useSyncExternalStore } from 'react';

/** How long a copied secret may stay on the clipboard. */
export const CLIPBOARD_CLEAR_MS = 30_000;

let clearsAt: number | null = null;
let timer: number | undefined;
const listeners = new Set<() => void>();

function setClearsAt(v: number | null): void {
  clearsAt = v;
  for (const l of listeners) l();
}

async function digest(text: string): Promise<string> {
  const bytes = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Copies a secret and clears the clipboard after 30 s if it still holds that secret. Only a SHA-256 of the
 * value is kept for the comparison, never the value. When the clipboard cannot be read back (permission
 * denied), it is cleared anyway: losing a later copy is better than leaving a password on it.
 */
export async function copySecret(secret: string): Promise<void> {
  await navigator.clipboard.writeText(secret);
  const hash = await digest(secret);
  window.clearTimeout(timer);
  setClearsAt(Date.now() + CLIPBOARD_CLEAR_MS);
  timer = window.setTimeout(() => {
    void (async () => {
      try {
        const now = await navigator.clipboard.readText();
        if ((await digest(now)) === hash) await navigator.clipboard.writeText('');
      } catch {
        await navigator.clipboard.writeText('').catch(() => undefined);
      } finally {
        setClearsAt(null);
      }
    })();
  }, CLIPBOARD_CLEAR_MS);
}

/** Epoch ms at which the copied secret will be cleared, or null when nothing is pending. */
export function useClipboardClearsAt(): number | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => clearsAt,
  );
}
