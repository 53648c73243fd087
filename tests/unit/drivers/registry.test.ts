import { describe, expect, it } from 'vitest';
import type { Server } from '../../../src/shared/contract/inventory.contract';
import { DriverRegistry } from '../../../src/main/drivers/registry';
import type { ConnectionManager } from '../../../src/main/ssh/connection-manager';

const ID = '11111111-1111-4111-8111-111111111111';

function server(panels: Server['panels'], updatedAt = 1): Server {
  return {
    id: ID,
    name: 'web',
    host: '192.0.2.10',
    port: 22,
    user: 'root',
    auth: 'key',
    credentialId: null,
    jumpHostIds: [],
    panels,
    tags: [],
    group: null,
    notes: '',
    createdAt: 1,
    updatedAt,
  };
}

describe('driver registry (no connection is opened: drivers are built, not used)', () => {
  it('picks the panel CLI bound to the server, else linux-ssh, and rebuilds when the server changes', () => {
    let current = server([]);
    const registry = new DriverRegistry({
      manager: {} as ConnectionManager,
      server: () => current,
      target: () => ({ id: ID, host: current.host, port: 22, user: 'root', auth: 'key', jump: [] }),
      now: () => 0,
    });
    const first = registry.driver(ID);
    expect(first.kind).toBe('linux-ssh');
    expect(registry.driver(ID)).toBe(first);
    current = server([{ kind: 'hestia', endpoint: null, credentialId: null } as never], 2);
    expect(registry.driver(ID).kind).toBe('hestia');
    current = server([{ kind: 'cloudpanel-cli', endpoint: null, credentialId: null } as never], 3);
    expect(registry.driver(ID).kind).toBe('cloudpanel-cli');
    expect(() => registry.for(ID, 'metrics')).toThrow(/has no metrics/);
  });
});
