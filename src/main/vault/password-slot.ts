import type { KdfParams } from '../../shared/contract/vault.contract';
import { KdfParams as KdfParamsSchema } from '../../shared/contract/vault.contract';
import { AppError } from '../../shared/errors';
import { weakPasswordReason } from '../../shared/password-strength';
import { deriveKek, newSalt, seal, tryOpen } from './crypto';
import type { RecordStore } from './record-store';
import { retryAfter } from './unlock-throttle';
import { decodeSealed, encodeSealed, META as M, wrapAad } from './vault-meta';

/*
 * The master password's slot in the vault file: the data key wrapped under a key derived from the password
 * (Argon2id, fresh salt per wrap), and the wrong-password throttle that guards unwrapping it.
 */

/** Wraps `dataKey` under `password`: the meta entries to write (the throttle starts again from zero). */
export async function wrapWithPassword(
  password: string,
  dataKey: Buffer,
  kdf: KdfParams,
  vaultId: string,
): Promise<Record<string, string>> {
  const salt = newSalt();
  const kek = await deriveKek(password, salt, kdf);
  const wrapped = seal(kek, dataKey, wrapAad(vaultId, 'password'));
  kek.fill(0);
  return {
    [M.kdf]: JSON.stringify(kdf),
    [M.salt]: salt.toString('base64'),
    [M.wrapped]: encodeSealed(wrapped),
    [M.failures]: '0',
    [M.lastFailure]: '0',
  };
}

/** When the next password attempt is allowed (ms epoch), or null if now. */
export function passwordRetryAfter(store: RecordStore, now: number): number | null {
  return retryAfter(Number(store.getMeta(M.failures) ?? '0'), Number(store.getMeta(M.lastFailure) ?? '0'), now);
}

/**
 * The data key, or WRONG_PASSWORD (the failure counted and persisted, `onWrong` told) or RATE_LIMITED while the
 * throttle holds.
 */
export async function unwrapWithPassword(
  store: RecordStore,
  password: string,
  vaultId: string,
  now: () => number,
  onWrong: (failures: number) => void,
): Promise<Buffer> {
  const wait = passwordRetryAfter(store, now());
  if (wait !== null) {
    const seconds = Math.ceil((wait - now()) / 1000);
    throw new AppError('RATE_LIMITED', `Too many wrong passwords. Try again in ${seconds} s.`, { retryAfter: wait });
  }
  const params = KdfParamsSchema.parse(JSON.parse(store.getMeta(M.kdf) ?? 'null'));
  const salt = Buffer.from(store.getMeta(M.salt) ?? '', 'base64');
  const kek = await deriveKek(password, salt, params);
  const dataKey = tryOpen(kek, decodeSealed(store.getMeta(M.wrapped) ?? '{}'), wrapAad(vaultId, 'password'));
  kek.fill(0);
  if (dataKey !== null) return dataKey;
  const failures = Number(store.getMeta(M.failures) ?? '0') + 1;
  const at = now();
  store.recordFailure(at, { [M.failures]: String(failures), [M.lastFailure]: String(at) });
  onWrong(failures);
  const next = retryAfter(failures, at, at);
  throw new AppError(
    'WRONG_PASSWORD',
    'Wrong password.',
    next === null ? { failures } : { failures, retryAfter: next },
  );
}

/**
 * Refuses a master password below the shared minimum strength (issue 8, item 11) with the same VALIDATION shape the
 * contract produces, so the form shows the reason next to the field. The contract checks first; this keeps the rule
 * for every caller of the service.
 */
export function requireStrongPassword(password: string, field: string): void {
  const reason = weakPasswordReason(password);
  if (reason !== null) throw new AppError('VALIDATION', reason, { issues: [{ path: field, message: reason }] });
}
