import { decodeJwt } from 'jose';
import { AppError } from '../../../shared/errors';

/** A bearer token and, when the panel gives one, a refresh token. */
export interface Tokens {
  readonly accessToken: string;
  readonly refreshToken?: string | null;
}

/** Seconds-since-epoch expiry of a JWT in ms, or null (not a JWT, or no exp claim). Never verifies: the panel does. */
export function jwtExpiry(token: string): number | null {
  try {
    const { exp } = decodeJwt(token);
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** How a {@link TokenHolder} gets tokens. */
export interface TokenSource {
  /** Full sign-in (credentials from the vault; a 2FA code asked by the caller if needed). */
  login(signal?: AbortSignal): Promise<Tokens>;
  /** Refresh with the refresh token; absent or failing falls back to login. */
  refresh?(refreshToken: string, signal?: AbortSignal): Promise<Tokens>;
}

/**
 * Holds a panel's bearer token: decodes its expiry (jose decodeJwt), refreshes (or signs in again) `skewMs`
 * before it runs out, and serves as the HTTP client's auth (a 401 calls `relogin` once, then the client fails
 * with a clear AUTH_FAILED). Concurrent callers share one refresh.
 */
export class TokenHolder {
  readonly #source: TokenSource;
  readonly #now: () => number;
  readonly #skewMs: number;
  #tokens: Tokens | null = null;
  #expiresAt: number | null = null;
  #pending: Promise<void> | null = null;

  constructor(source: TokenSource, opts: { now?: () => number; skewMs?: number } = {}) {
    this.#source = source;
    this.#now = opts.now ?? Date.now;
    this.#skewMs = opts.skewMs ?? 30_000;
  }

  /** The current access token, refreshed or renewed first when it is about to expire. */
  async token(signal?: AbortSignal): Promise<string> {
    if (this.#tokens === null) await this.#run(() => this.#login(signal));
    else if (this.#expiresAt !== null && this.#now() >= this.#expiresAt - this.#skewMs) {
      await this.#run(() => this.#refresh(signal));
    }
    if (this.#tokens === null) throw new AppError('AUTH_FAILED', 'Not signed in to the panel.');
    return this.#tokens.accessToken;
  }

  /** Auth headers for the HTTP client. */
  async headers(signal?: AbortSignal): Promise<Record<string, string>> {
    return { authorization: `Bearer ${await this.token(signal)}` };
  }

  /** After a 401: forget the token and sign in again (refresh first when possible). */
  async relogin(signal?: AbortSignal): Promise<void> {
    await this.#run(() => this.#refresh(signal));
  }

  async #run(f: () => Promise<void>): Promise<void> {
    if (this.#pending === null) {
      this.#pending = f().finally(() => {
        this.#pending = null;
      });
    }
    await this.#pending;
  }

  #set(t: Tokens): void {
    this.#tokens = t;
    this.#expiresAt = jwtExpiry(t.accessToken);
  }

  async #login(signal?: AbortSignal): Promise<void> {
    this.#set(await this.#source.login(signal));
  }

  async #refresh(signal?: AbortSignal): Promise<void> {
    const rt = this.#tokens?.refreshToken;
    if (rt && this.#source.refresh) {
      const refreshExp = jwtExpiry(rt);
      if (refreshExp === null || refreshExp > this.#now()) {
        try {
          this.#set(await this.#source.refresh(rt, signal));
          return;
        } catch {
          // Refresh refused (revoked, expired early): fall back to a full sign-in.
        }
      }
    }
    this.#tokens = null;
    await this.#login(signal);
  }
}
