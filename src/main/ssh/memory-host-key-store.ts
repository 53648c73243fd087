import type { HostKeyEntry, HostKeyStore } from './ssh.types';

/**
 * HostKeyStore kept in memory: for tests and for the CLI before a vault is open.
 * Why not a file: trusted keys belong in the encrypted vault (the vault engineer's known-hosts store).
 */
export class MemoryHostKeyStore implements HostKeyStore {
  readonly #keys = new Map<string, HostKeyEntry[]>();

  #key(host: string, port: number): string {
    return `${host.toLowerCase()}|${port}`;
  }

  get(host: string, port: number): Promise<HostKeyEntry[] | null> {
    const keys = this.#keys.get(this.#key(host, port));
    return Promise.resolve(keys === undefined ? null : keys.map((k) => ({ ...k })));
  }

  trust(host: string, port: number, key: HostKeyEntry): Promise<void> {
    const k = this.#key(host, port);
    const keys = this.#keys.get(k) ?? [];
    if (!keys.some((e) => e.fingerprint === key.fingerprint)) keys.push({ ...key });
    this.#keys.set(k, keys);
    return Promise.resolve();
  }

  replace(host: string, port: number, key: HostKeyEntry): Promise<void> {
    this.#keys.set(this.#key(host, port), [{ ...key }]);
    return Promise.resolve();
  }
}
