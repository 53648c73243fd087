import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import { methods, isMethodName, type MethodName, type Output, type ParsedInput } from '../../shared/contract';
import { AppError } from '../../shared/errors';
import type { CallResult } from '../../shared/wire';
import type { Transport } from '../../shared/contract/app.contract';
import type { Logger } from './logger';

/** Who is calling: the transport, so handlers like app.info can say how the UI is connected. */
export interface CallContext {
  readonly transport: Transport;
}

/** One handler per contract method; the mapped type makes a missing handler a compile error. */
export type Handlers = {
  [M in MethodName]: (input: ParsedInput<M>, ctx: CallContext) => Output<M> | Promise<Output<M>>;
};

export interface DispatcherOptions {
  readonly logger: Logger;
  /** Also validate results against the contract (on in tests and development; costs a parse per call). */
  readonly validateOutput?: boolean;
  /** Called with every valid method name before its handler runs (the vault's auto-lock counts it as activity). */
  readonly onCall?: (method: MethodName) => void;
}

/**
 * The single entry point of the core for every transport (Electron IPC, WebSocket host, CLI).
 * It distrusts its input: unknown methods and inputs that fail the contract's schema are refused with a
 * typed error before any service sees them (DESIGN.md rule 3). Errors leave as {code, message} only.
 */
export class Dispatcher {
  readonly #handlers: Handlers;
  readonly #logger: Logger;
  readonly #validateOutput: boolean;
  readonly #onCall: ((method: MethodName) => void) | undefined;

  constructor(handlers: Handlers, options: DispatcherOptions) {
    this.#handlers = handlers;
    this.#logger = options.logger;
    this.#validateOutput = options.validateOutput ?? false;
    this.#onCall = options.onCall;
  }

  /** Calls `method` with untrusted `input`; never throws, always answers with a CallResult. */
  async call(method: string, input: unknown, ctx: CallContext): Promise<CallResult> {
    try {
      const value = await this.invoke(method, input, ctx);
      return { ok: true, value };
    } catch (e) {
      return { ok: false, error: this.#toAppError(method, e).toWire() };
    }
  }

  /** Like `call` but throws AppError; for in-process callers that want the typed value. */
  async invoke(method: string, input: unknown, ctx: CallContext): Promise<unknown> {
    if (!isMethodName(method)) {
      throw new AppError('UNKNOWN_METHOD', `Unknown method "${truncate(method)}".`);
    }
    this.#onCall?.(method);
    const def = methods[method];
    const parsed = def.input.safeParse(input ?? {});
    if (!parsed.success) {
      throw new AppError('VALIDATION', `Invalid input for ${method}: ${describeIssues(parsed.error)}`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
      });
    }
    const handler = this.#handlers[method] as (i: unknown, c: CallContext) => unknown;
    const value = await handler(parsed.data, ctx);
    if (this.#validateOutput) {
      const out = def.output.safeParse(value);
      if (!out.success) {
        this.#logger.error('contract.output-invalid', { method, issues: describeIssues(out.error) });
        throw new AppError('INTERNAL', `The core returned a malformed result for ${method}.`);
      }
      return out.data;
    }
    return value;
  }

  #toAppError(method: string, e: unknown): AppError {
    if (e instanceof AppError) return e;
    const ref = randomBytes(4).toString('hex');
    this.#logger.error('dispatch.unexpected', { method, ref, ...describeCause(e) });
    return new AppError(
      'INTERNAL',
      `Something unexpected went wrong. Please try again; if it keeps happening, report it with reference ${ref} (the log has the details).`,
      { method, ref },
    );
  }
}

/**
 * What the log may say about an unexpected error: its type, errno code and syscall, and the code locations of the
 * stack. Never the error's message nor the `path`/`dest` of a file-system error: messages of library errors can
 * quote user data, paths and secrets.
 */
export function describeCause(e: unknown, depth = 0): Record<string, unknown> {
  if (!(e instanceof Error)) return { errorType: typeof e };
  const err = e as NodeJS.ErrnoException & { cause?: unknown };
  const out: Record<string, unknown> = { errorType: err.name };
  if (typeof err.code === 'string' || typeof err.code === 'number') out.code = err.code;
  if (typeof err.errno === 'number') out.errno = err.errno;
  if (typeof err.syscall === 'string') out.syscall = err.syscall;
  // Frames only ("at fn (file:line:col)"): the first line of `stack` repeats the message.
  const frames = (err.stack ?? '')
    .split('\n')
    .slice(1)
    .map((l) => l.trim())
    .filter((l) => l.startsWith('at '))
    .slice(0, 8);
  if (frames.length > 0) out.stack = frames;
  if (err.cause !== undefined && depth < 3) out.cause = describeCause(err.cause, depth + 1);
  return out;
}

/** Human-readable summary of schema issues: field paths and messages, never the offending values. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 80)}…` : s;
}
