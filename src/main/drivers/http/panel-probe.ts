import type { ProbeResult } from '../capabilities';

/**
 * The probe result of a panel reached over its HTTP API: no shell, so no OS, PHP, database engines or server tools
 * are seen; only whether the account is privileged (and the web server when the panel's API implies one).
 */
export function apiProbe(privileged: boolean, webServer: ProbeResult['webServer'] = null): ProbeResult {
  return {
    at: Date.now(),
    os: null,
    webServer,
    php: [],
    databases: [],
    tools: { certbot: false, clpctl: false, hestia: false, sudo: false },
    privileged,
  };
}

/** A driver's `probe(refresh)`: `read` runs once and its answer is kept until a refresh asks again. */
export function cachedProbe(read: () => Promise<ProbeResult>): (refresh?: boolean) => Promise<ProbeResult> {
  let cached: ProbeResult | null = null;
  return async (refresh = false) => {
    if (cached && !refresh) return cached;
    cached = await read();
    return cached;
  };
}
