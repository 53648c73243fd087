import crypto, { type KeyObject } from 'node:crypto';
import Module, { createRequire } from 'node:module';
import path from 'node:path';
import type * as Ssh2Module from 'ssh2';

type Ssh2 = typeof Ssh2Module;
type CipherKey = Parameters<typeof crypto.createCipheriv>[1];

/**
 * ssh2, loaded so that its cipher module gets secret keys as `KeyObject`s.
 * Without its (unsafe on Node 24, see electron-builder.yml) native add-on, ssh2 creates an AES-GCM or ChaCha20
 * cipher, or an HMAC, per packet from a raw key Buffer. Node 24 prepares a raw key on every such call, which costs
 * 4x the cipher set-up itself (12 vs 3 µs per packet) and was a third of the core's time under terminal floods,
 * whose PTY packets are small. The keys are the same bytes and live exactly as long as ssh2's own Buffers
 * (WeakMap); only ssh2's `lib/protocol/crypto.js` sees this `crypto`, nothing else in the process.
 */
const keyObjects = new WeakMap<object, KeyObject>();
let converted = 0;

/** How many distinct ssh2 keys were handed over as KeyObjects so far (tests prove the facade is in use). */
export function ssh2KeysConverted(): number {
  return converted;
}

function asKeyObject<K>(key: K): K | KeyObject {
  if (!(key instanceof Uint8Array)) return key;
  let k = keyObjects.get(key);
  if (k === undefined) {
    k = crypto.createSecretKey(key);
    keyObjects.set(key, k);
    converted++;
  }
  return k;
}

const facade: typeof crypto = Object.assign(Object.create(crypto) as typeof crypto, {
  createCipheriv: ((alg: string, key: CipherKey, ...rest: unknown[]) =>
    (crypto.createCipheriv as (...a: unknown[]) => unknown)(
      alg,
      asKeyObject(key),
      ...rest,
    )) as typeof crypto.createCipheriv,
  createDecipheriv: ((alg: string, key: CipherKey, ...rest: unknown[]) =>
    (crypto.createDecipheriv as (...a: unknown[]) => unknown)(
      alg,
      asKeyObject(key),
      ...rest,
    )) as typeof crypto.createDecipheriv,
  createHmac: ((alg: string, key: CipherKey, ...rest: unknown[]) =>
    (crypto.createHmac as (...a: unknown[]) => unknown)(alg, asKeyObject(key), ...rest)) as typeof crypto.createHmac,
});

const CIPHER_MODULE = `${path.sep}ssh2${path.sep}lib${path.sep}protocol${path.sep}crypto.js`;
/** ssh2's optional native cipher add-on, built by its install script when scripts run and a compiler exists. */
const NATIVE_BINDING = 'sshcrypto.node';

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;

/**
 * Loads ssh2 resolved from `from` (a file URL or path; default: this module) with the facade above and without
 * its native add-on. The add-on (nan ObjectWrap cipher objects) aborts Node 24 when a GC outside a JS context
 * finalizes the ciphers of a closed connection (`RemoveEnvironmentCleanupHook` asserts `env != nullptr`), so
 * whether a process survived depended on whether the install had built it and on the order connections closed.
 * ssh2 already falls back to Node's crypto when the require fails (a `try` around it), which is what the packaged
 * app always ran (electron-builder.yml leaves the add-on out): now every install and every test runs that path.
 */
export function loadSsh2(from: string = import.meta.url): Ssh2 {
  const require = createRequire(from);
  const loader = Module as unknown as { _load: Load };
  const original = loader._load;
  loader._load = function load(request, parent, isMain) {
    if (parent?.filename?.endsWith(CIPHER_MODULE)) {
      if (request === 'crypto' || request === 'node:crypto') return facade;
      if (request.endsWith(NATIVE_BINDING)) {
        throw Object.assign(new Error(`ssh2's native ${NATIVE_BINDING} is not used`), { code: 'MODULE_NOT_FOUND' });
      }
    }
    return original.call(this, request, parent, isMain);
  };
  try {
    return require('ssh2') as Ssh2;
  } finally {
    loader._load = original;
  }
}

/** ssh2 as the app uses it (import this, not 'ssh2', for values; `import type` from 'ssh2' is fine). */
const ssh2: Ssh2 = loadSsh2();
export default ssh2;
