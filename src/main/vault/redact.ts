import type { Redactor } from '../core/logger';

/**
 * Registers a secret with the log redactor in both its raw form and its JSON-escaped form: log lines are JSON,
 * so a multi-line private key or a password with a quote appears escaped in them.
 */
export function registerSecret(redactor: Redactor, secret: string | null | undefined): void {
  if (!secret) return;
  redactor.add(secret);
  const escaped = JSON.stringify(secret).slice(1, -1);
  if (escaped !== secret) redactor.add(escaped);
}
