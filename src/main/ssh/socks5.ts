/**
 * The small part of SOCKS5 (RFC 1928) a dynamic forward needs: "no auth" and CONNECT, parsed from a byte buffer.
 * Why hand-written: it is ~60 lines, and the parser is pure, so it is unit-tested without sockets.
 */

export const SOCKS_VERSION = 5;
/** Reply codes (RFC 1928 §6). */
export const SocksReply = {
  succeeded: 0x00,
  generalFailure: 0x01,
  notAllowed: 0x02,
  hostUnreachable: 0x04,
  connectionRefused: 0x05,
  commandNotSupported: 0x07,
  addressTypeNotSupported: 0x08,
} as const;

/** Result of a parse step: need more bytes, a protocol error, or the parsed value plus how many bytes it used. */
export type Parsed<T> =
  { kind: 'more' } | { kind: 'error'; reply: number; message: string } | { kind: 'ok'; value: T; used: number };

/** Parses the client greeting (VER NMETHODS METHODS...). */
export function parseGreeting(buf: Buffer): Parsed<{ methods: number[] }> {
  if (buf.length < 2) return { kind: 'more' };
  if (buf[0] !== SOCKS_VERSION) return { kind: 'error', reply: SocksReply.generalFailure, message: 'not SOCKS5' };
  const n = buf[1] ?? 0;
  if (buf.length < 2 + n) return { kind: 'more' };
  return { kind: 'ok', value: { methods: [...buf.subarray(2, 2 + n)] }, used: 2 + n };
}

/** Parses a request (VER CMD RSV ATYP DST.ADDR DST.PORT); only CONNECT is accepted. */
export function parseRequest(buf: Buffer): Parsed<{ host: string; port: number }> {
  if (buf.length < 5) return { kind: 'more' };
  if (buf[0] !== SOCKS_VERSION) return { kind: 'error', reply: SocksReply.generalFailure, message: 'not SOCKS5' };
  const atyp = buf[3];
  let host: string;
  let at: number;
  if (atyp === 0x01) {
    if (buf.length < 10) return { kind: 'more' };
    host = [...buf.subarray(4, 8)].join('.');
    at = 8;
  } else if (atyp === 0x03) {
    const len = buf[4] ?? 0;
    if (buf.length < 5 + len + 2) return { kind: 'more' };
    host = buf.subarray(5, 5 + len).toString('latin1');
    at = 5 + len;
    if (len === 0) return { kind: 'error', reply: SocksReply.hostUnreachable, message: 'empty host name' };
  } else if (atyp === 0x04) {
    if (buf.length < 22) return { kind: 'more' };
    const parts: string[] = [];
    for (let i = 4; i < 20; i += 2) parts.push(buf.readUInt16BE(i).toString(16));
    host = parts.join(':');
    at = 20;
  } else {
    return { kind: 'error', reply: SocksReply.addressTypeNotSupported, message: `address type ${atyp}` };
  }
  if (buf[1] !== 0x01) return { kind: 'error', reply: SocksReply.commandNotSupported, message: `command ${buf[1]}` };
  return { kind: 'ok', value: { host, port: buf.readUInt16BE(at) }, used: at + 2 };
}

/** A reply with a zero IPv4 bound address (clients ignore it for CONNECT). */
export function reply(code: number): Buffer {
  return Buffer.from([SOCKS_VERSION, code, 0x00, 0x01, 0, 0, 0, 0, 0, 0]);
}
