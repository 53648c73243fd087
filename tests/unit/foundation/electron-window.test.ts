import { describe, expect, it } from 'vitest';
import { isTrustedSenderUrl } from '../../../src/main/electron/trusted-sender';
import { ELECTRON_CSP, mainWindowOptions } from '../../../src/main/electron/window-options';

describe('Electron window security defaults', () => {
  it('isolates and sandboxes the renderer with no Node integration', () => {
    const prefs = mainWindowOptions('/app/preload.cjs', true).webPreferences;
    expect(prefs).toMatchObject({
      preload: '/app/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      disableBlinkFeatures: 'Auxclick',
    });
  });

  it('ships a strict CSP: no inline or remote scripts, no eval', () => {
    expect(ELECTRON_CSP).toContain("default-src 'none'");
    expect(ELECTRON_CSP).toContain("script-src 'self'");
    expect(ELECTRON_CSP).not.toMatch(/script-src[^;]*(unsafe-inline|unsafe-eval|https?:)/);
    expect(ELECTRON_CSP).toContain("frame-ancestors 'none'");
  });
});

describe('trusted IPC sender', () => {
  const trusted = {
    fileUrl: 'file:///opt/PanelDeck/resources/app.asar/out/renderer/index.html',
    devOrigin: 'http://localhost:5173',
  };
  it('accepts our own page and the dev server', () => {
    expect(isTrustedSenderUrl('file:///opt/PanelDeck/resources/app.asar/out/renderer/index.html', trusted)).toBe(true);
    expect(
      isTrustedSenderUrl('file:///opt/PanelDeck/resources/app.asar/out/renderer/index.html#/servers', trusted),
    ).toBe(true);
    expect(isTrustedSenderUrl('http://localhost:5173/', trusted)).toBe(true);
  });
  it('refuses other files, other origins and garbage', () => {
    for (const url of [
      'file:///tmp/evil.html',
      'https://example.com/',
      'http://localhost:5174/',
      'about:blank',
      '',
      'not a url',
      undefined,
    ]) {
      expect(isTrustedSenderUrl(url, trusted), String(url)).toBe(false);
    }
    expect(isTrustedSenderUrl('http://localhost:5173/', { fileUrl: trusted.fileUrl })).toBe(false);
  });
});
