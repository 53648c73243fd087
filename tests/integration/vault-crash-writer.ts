/**
 * Child process for tests/integration/vault-crash.test.ts: unlocks the vault in argv[2] (password in
 * PD_TEST_PASSWORD), prints "ready", waits for a line on stdin, then writes records in a tight loop through the real dispatcher, printing "<kind> <id>" on
 * stdout after each call returns (i.e. after its transaction committed). The parent SIGKILLs it at a random point.
 */
import { createCore } from '../../src/main/core/create-core';
import { MIN_KDF } from '../../src/main/vault/crypto';

const dataDir = process.argv[2] ?? '';
const core = createCore({ dataDir, kdf: MIN_KDF, logSink: () => undefined });
const ctx = { transport: 'in-process' as const };
const call = async (method: string, input: unknown): Promise<{ id: string }> => {
  const r = await core.dispatcher.call(method, input, ctx);
  if (!r.ok) throw new Error(`${method}: ${r.error.code}`);
  return r.value as { id: string };
};

await call('vault.unlock', { password: process.env.PD_TEST_PASSWORD ?? '' });
process.stdout.write('ready\n');
// Start writing when the parent says so: it warms up the next writer while this one runs.
await new Promise((resolve) => process.stdin.once('data', resolve));
for (let n = 0; ; n++) {
  const tag = `${process.pid}-${n}`;
  const cred = await call('credentials.create', {
    name: `cred ${tag}`,
    kind: 'password',
    secret: `secret-${tag}`.repeat(20),
  });
  process.stdout.write(`credential ${cred.id}\n`);
  const server = await call('servers.create', {
    name: `srv ${tag}`,
    host: `h${n}.example.com`,
    user: 'root',
    auth: 'password',
    credentialId: cred.id,
    notes: 'x'.repeat(n % 3000),
  });
  process.stdout.write(`server ${server.id}\n`);
  if (n % 3 === 2) {
    // A multi-row transaction: deleting the credential detaches it from the server in the same commit.
    // "deleting" first: if the kill lands after the commit but before "deleted", the parent knows it may be gone.
    process.stdout.write(`deleting ${cred.id}\n`);
    await call('credentials.delete', { id: cred.id, force: true });
    process.stdout.write(`deleted ${cred.id}\n`);
  }
}
