/**
 * The OS keychain as the vault needs it: the keytar-compatible API of @napi-rs/keyring (Secret Service on Linux,
 * Keychain on macOS, Credential Manager on Windows). An interface so tests can inject a failing one.
 */
export interface KeychainStore {
  get(service: string, account: string): Promise<string | null>;
  set(service: string, account: string, secret: string): Promise<void>;
  delete(service: string, account: string): Promise<boolean>;
}

/** The service name under which PanelDeck's items appear in the OS keychain. */
export const KEYCHAIN_SERVICE = 'PanelDeck';

/** The real OS keychain, loaded on first use (so a machine without one only fails when the feature is used). */
export const osKeychain: KeychainStore = {
  async get(service, account) {
    const k = await import('@napi-rs/keyring/keytar');
    return k.getPassword(service, account);
  },
  async set(service, account, secret) {
    const k = await import('@napi-rs/keyring/keytar');
    await k.setPassword(service, account, secret);
  },
  async delete(service, account) {
    const k = await import('@napi-rs/keyring/keytar');
    return k.deletePassword(service, account);
  },
};
