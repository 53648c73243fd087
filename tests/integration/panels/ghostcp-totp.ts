import crypto from 'node:crypto';

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s steps) for the loopback GhostCP's 2FA accounts and the tests. */
export function totp(secret: string, at: number = Date.now(), step = 0): string {
  const counter = Math.floor(at / 30_000) + step;
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const h = crypto.createHmac('sha1', Buffer.from(secret, 'utf8')).update(msg).digest();
  const offset = (h[h.length - 1] ?? 0) & 0xf;
  const code = (h.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(code).padStart(6, '0');
}

/** Whether `code` is the TOTP of `secret` now, one step either side (clock drift, as GhostCP allows). */
export function totpValid(secret: string, code: string, at: number = Date.now()): boolean {
  return [-1, 0, 1].some((s) => totp(secret, at, s) === code);
}
