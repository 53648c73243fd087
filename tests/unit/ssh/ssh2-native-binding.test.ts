import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSsh2 } from '../../../src/main/ssh/ssh2-loader';

const projectRequire = createRequire(import.meta.url);
const ssh2Dir = path.dirname(projectRequire.resolve('ssh2/package.json'));
let root: string;

/**
 * A copy of ssh2 whose `sshcrypto.node` exists. A real build needs a compiler at install time, so another loadable
 * add-on stands in for it under that name: ssh2 only checks that the require succeeds (`bindingAvailable`).
 */
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'pd-ssh2-native-'));
  const nm = path.join(root, 'node_modules');
  await fs.cp(ssh2Dir, path.join(nm, 'ssh2'), { recursive: true });
  for (const dep of ['asn1', 'bcrypt-pbkdf', 'tweetnacl', 'safer-buffer']) {
    const dir = path.dirname(projectRequire.resolve(`${dep}/package.json`, { paths: [ssh2Dir] }));
    await fs.symlink(dir, path.join(nm, dep), 'dir');
  }
  const standIn = projectRequire.resolve('@node-rs/argon2-linux-x64-gnu');
  const release = path.join(nm, 'ssh2', 'lib', 'protocol', 'crypto', 'build', 'Release');
  await fs.mkdir(release, { recursive: true });
  await fs.copyFile(standIn, path.join(release, 'sshcrypto.node'));
});
afterAll(async () => {
  if (root) await fs.rm(root, { recursive: true, force: true });
});

describe("ssh2's native cipher add-on (aborts Node 24 on GC of a closed connection's ciphers)", () => {
  it('is present in the copy, so a plain require of ssh2 would load it', () => {
    const plain = createRequire(path.join(root, 'node_modules', 'x.js'));
    const cryptoJs = plain('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean };
    expect(cryptoJs.bindingAvailable).toBe(true);
    delete plain.cache[plain.resolve('ssh2/lib/protocol/crypto.js')];
  });

  it('is never loaded by the app loader, whatever the install built', () => {
    const from = pathToFileURL(path.join(root, 'node_modules', 'loader.js')).href;
    const ssh2 = loadSsh2(from);
    expect(typeof ssh2.Client).toBe('function');
    const viaLoader = createRequire(from);
    const cryptoJs = viaLoader('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean };
    expect(viaLoader.resolve('ssh2/lib/protocol/crypto.js').startsWith(root)).toBe(true);
    expect(cryptoJs.bindingAvailable).toBe(false);
  });

  it('is not loaded for the app itself either', () => {
    const cryptoJs = projectRequire('ssh2/lib/protocol/crypto.js') as { bindingAvailable: boolean };
    expect(cryptoJs.bindingAvailable).toBe(false);
  });
});
