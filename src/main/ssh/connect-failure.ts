import { AppError, type ErrorCode } from '../../shared/errors';
import { describeTarget, type SshTarget } from './ssh.types';

/** Why a hop could not be reached, in the words the user sees (and `details.cause` carries, for the UI). */
export type ConnectCause = 'refused' | 'timeout' | 'unreachable' | 'dns' | 'closed' | 'other';

const WORDS: Record<ConnectCause, string> = {
  refused: 'connection refused (nothing is listening on that port)',
  timeout: 'timed out (no answer from that address)',
  unreachable: 'no route to host (the network cannot reach it)',
  dns: 'host name not found',
  closed: 'the connection was closed before the SSH handshake',
  other: 'the connection failed',
};

/** The cause from a socket error code (ECONNREFUSED, ...) or, through a jump host, the text its sshd sent. */
export function connectCause(codeOrText: string | number | undefined): ConnectCause {
  const s = String(codeOrText ?? '');
  if (/ECONNREFUSED|refused/i.test(s)) return 'refused';
  if (/ETIMEDOUT|timed? ?out/i.test(s)) return 'timeout';
  if (/EHOSTUNREACH|ENETUNREACH|EHOSTDOWN|ENETDOWN|no route|unreachable/i.test(s)) return 'unreachable';
  if (/ENOTFOUND|EAI_AGAIN|EAI_NONAME|not known|resolve|unknown host/i.test(s)) return 'dns';
  if (/ECONNRESET|EPIPE|lost before handshake|closed/i.test(s)) return 'closed';
  return 'other';
}

/**
 * The error for a hop that could not be reached: names the hop (user@host:port) and the cause, and, when it was
 * reached through a jump host, that host too. `details` carries the same for the UI: `{ hop, cause, via? }`.
 */
export function unreachableHop(
  target: SshTarget,
  cause: ConnectCause,
  via?: SshTarget,
  code: ErrorCode = cause === 'timeout' ? 'TIMEOUT' : 'CONNECTION_FAILED',
): AppError {
  const hop = describeTarget(target);
  const through = via === undefined ? '' : ` through ${describeTarget(via)}`;
  return new AppError(code, `Cannot connect to ${hop}${through}: ${WORDS[cause]}.`, {
    hop,
    cause,
    ...(via === undefined ? {} : { via: describeTarget(via) }),
  });
}
