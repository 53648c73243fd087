import { z } from 'zod';

/**
 * Every error that crosses the UI/core boundary has one of these stable codes.
 * Codes are for programs (the CLI exit, the UI's choice of message); `message` is for people.
 * See DESIGN.md rule 3: errors cross as typed, user-readable errors, never as stack traces.
 */
export const ErrorCode = z.enum([
  'VALIDATION',
  'UNKNOWN_METHOD',
  'UNAUTHORIZED',
  'FORBIDDEN_ORIGIN',
  'NOT_FOUND',
  'CONFLICT',
  'IN_USE',
  'VAULT_LOCKED',
  'VAULT_EXISTS',
  'VAULT_NOT_FOUND',
  'WRONG_PASSWORD',
  'RATE_LIMITED',
  'TAMPERED',
  'KEYCHAIN_UNAVAILABLE',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_CHANGED',
  'AUTH_FAILED',
  'CONNECTION_FAILED',
  'TIMEOUT',
  'UNSUPPORTED',
  /** A file the user named exists and the call was not told to overwrite it (the UI asks, then retries). */
  'FILE_EXISTS',
  /** The operating system refused access to a file or folder the user named (EACCES, EPERM, EROFS). */
  'PERMISSION_DENIED',
  /** A file the user named is over the size this call reads. */
  'TOO_LARGE',
  /** Any other failure of the file system on a path the user named (ENOSPC, EIO, ...); details carry the errno. */
  'FILE_ERROR',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The wire form of an error: what the renderer and the CLI receive. */
export const WireError = z.object({
  code: ErrorCode,
  message: z.string(),
  /** Structured, non-secret detail (e.g. which field failed validation, a retry delay). */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type WireError = z.infer<typeof WireError>;

/** A typed error with a stable code and a message safe to show a user (never a secret, never a stack). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  /** The wire form, without stack or cause. */
  toWire(): WireError {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an AppError on the receiving side of a transport. */
  static fromWire(e: WireError): AppError {
    return new AppError(e.code, e.message, e.details);
  }
}

/** True for AppError instances, including ones from another realm that kept the shape. */
export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
