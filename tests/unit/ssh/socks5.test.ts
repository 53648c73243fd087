import { describe, expect, it } from 'vitest';
import { SocksReply, parseGreeting, parseRequest, reply } from '../../../src/main/ssh/socks5';

describe('SOCKS5 parsing', () => {
  it('greeting: waits for all methods, then reports them and the bytes used', () => {
    expect(parseGreeting(Buffer.from([5]))).toEqual({ kind: 'more' });
    expect(parseGreeting(Buffer.from([5, 2, 0]))).toEqual({ kind: 'more' });
    expect(parseGreeting(Buffer.from([5, 2, 0, 2, 9]))).toEqual({ kind: 'ok', value: { methods: [0, 2] }, used: 4 });
    expect(parseGreeting(Buffer.from([4, 1, 0]))).toMatchObject({ kind: 'error' });
  });

  it('CONNECT requests with IPv4, domain and IPv6 addresses, byte by byte', () => {
    const v4 = Buffer.from([5, 1, 0, 1, 127, 0, 0, 1, 0x1f, 0x90]);
    for (let i = 0; i < v4.length; i++) expect(parseRequest(v4.subarray(0, i)).kind).toBe('more');
    expect(parseRequest(v4)).toEqual({ kind: 'ok', value: { host: '127.0.0.1', port: 8080 }, used: 10 });
    const name = Buffer.from('example.org');
    const dom = Buffer.concat([Buffer.from([5, 1, 0, 3, name.length]), name, Buffer.from([0, 80]), Buffer.from('GET')]);
    expect(parseRequest(dom)).toEqual({ kind: 'ok', value: { host: 'example.org', port: 80 }, used: dom.length - 3 });
    const v6 = Buffer.concat([Buffer.from([5, 1, 0, 4]), Buffer.alloc(15), Buffer.from([1, 0, 22])]);
    expect(parseRequest(v6)).toEqual({ kind: 'ok', value: { host: '0:0:0:0:0:0:0:1', port: 22 }, used: 22 });
  });

  it('refuses BIND/UDP and unknown address types with the right reply code', () => {
    expect(parseRequest(Buffer.from([5, 2, 0, 1, 127, 0, 0, 1, 0, 80]))).toMatchObject({
      kind: 'error',
      reply: SocksReply.commandNotSupported,
    });
    expect(parseRequest(Buffer.from([5, 1, 0, 9, 0]))).toMatchObject({
      kind: 'error',
      reply: SocksReply.addressTypeNotSupported,
    });
    expect([...reply(SocksReply.succeeded)]).toEqual([5, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
});
