import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateInfo, checkBundle } from '../../../src/main/drivers/certificate-pem';
import { AppError } from '../../../src/shared/errors';

/** A root, an intermediate and a leaf made by openssl (the real tool, not a mock). */
let dir: string;
const pem = (name: string): string => readFileSync(join(dir, name), 'utf8');

function ssl(args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pd-pem-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  writeFileSync(join(dir, 'ca.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n');
  writeFileSync(join(dir, 'leaf.ext'), 'subjectAltName=DNS:shop.test,DNS:www.shop.test\nbasicConstraints=CA:FALSE\n');
  ssl([
    'req',
    '-x509',
    ...ec,
    '-days',
    '30',
    '-subj',
    '/CN=Test Root',
    '-keyout',
    'root.key',
    '-out',
    'root.pem',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  ssl(['req', ...ec, '-subj', '/CN=Test Intermediate', '-keyout', 'int.key', '-out', 'int.csr']);
  ssl([
    'x509',
    '-req',
    '-in',
    'int.csr',
    '-CA',
    'root.pem',
    '-CAkey',
    'root.key',
    '-CAcreateserial',
    '-days',
    '30',
    '-out',
    'int.pem',
    '-extfile',
    'ca.ext',
  ]);
  ssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=shop.test', '-keyout', 'leaf.key', '-out', 'leaf.csr']);
  ssl([
    'x509',
    '-req',
    '-in',
    'leaf.csr',
    '-CA',
    'int.pem',
    '-CAkey',
    'int.key',
    '-CAcreateserial',
    '-days',
    '20',
    '-out',
    'leaf.pem',
    '-extfile',
    'leaf.ext',
  ]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function validationOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a VALIDATION error');
}

describe('PEM checks for custom certificates', () => {
  it('parses SANs, issuer, validity, serial, key type and the SHA-256 fingerprint', () => {
    const info = certificateInfo(pem('leaf.pem'));
    expect(info.sans).toEqual(['shop.test', 'www.shop.test']);
    expect(info.issuer).toContain('CN=Test Intermediate');
    expect(info.keyType).toBe('RSA 2048');
    expect(info.fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(info.notAfter - info.notBefore).toBe(20 * 86_400_000);
    expect(certificateInfo(pem('int.pem')).keyType).toBe('EC P-256');
  });

  it('accepts a matching key and a chain in order; returns the full chain leaf first', () => {
    const b = checkBundle({ certificate: pem('leaf.pem'), chain: pem('int.pem'), key: pem('leaf.key') });
    expect(b.fullchain.match(/BEGIN CERTIFICATE/g)).toHaveLength(2);
    expect(b.fullchain.indexOf(pem('leaf.pem').trim().slice(30, 90))).toBeLessThan(
      b.fullchain.indexOf(pem('int.pem').trim().slice(30, 90)),
    );
    expect(b.leaf.sans).toContain('shop.test');
    // The root may follow the intermediate.
    expect(() =>
      checkBundle({ certificate: pem('leaf.pem'), chain: pem('int.pem') + pem('root.pem'), key: pem('leaf.key') }),
    ).not.toThrow();
  });

  it('refuses a key of another certificate, without echoing it', () => {
    const e = validationOf(() =>
      checkBundle({ certificate: pem('leaf.pem'), chain: pem('int.pem'), key: pem('int.key') }),
    );
    expect(e.code).toBe('VALIDATION');
    expect(e.details).toMatchObject({ field: 'key' });
    expect(e.message).toMatch(/does not belong/);
    expect(e.message).not.toContain('PRIVATE KEY');
  });

  it('refuses a chain out of order (root before intermediate) and a chain that did not issue the leaf', () => {
    const swapped = validationOf(() =>
      checkBundle({ certificate: pem('leaf.pem'), chain: pem('root.pem') + pem('int.pem'), key: pem('leaf.key') }),
    );
    expect(swapped.details).toMatchObject({ field: 'chain' });
    expect(swapped.message).toMatch(/out of order/);
    const foreign = validationOf(() =>
      checkBundle({ certificate: pem('int.pem'), chain: pem('leaf.pem'), key: pem('int.key') }),
    );
    expect(foreign.details).toMatchObject({ field: 'chain' });
  });

  it('refuses text that is not PEM, and an unreadable key', () => {
    expect(validationOf(() => checkBundle({ certificate: 'hello', key: pem('leaf.key') })).details).toMatchObject({
      field: 'certificate',
    });
    expect(
      validationOf(() => checkBundle({ certificate: pem('leaf.pem'), chain: 'junk', key: pem('leaf.key') })).details,
    ).toMatchObject({ field: 'chain' });
    expect(validationOf(() => checkBundle({ certificate: pem('leaf.pem'), key: 'nope' })).details).toMatchObject({
      field: 'key',
    });
  });
});
