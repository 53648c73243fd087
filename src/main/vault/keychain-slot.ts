import { AppError } from '../../shared/errors';
import type { Logger } from '../core/logger';
import { newKey, seal, tryOpen } from './crypto';
import { KEYCHAIN_SERVICE, type KeychainStore } from './keychain';
import { decodeSealed, encodeSealed, wrapAad } from './vault-meta';

/**
 * "Unlock with this computer": a random 256-bit key kept in the OS keychain (service "PanelDeck", account = the
 * vault's random id) wraps a second copy of the data key, stored in the vault's meta. Every keychain failure
 * becomes KEYCHAIN_UNAVAILABLE with a reason: unavailable, missing (item deleted) or mismatch.
 */
export class KeychainSlot {
  readonly #keychain: KeychainStore;
  readonly #logger: Logger;

  constructor(keychain: KeychainStore, logger: Logger) {
    this.#keychain = keychain;
    this.#logger = logger;
  }

  /** Stores a new key in the keychain and returns the data key wrapped under it (for the meta row). */
  async enable(vaultId: string, dataKey: Buffer): Promise<string> {
    const key = newKey();
    try {
      await this.#call(() => this.#keychain.set(KEYCHAIN_SERVICE, vaultId, key.toString('base64')));
      return encodeSealed(seal(key, dataKey, wrapAad(vaultId, 'keychain')));
    } finally {
      key.fill(0);
      dataKey.fill(0);
    }
  }

  /** The data key, unwrapped with the key from the keychain. */
  async unwrap(vaultId: string, wrapped: string): Promise<Buffer> {
    const secret = await this.#call(() => this.#keychain.get(KEYCHAIN_SERVICE, vaultId));
    if (secret === null) {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'The key for this vault is missing from the system keychain.', {
        reason: 'missing',
      });
    }
    const key = Buffer.from(secret, 'base64');
    const dataKey = tryOpen(key, decodeSealed(wrapped), wrapAad(vaultId, 'keychain'));
    key.fill(0);
    if (dataKey === null) {
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'The key in the system keychain does not open this vault.', {
        reason: 'mismatch',
      });
    }
    return dataKey;
  }

  /** Deletes the keychain item. */
  async remove(vaultId: string): Promise<void> {
    await this.#call(() => this.#keychain.delete(KEYCHAIN_SERVICE, vaultId));
  }

  async #call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      this.#logger.warn('vault.keychain-unavailable', { errorType: e instanceof Error ? e.name : typeof e });
      throw new AppError('KEYCHAIN_UNAVAILABLE', 'The system keychain is not available.', { reason: 'unavailable' });
    }
  }
}
