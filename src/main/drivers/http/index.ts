/** The HTTP layer every panel driver shares (issue 10). */
export { HttpClient, isAmbiguous, sleep } from './http-client';
export type { HttpAuth, HttpClientOptions, HttpEvent, HttpMethod, HttpRequest, HttpResponse } from './http-client';
export { codeForStatus, fieldErrorsFrom, panelError } from './http-errors';
export type { ErrorEnvelopeReader, FieldError, PanelErrorParts, PanelErrorResponse } from './http-errors';
export { collectOffsets, collectPages } from './pagination';
export type { Page, PageStyle, PagerOptions } from './pagination';
export { postOnce } from './post-once';
export type { PostOnceSpec } from './post-once';
export { DEFAULT_RETRY_POLICY, backoffDelay, paceDelay, parseRateLimit, parseRetryAfter } from './rate-limit';
export type { RateLimitState, RetryPolicy } from './rate-limit';
export { checkPinned, normalizeFingerprint, pinnedAgent, staticPins } from './tls-pinning';
export type { TlsPinStore, TlsTrustDetails } from './tls-pinning';
export { jwtExpiry, TokenHolder } from './token-holder';
export type { TokenSource, Tokens } from './token-holder';
