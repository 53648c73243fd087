import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../src/main/core/create-core';
import { startWsHost, type WsHost } from '../../src/main/host/ws-host';
import { MIN_KDF } from '../../src/main/vault/crypto';
import type { SshdPeer } from '../../tests/integration/peers';
import { WsClient } from './ws-client';

/** A core with an unlocked vault holding one server (the peer, password auth), served on the WebSocket host. */
export interface BenchCore {
  readonly core: Core;
  readonly host: WsHost;
  readonly client: WsClient;
  readonly serverId: string;
  close(): Promise<void>;
}

/** Builds a {@link BenchCore} for `peer`; host keys are trusted on first prompt, as a user would. */
export async function benchCore(peer: SshdPeer, staticDir?: string): Promise<BenchCore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-bench-'));
  const core = createCore({ dataDir, kdf: MIN_KDF, logSink: () => undefined });
  const host = await startWsHost({ core, port: 0, ...(staticDir ? { staticDir } : {}) });
  const client = await WsClient.connect(host);
  await client.call('vault.create', { password: 'bench-master-password' });
  const cred = await client.call('credentials.create', { name: 'bench', kind: 'password', secret: peer.password });
  const server = await client.call('servers.create', {
    name: 'bench',
    host: peer.host,
    port: peer.port,
    user: peer.user,
    auth: 'password',
    credentialId: cred.id,
  });
  client.on((name, payload) => {
    if (name === 'ssh.hostKey.prompt')
      client.fire('ssh.hostKey.answer', { promptId: payload.promptId as string, trust: true });
  });
  return {
    core,
    host,
    client,
    serverId: server.id,
    async close() {
      client.close();
      await host.close();
      await core.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
