/**
 * Flags for every Chromium the tests and benches start on these machines: no sandbox (root), no GPU, and nothing
 * that reaches for the network beyond loopback (the machine's closed network refuses it, many times a start).
 */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
] as const;
