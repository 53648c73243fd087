import type { SecretSet } from './operation.types';

/** What a redacted secret looks like in the journal. */
export const MASK = '••••';

/**
 * The secrets of one operation. Unlike the logger's Redactor it keeps short secrets too (a 3-character
 * password is still a password in a command line), longest first so a secret that contains another is
 * masked whole, and in JSON-escaped form as well (command output can carry them quoted).
 */
export class OperationSecrets implements SecretSet {
  readonly #secrets = new Set<string>();
  #sorted: string[] = [];

  add(secret: string | null | undefined): void {
    if (!secret) return;
    const before = this.#secrets.size;
    this.#secrets.add(secret);
    const escaped = JSON.stringify(secret).slice(1, -1);
    if (escaped !== secret) this.#secrets.add(escaped);
    if (this.#secrets.size !== before) this.#sorted = [...this.#secrets].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.#sorted) if (out.includes(s)) out = out.split(s).join(MASK);
    return out;
  }
}
