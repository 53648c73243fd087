/**
 * Child process for tests/integration/sites-crash.test.ts: opens the data dir in argv[2] (vault password in
 * PD_TEST_PASSWORD), starts a static site create for argv[4] on server argv[3], and prints "held <operationId>"
 * when the plan reaches the step it must never start (nginx-reload). The parent SIGKILLs it right then.
 */
import { createCore } from '../../src/main/core/create-core';
import { MIN_KDF } from '../../src/main/vault/crypto';

const [dataDir = '', serverId = '', domain = ''] = process.argv.slice(2);
let operationId = '';
let held = false;
const core = createCore({
  dataDir,
  kdf: MIN_KDF,
  logSink: () => undefined,
  ssh: { idleGraceMs: 60_000 },
  testFaults: {
    holdBeforeStep: {
      stepId: 'nginx-reload',
      onHold: () => {
        held = true;
        if (operationId !== '') process.stdout.write(`held ${operationId}\n`);
      },
    },
  },
});
const ctx = { transport: 'in-process' as const };
// Stays up until killed; reports how its operation ends if it ever does (it must not).
setInterval(() => undefined, 60_000);
core.events.subscribe((name, p) => {
  const o = p as { id: string; state: string; error: string | null };
  if (name === 'operations.changed' && ['succeeded', 'failed', 'rolled_back'].includes(o.state)) {
    process.stderr.write(`operation ended: ${o.state} ${o.error ?? ''}\n`);
    process.exit(3);
  }
});
const r1 = await core.dispatcher.call('vault.unlock', { password: process.env.PD_TEST_PASSWORD ?? '' }, ctx);
if (!r1.ok) throw new Error(`vault.unlock: ${r1.error.code}`);
const r2 = await core.dispatcher.call('sites.create', { serverId, kind: 'static', domain }, ctx);
if (!r2.ok) throw new Error(`sites.create: ${r2.error.code} ${r2.error.message}`);
operationId = (r2.value as { operationId: string }).operationId;
if (held) process.stdout.write(`held ${operationId}\n`);
