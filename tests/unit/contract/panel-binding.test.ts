import { describe, expect, it } from 'vitest';
import { DriverKind, PanelBinding, ServerFields } from '../../../src/shared/contract/inventory.contract';
import { PANEL_KINDS, panelKindLabel, panelNeedsEndpoint } from '../../../src/shared/panel-kinds';

const base = { name: 'web-1', host: 'web1.example.com', user: 'deploy', auth: 'key' as const };

describe('panel bindings: SSH kinds take no URL, HTTP kinds need one', () => {
  it('every kind the contract lists has a human name and a transport', () => {
    for (const kind of DriverKind.options) {
      expect(PANEL_KINDS[kind].label, kind).not.toBe(kind);
      expect(['ssh', 'http']).toContain(PANEL_KINDS[kind].transport);
    }
    expect(panelKindLabel('linux-ssh')).toBe('Linux server over SSH');
    expect(panelKindLabel('cloudpanel-cli')).toBe('CloudPanel (clpctl over SSH)');
    expect(panelKindLabel('website-factory')).toBe('Website Factory hub');
  });

  it.each(['linux-ssh', 'cloudpanel-cli', 'hestia'] as const)('%s is valid without an endpoint', (kind) => {
    expect(panelNeedsEndpoint(kind)).toBe(false);
    expect(PanelBinding.parse({ kind, credentialId: null })).toEqual({ kind, endpoint: null, credentialId: null });
    expect(PanelBinding.safeParse({ kind, endpoint: null, credentialId: null }).success).toBe(true);
    // A server with such a binding saves as it is.
    const server = ServerFields.parse({ ...base, panels: [{ kind, endpoint: null, credentialId: null }] });
    expect(server.panels).toEqual([{ kind, endpoint: null, credentialId: null }]);
  });

  it.each(['cloudpanel-api', 'ghostcp', 'nexuspanel', 'skypanel', 'website-factory', 'aapanel'] as const)(
    '%s needs its endpoint, with a message that names the kind',
    (kind) => {
      expect(panelNeedsEndpoint(kind)).toBe(true);
      const r = PanelBinding.safeParse({ kind, endpoint: null, credentialId: null });
      expect(r.success).toBe(false);
      expect(r.error?.issues).toEqual([
        expect.objectContaining({ path: ['endpoint'], message: expect.stringContaining(PANEL_KINDS[kind].label) }),
      ]);
      const ok = PanelBinding.safeParse({ kind, endpoint: 'https://panel.example.com:8443', credentialId: null });
      expect(ok.success).toBe(true);
    },
  );

  it('an endpoint, when given, is still an http(s) URL', () => {
    for (const endpoint of ['not a url', 'ftp://panel.example.com', 'javascript:alert(1)']) {
      const r = PanelBinding.safeParse({ kind: 'cloudpanel-api', endpoint, credentialId: null });
      expect(r.success, endpoint).toBe(false);
      expect(r.error?.issues[0]?.message).toMatch(/http\(s\):\/\//);
    }
    expect(PanelBinding.safeParse({ kind: 'linux-ssh', endpoint: 'ftp://x.example', credentialId: null }).success).toBe(
      false,
    );
  });
});
