import type { Dispatcher } from 'undici';
import type { HttpEvent } from './http-client';
import type { RetryPolicy } from './rate-limit';
import type { TlsPinStore } from './tls-pinning';

/**
 * The connection options every panel API client takes besides its credentials: where the panel is, which
 * self-signed certificates are trusted, and how requests are timed out, retried and reported.
 */
export interface PanelClientOptions {
  readonly baseUrl: string;
  readonly pins?: TlsPinStore;
  /** Tests only: a custom undici dispatcher instead of the pinning agent. */
  readonly dispatcher?: Dispatcher;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Every retry/pace/relogin of the client (besides the step log). */
  readonly onHttpEvent?: (e: HttpEvent) => void;
}

/** A panel API client that signs in with a user name and password and holds an expiring token. */
export interface PasswordClientOptions extends PanelClientOptions {
  readonly username: string;
  /** The account password. Never logged: plan steps register it as a secret. */
  readonly password: string;
  /** The clock the token expiry is judged by (tests move it forward). Default Date.now. */
  readonly now?: () => number;
  /** Refresh this long before the token expires. Default 30 s. */
  readonly tokenSkewMs?: number;
}
