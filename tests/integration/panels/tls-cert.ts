import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** A self-signed certificate made by openssl for 127.0.0.1, with its SHA-256 fingerprint as openssl prints it. */
export interface SelfSignedCert {
  readonly key: string;
  readonly cert: string;
  /** "AB:CD:…" (openssl x509 -fingerprint -sha256). */
  readonly fingerprint: string;
}

/** Makes a fresh self-signed certificate for 127.0.0.1 / localhost with the real openssl. */
export function selfSignedCert(cn = '127.0.0.1'): SelfSignedCert {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'helperK-tls-'));
  try {
    const key = path.join(dir, 'key.pem');
    const crt = path.join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        crt,
        '-days',
        '2',
        '-subj',
        `/CN=${cn}`,
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: 'pipe' },
    );
    const out = execFileSync('openssl', ['x509', '-in', crt, '-noout', '-fingerprint', '-sha256'], {
      encoding: 'utf8',
    });
    const fingerprint = out.trim().split('=')[1] ?? '';
    return { key: fs.readFileSync(key, 'utf8'), cert: fs.readFileSync(crt, 'utf8'), fingerprint };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
