import { isMethodName } from '../../shared/contract';
import type { WireError } from '../../shared/errors';

/**
 * The largest call the IPC transport passes to the dispatcher, measured as JSON: the same bound as the WebSocket
 * host's frame limit, so both transports refuse the same inputs. A terminal paste is split far below it.
 */
export const MAX_IPC_CALL_BYTES = 8 * 1024 * 1024;

/** A call that passed the guard: a known method name and an input within the size limit. */
export interface GuardedCall {
  readonly method: string;
  readonly input: unknown;
}

/**
 * Checks one IPC call before the dispatcher sees it (plain module: unit-tested without Electron). The method must be
 * a string naming a contract method, the input must serialise as JSON (no cycles, BigInts or functions) and stay
 * within {@link MAX_IPC_CALL_BYTES}. A refusal is a typed error that never quotes the input.
 */
export function guardIpcCall(
  method: unknown,
  input: unknown,
): { ok: true; call: GuardedCall } | { ok: false; error: WireError } {
  if (typeof method !== 'string' || method.length === 0 || method.length > 200) {
    return { ok: false, error: { code: 'VALIDATION', message: 'A call needs a method name.' } };
  }
  if (!isMethodName(method)) {
    return { ok: false, error: { code: 'UNKNOWN_METHOD', message: `Unknown method "${method.slice(0, 80)}".` } };
  }
  let json: string | undefined;
  try {
    json = JSON.stringify(input ?? {});
  } catch {
    return {
      ok: false,
      error: { code: 'VALIDATION', message: `The input of ${method} cannot be sent (not plain data).` },
    };
  }
  if (json === undefined) {
    return { ok: false, error: { code: 'VALIDATION', message: `The input of ${method} is not an object.` } };
  }
  // UTF-16 length is a lower bound of the UTF-8 size: check it first so a huge string is never encoded.
  if (json.length > MAX_IPC_CALL_BYTES || Buffer.byteLength(json, 'utf8') > MAX_IPC_CALL_BYTES) {
    return {
      ok: false,
      error: {
        code: 'TOO_LARGE',
        message: `The input of ${method} is larger than ${MAX_IPC_CALL_BYTES / (1024 * 1024)} MiB and was refused.`,
      },
    };
  }
  return { ok: true, call: { method, input } };
}
