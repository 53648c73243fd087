import { describe, expect, test } from 'vitest';
import {
  DEFAULT_KDF,
  kdfParamsAcceptable,
  MIN_KDF,
  newKey,
  padJson,
  seal,
  tryOpen,
} from '../../../src/main/vault/crypto';
import { recordAad } from '../../../src/main/vault/record-kinds';
import { delayAfter, retryAfter } from '../../../src/main/vault/unlock-throttle';

describe('vault crypto', () => {
  test('a sealed record opens only with the same key and associated data', () => {
    const key = newKey();
    const aad = recordAad('id-1', 'server', 1);
    const sealed = seal(key, Buffer.from('hello'), aad);
    expect(tryOpen(key, sealed, aad)?.toString()).toBe('hello');
    expect(tryOpen(key, sealed, recordAad('id-2', 'server', 1))).toBeNull();
    expect(tryOpen(key, sealed, recordAad('id-1', 'credential', 1))).toBeNull();
    expect(tryOpen(key, sealed, recordAad('id-1', 'server', 2))).toBeNull();
    expect(tryOpen(newKey(), sealed, aad)).toBeNull();
    const flipped = Buffer.from(sealed.ciphertext);
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    expect(tryOpen(key, { nonce: sealed.nonce, ciphertext: flipped }, aad)).toBeNull();
  });

  test('padding hides lengths in 256-byte buckets and stays valid JSON', () => {
    expect(padJson('{"a":"x"}').length).toBe(256);
    expect(padJson(JSON.stringify({ a: 'x'.repeat(200) })).length).toBe(256);
    expect(padJson(JSON.stringify({ a: 'x'.repeat(300) })).length).toBe(512);
    expect(JSON.parse(padJson('{"a":1}').toString())).toEqual({ a: 1 });
  });

  test('KDF floor is the contract minimum; the default is stronger', () => {
    expect(kdfParamsAcceptable(MIN_KDF)).toBe(true);
    expect(kdfParamsAcceptable({ ...MIN_KDF, memoryKiB: 65_535 })).toBe(false);
    expect(kdfParamsAcceptable({ ...MIN_KDF, iterations: 2 })).toBe(false);
    expect(kdfParamsAcceptable({ ...MIN_KDF, memoryKiB: 64 * 1024 * 1024 })).toBe(false);
    expect(DEFAULT_KDF.memoryKiB).toBeGreaterThanOrEqual(65_536);
    expect(DEFAULT_KDF.iterations).toBeGreaterThanOrEqual(3);
  });

  test('unlock delay grows 0,1,2,4,8,16 s and caps at 30 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map(delayAfter)).toEqual([0, 1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect(retryAfter(0, 0, 10)).toBeNull();
    expect(retryAfter(3, 1000, 1500)).toBe(3000);
    expect(retryAfter(3, 1000, 3000)).toBeNull();
  });
});
