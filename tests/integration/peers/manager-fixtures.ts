import type { Payload } from '../../../src/shared/contract';
import type { CoreHarness } from '../../support/core-harness';
import type { ServerHost } from './server-host';

type Op = Payload<'operations.changed'>;
const FINAL = new Set(['succeeded', 'failed', 'rolled_back', 'cancelled', 'interrupted']);

/** Answers every host-key prompt of the harness's core with "trust" (first contact with a test server). */
export function trustHostKeys(h: CoreHarness): void {
  h.core.events.subscribe((name, payload) => {
    if (name !== 'ssh.hostKey.prompt') return;
    const p = payload as Payload<'ssh.hostKey.prompt'>;
    queueMicrotask(() => void h.call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
  });
}

/** Adds the whole-server peer as a server signed in as root with its key; returns the server id. */
export async function addServerHost(h: CoreHarness, server: ServerHost, name = 'web-1'): Promise<string> {
  const cred = await h.call('credentials.create', {
    name: `${name} root key`,
    kind: 'ssh-key',
    secret: server.rootKey,
    passphrase: null,
  });
  const s = await h.call('servers.create', {
    name,
    host: server.address,
    port: server.sshPort,
    user: 'root',
    auth: 'key',
    credentialId: cred.id,
    jumpHostIds: [],
  });
  return s.id;
}

/** Waits until the operation ends and returns it with its steps, logs and commands (operations.get). */
export async function settled(h: CoreHarness, operationId: string, timeoutMs = 60_000): Promise<Op> {
  await h.waitFor('operations.changed', (p) => p.id === operationId && FINAL.has(p.state), { timeoutMs });
  return h.call('operations.get', { id: operationId });
}
