import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { jwtExpiry, TokenHolder } from '../../../src/main/drivers/http';

const key = new TextEncoder().encode('test-only-signing-key-0123456789abcdef');
function jwt(expSeconds: number, sub = 'u'): Promise<string> {
  return new SignJWT({ sub }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(expSeconds).sign(key);
}

describe('TokenHolder (jose decodeJwt)', () => {
  it('reads a JWT expiry and null for a non-JWT', async () => {
    expect(jwtExpiry(await jwt(2_000_000_000))).toBe(2_000_000_000_000);
    expect(jwtExpiry('not-a-jwt')).toBeNull();
  });

  it('refreshes before expiry, falls back to login when refresh fails, shares one refresh', async () => {
    let now = 1_000_000_000_000;
    const calls: string[] = [];
    let refreshWorks = true;
    const holder = new TokenHolder(
      {
        login: async () => {
          calls.push('login');
          return { accessToken: await jwt(now / 1000 + 600, 'login'), refreshToken: 'r1' };
        },
        refresh: async (rt) => {
          calls.push(`refresh:${rt}`);
          if (!refreshWorks) throw new Error('revoked');
          return { accessToken: await jwt(now / 1000 + 600, 'refresh'), refreshToken: 'r2' };
        },
      },
      { now: () => now, skewMs: 30_000 },
    );
    const t1 = await holder.token();
    expect(await holder.token()).toBe(t1);
    now += 580_000; // inside the 30 s skew before expiry
    const [a, b] = await Promise.all([holder.token(), holder.token()]);
    expect(a).toBe(b);
    expect(a).not.toBe(t1);
    expect(calls).toEqual(['login', 'refresh:r1']);
    refreshWorks = false;
    await holder.relogin();
    expect(calls).toEqual(['login', 'refresh:r1', 'refresh:r2', 'login']);
    expect(await holder.headers()).toEqual({ authorization: `Bearer ${await holder.token()}` });
  });
});
