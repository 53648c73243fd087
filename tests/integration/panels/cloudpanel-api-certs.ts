import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A certificate for a site, made by the real openssl: its PEM, its private key and its SHA-256 fingerprint. */
export interface SiteCert {
  readonly cert: string;
  readonly key: string;
  readonly fingerprint: string;
}

/** Makes a self-signed certificate for `domain` (subjectAltName DNS:domain), valid for `days`. */
export function siteCert(domain: string, days = 30): SiteCert {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helperK-cp-cert-'));
  try {
    const key = path.join(dir, 'key.pem');
    const crt = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        crt,
        '-days',
        String(days),
        '-subj',
        `/CN=${domain}`,
        '-addext',
        `subjectAltName=DNS:${domain}`,
      ],
      { stdio: 'pipe' },
    );
    const out = execFileSync('openssl', ['x509', '-in', crt, '-noout', '-fingerprint', '-sha256'], {
      encoding: 'utf8',
    });
    return {
      cert: fs.readFileSync(crt, 'utf8'),
      key: fs.readFileSync(key, 'utf8'),
      fingerprint: out.trim().split('=')[1] ?? '',
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
