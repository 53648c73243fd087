import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { AppError } from '../../shared/errors';

/** What the inventory keeps of one X.509 certificate (parsed with Node's X509Certificate). */
export interface CertificateInfo {
  readonly subject: string;
  /** DNS names of the subjectAltName extension (IP addresses prefixed `IP:`). */
  readonly sans: string[];
  readonly issuer: string;
  readonly notBefore: number;
  readonly notAfter: number;
  readonly serial: string;
  /** e.g. `EC P-256`, `RSA 2048`, `ED25519`. */
  readonly keyType: string;
  /** SHA-256 of the DER, as `AB:CD:…`. */
  readonly fingerprint: string;
}

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Every certificate block of a PEM text, in order. */
export function pemCertificates(text: string): string[] {
  return text.match(PEM_CERT) ?? [];
}

/** The key type of a certificate's public key, readable. */
function keyTypeOf(x: X509Certificate): string {
  const k = x.publicKey;
  const d = k.asymmetricKeyDetails ?? {};
  switch (k.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return `RSA ${d.modulusLength ?? '?'}`;
    case 'ec': {
      const curve = d.namedCurve ?? '?';
      const named: Record<string, string> = { prime256v1: 'P-256', secp384r1: 'P-384', secp521r1: 'P-521' };
      return `EC ${named[curve] ?? curve}`;
    }
    default:
      return (k.asymmetricKeyType ?? 'unknown').toUpperCase();
  }
}

function sansOf(x: X509Certificate): string[] {
  const raw = x.subjectAltName;
  if (!raw) return [];
  return raw
    .split(/,\s*/)
    .map((part) => {
      if (part.startsWith('DNS:')) return part.slice(4);
      if (part.startsWith('IP Address:')) return `IP:${part.slice(11)}`;
      return null;
    })
    .filter((s): s is string => s !== null);
}

/** Parses one certificate (PEM or DER) into the inventory's fields. */
export function certificateInfo(cert: string | Buffer): CertificateInfo {
  const x = new X509Certificate(cert);
  return infoOf(x);
}

/** The inventory's fields of a parsed certificate. */
export function infoOf(x: X509Certificate): CertificateInfo {
  return {
    subject: x.subject.replace(/\n/g, ', '),
    sans: sansOf(x),
    issuer: x.issuer.replace(/\n/g, ', '),
    notBefore: Date.parse(x.validFrom),
    notAfter: Date.parse(x.validTo),
    serial: x.serialNumber,
    keyType: keyTypeOf(x),
    fingerprint: x.fingerprint256,
  };
}

/** SHA-256 fingerprint (`AB:CD:…`) of a DER certificate, as the TLS probe returns it. */
export function fingerprintOfDer(der: Buffer): string {
  return new X509Certificate(der).fingerprint256;
}

/** A checked certificate bundle, ready to install: the full chain (leaf first) and the key, both PEM. */
export interface CheckedBundle {
  readonly fullchain: string;
  readonly key: string;
  readonly leaf: CertificateInfo;
}

/**
 * Checks a certificate, its chain and its private key before anything is uploaded (custom certificates): the PEM
 * parses, the key belongs to the certificate, and each certificate of the chain is issued (and signed) by the next
 * one. Raises VALIDATION naming the field and the problem; the key's text never appears in a message.
 */
export function checkBundle(input: { certificate: string; chain?: string | undefined; key: string }): CheckedBundle {
  const leafPems = pemCertificates(input.certificate);
  if (leafPems.length === 0) {
    throw new AppError('VALIDATION', 'The certificate is not a PEM certificate (-----BEGIN CERTIFICATE-----).', {
      field: 'certificate',
    });
  }
  const chainPems = [...leafPems.slice(1), ...pemCertificates(input.chain ?? '')];
  if ((input.chain ?? '').trim() !== '' && pemCertificates(input.chain ?? '').length === 0) {
    throw new AppError('VALIDATION', 'The chain holds no PEM certificate.', { field: 'chain' });
  }
  const parse = (pem: string, field: string, n: number): X509Certificate => {
    try {
      return new X509Certificate(pem);
    } catch {
      throw new AppError('VALIDATION', `Certificate ${n} of the ${field} cannot be read.`, { field });
    }
  };
  const leaf = parse(leafPems[0] as string, 'certificate', 1);
  const chain = chainPems.map((p, i) => parse(p, 'chain', i + 1));
  let key: KeyObject;
  try {
    key = createPrivateKey(input.key);
  } catch {
    throw new AppError('VALIDATION', 'The private key cannot be read (PEM, unencrypted).', { field: 'key' });
  }
  if (!leaf.checkPrivateKey(key)) {
    throw new AppError('VALIDATION', 'The private key does not belong to this certificate.', { field: 'key' });
  }
  const all = [leaf, ...chain];
  for (let i = 0; i + 1 < all.length; i++) {
    const child = all[i] as X509Certificate;
    const parent = all[i + 1] as X509Certificate;
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      const which = i === 0 ? 'the certificate' : `chain certificate ${i}`;
      throw new AppError(
        'VALIDATION',
        `The chain is out of order: chain certificate ${i + 1} did not issue ${which}; put the issuer of each certificate right after it.`,
        { field: 'chain' },
      );
    }
  }
  const fullchain = `${all.map((x) => x.toString().trim()).join('\n')}\n`;
  const keyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
  return { fullchain, key: keyPem, leaf: infoOf(leaf) };
}
