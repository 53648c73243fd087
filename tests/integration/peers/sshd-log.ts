import { readFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import type { SshdPeer } from './sshd';

/**
 * Waits (polling the sshd log, bounded: sshd has no event to wait for) until sshd logged the pre-auth end of a
 * connection after `offset`, and returns that part of the log. "[preauth]" skips the harness's own port probes.
 */
export async function logAfterDisconnect(peer: SshdPeer, offset: number): Promise<string> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const part = readFileSync(peer.logPath).subarray(offset).toString();
    if (/(Disconnected from|Connection closed by|Connection reset by) .*\[preauth\]/.test(part)) return part;
    if (Date.now() > deadline) throw new Error(`sshd logged no disconnect:\n${part}`);
    await delay(20);
  }
}
