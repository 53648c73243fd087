import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { AppError } from '../../../shared/errors';

/**
 * Certificate fingerprints the user trusted, by "host:port" (SHA-256 of the DER certificate, as
 * `openssl x509 -noout -fingerprint -sha256` prints it: colon-separated upper-case hex).
 */
export interface TlsPinStore {
  get(hostPort: string): string | null;
}

/** A pin store over a plain record (tests, and a driver built from a stored panel account). */
export function staticPins(pins: Readonly<Record<string, string>> = {}): TlsPinStore {
  return { get: (hostPort) => pins[hostPort] ?? null };
}

/** What HOST_KEY_UNKNOWN / HOST_KEY_CHANGED carry for a panel certificate: enough for the trust dialog. */
export interface TlsTrustDetails {
  readonly kind: 'tls';
  readonly host: string;
  readonly port: number;
  readonly hostPort: string;
  readonly fingerprint: string;
  readonly subject: string | null;
  readonly issuer: string | null;
  readonly validTo: string | null;
  /** Why the normal verification refused it (e.g. DEPTH_ZERO_SELF_SIGNED_CERT). */
  readonly reason: string;
  /** HOST_KEY_CHANGED only: the fingerprint that was trusted. */
  readonly expected?: string;
}

/** The SHA-256 fingerprint of a PEM or DER certificate in the pin format (for tests and the "trust" action). */
export function normalizeFingerprint(fp: string): string {
  const hex = fp
    .replace(/^sha256[:=]?/i, '')
    .replace(/[^0-9a-f]/gi, '')
    .toUpperCase();
  return (hex.match(/.{2}/g) ?? []).join(':');
}

function nameOf(x: unknown): string | null {
  if (typeof x !== 'object' || x === null) return null;
  const o = x as Record<string, unknown>;
  const cn = o['CN'];
  if (typeof cn === 'string') return cn;
  if (Array.isArray(cn) && typeof cn[0] === 'string') return cn[0];
  return null;
}

/**
 * Checks a TLS socket that finished its handshake with verification reported (not enforced): a certificate the
 * system trusts for this host passes; otherwise only the pinned fingerprint does. Returns the error to fail with.
 */
export function checkPinned(socket: TLSSocket, host: string, port: number, pins: TlsPinStore): AppError | null {
  if (socket.authorized) return null;
  const cert = socket.getPeerCertificate();
  const hostPort = `${host}:${port}`;
  if (!cert || typeof cert.fingerprint256 !== 'string' || cert.fingerprint256 === '') {
    return new AppError('CONNECTION_FAILED', `${hostPort} presented no certificate.`);
  }
  const fingerprint = normalizeFingerprint(cert.fingerprint256);
  const pinned = pins.get(hostPort);
  const details: TlsTrustDetails = {
    kind: 'tls',
    host,
    port,
    hostPort,
    fingerprint,
    subject: nameOf(cert.subject),
    issuer: nameOf(cert.issuer),
    validTo: cert.valid_to ?? null,
    reason: String(socket.authorizationError ?? 'unverified'),
  };
  if (pinned === null) {
    return new AppError(
      'HOST_KEY_UNKNOWN',
      `The TLS certificate of ${hostPort} (SHA-256 ${fingerprint}) is not signed by a trusted authority and was not trusted yet.`,
      { ...details },
    );
  }
  if (normalizeFingerprint(pinned) !== fingerprint) {
    return new AppError(
      'HOST_KEY_CHANGED',
      `The TLS certificate of ${hostPort} changed (now SHA-256 ${fingerprint}); PanelDeck refused to connect. If the panel's certificate was replaced on purpose, trust the new one.`,
      { ...details, expected: normalizeFingerprint(pinned) },
    );
  }
  return null;
}

/**
 * An undici Agent that verifies certificates as usual and, for a certificate the system does not trust (a
 * self-signed panel), accepts exactly the fingerprint pinned for that host:port. First contact fails with
 * HOST_KEY_UNKNOWN carrying the fingerprint (the UI's trust dialog), a different certificate with
 * HOST_KEY_CHANGED. Verification is relaxed only inside this agent and only in favour of the pin; nothing
 * global (NODE_TLS_REJECT_UNAUTHORIZED) is touched. The check runs before undici writes a single request byte.
 */
export function pinnedAgent(pins: TlsPinStore, opts: { connectTimeoutMs?: number } = {}): Agent {
  const base = buildConnector({
    // Reported, not enforced: checkPinned enforces it (authorized, or the pinned fingerprint).
    rejectUnauthorized: false,
    maxCachedSessions: 0,
    timeout: opts.connectTimeoutMs ?? 10_000,
  });
  return new Agent({
    connect(options, callback) {
      base(options, (err, socket) => {
        if (err !== null) {
          callback(err, null);
          return;
        }
        if (options.protocol !== 'https:') {
          callback(null, socket);
          return;
        }
        const port = Number(options.port) || 443;
        const failure = checkPinned(socket as TLSSocket, options.hostname, port, pins);
        if (failure !== null) {
          socket.destroy();
          callback(failure, null);
          return;
        }
        callback(null, socket);
      });
    },
  });
}
