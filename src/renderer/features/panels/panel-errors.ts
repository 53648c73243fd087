import { AppError } from '../../../shared/errors';

/**
 * What HOST_KEY_UNKNOWN / HOST_KEY_CHANGED carry for a panel's TLS certificate (TlsTrustDetails in the core's
 * src/main/drivers/http/tls-pinning.ts; the renderer reads the wire shape and never imports src/main).
 */
export interface TlsTrust {
  readonly hostPort: string;
  readonly fingerprint: string;
  readonly subject: string | null;
  readonly issuer: string | null;
  readonly validTo: string | null;
  readonly reason: string;
  /** HOST_KEY_CHANGED only: the fingerprint that was trusted. */
  readonly expected: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** Reads a TLS trust error's details; null for an SSH host-key error or any other shape. */
export function tlsTrust(e: unknown): TlsTrust | null {
  if (!(e instanceof AppError) || (e.code !== 'HOST_KEY_UNKNOWN' && e.code !== 'HOST_KEY_CHANGED')) return null;
  const d = e.details ?? {};
  const hostPort = str(d.hostPort);
  const fingerprint = str(d.fingerprint);
  if (d.kind !== 'tls' || !hostPort || !fingerprint) return null;
  return {
    hostPort,
    fingerprint,
    subject: str(d.subject),
    issuer: str(d.issuer),
    validTo: str(d.validTo),
    reason: str(d.reason) ?? 'unverified',
    expected: str(d.expected),
  };
}

/** True when the panel asks for a 2FA code (GhostCP): AUTH_FAILED with details.needsOtp. */
export function needsOtp(e: unknown): boolean {
  return e instanceof AppError && e.code === 'AUTH_FAILED' && e.details?.needsOtp === true;
}
