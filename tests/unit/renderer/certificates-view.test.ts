import { describe, expect, it } from 'vitest';
import type { Certificate } from '../../../src/shared/contract/certificates.contract';
import {
  certificateNames,
  daysLeft,
  filterCertificates,
  isoDay,
  issuerName,
  sortByExpiry,
  urgency,
} from '../../../src/renderer/features/certificates/inventory-view';
import {
  checkIssue,
  checkUpload,
  directoryUrl,
  issueInput,
  uploadInput,
  type HttpsForm,
} from '../../../src/renderer/features/certificates/https-form';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 5, 12);

function cert(over: Partial<Certificate>): Certificate {
  return {
    id: 'c1',
    serverId: '00000000-0000-4000-8000-000000000001',
    path: '/etc/ssl/a/fullchain.pem',
    source: 'nginx',
    domains: ['a.example.com'],
    subject: 'CN=a.example.com',
    sans: ['a.example.com', 'www.a.example.com'],
    issuer: 'C=US, O=Let’s Encrypt, CN=R11',
    notBefore: NOW - 60 * DAY,
    notAfter: NOW + 30 * DAY,
    serial: '01',
    keyType: 'ec',
    fingerprint: 'AB:CD',
    state: 'valid',
    served: [],
    renewal: null,
    scannedAt: NOW,
    ...over,
  };
}

describe('certificate inventory view', () => {
  it('counts whole days left, negative once expired', () => {
    expect(daysLeft(NOW + 30 * DAY, NOW)).toBe(30);
    expect(daysLeft(NOW + DAY - 1, NOW)).toBe(0);
    expect(daysLeft(NOW - 1, NOW)).toBe(-1);
  });

  it('colours by the 21/7-day thresholds and expiry', () => {
    expect(urgency(NOW + 22 * DAY, NOW)).toBe('ok');
    expect(urgency(NOW + 21 * DAY, NOW)).toBe('soon');
    expect(urgency(NOW + 8 * DAY, NOW)).toBe('soon');
    expect(urgency(NOW + 7 * DAY, NOW)).toBe('urgent');
    expect(urgency(NOW + 1, NOW)).toBe('urgent');
    expect(urgency(NOW, NOW)).toBe('expired');
  });

  it('sorts soonest expiry first and names each certificate once', () => {
    const a = cert({ id: 'a', notAfter: NOW + 90 * DAY });
    const b = cert({ id: 'b', notAfter: NOW + 5 * DAY });
    expect(sortByExpiry([a, b]).map((c) => c.id)).toEqual(['b', 'a']);
    expect(certificateNames(a)).toEqual(['a.example.com', 'www.a.example.com']);
    expect(isoDay(NOW)).toBe('2026-12-05');
  });

  it('shows the issuer by its common name, else its organization', () => {
    expect(issuerName('C=US, O=Let’s Encrypt, CN=R11')).toBe('R11');
    expect(issuerName('C=US, O=Example CA')).toBe('Example CA');
    expect(issuerName('weird')).toBe('weird');
  });

  it('filters by server, state and a search over names, issuer and path', () => {
    const certs = [
      cert({ id: 'a' }),
      cert({
        id: 'b',
        serverId: '00000000-0000-4000-8000-000000000002',
        state: 'mismatch',
        domains: ['b.org'],
        sans: [],
      }),
    ];
    const ids = (f: Parameters<typeof filterCertificates>[1]): string[] =>
      filterCertificates(certs, f).map((c) => c.id);
    expect(ids({ serverId: '', state: '', query: '' })).toEqual(['a', 'b']);
    expect(ids({ serverId: '00000000-0000-4000-8000-000000000002', state: '', query: '' })).toEqual(['b']);
    expect(ids({ serverId: '', state: 'mismatch', query: '' })).toEqual(['b']);
    expect(ids({ serverId: '', state: '', query: 'WWW.A' })).toEqual(['a']);
    expect(ids({ serverId: '', state: '', query: 'r11' })).toEqual(['a', 'b']);
    expect(ids({ serverId: '', state: '', query: 'nothing' })).toEqual([]);
  });
});

const FORM: HttpsForm = {
  directory: 'letsencrypt',
  customUrl: '',
  email: 'admin@example.org',
  redirectHttp: true,
  certificate: '',
  chain: '',
  key: '',
};
const ISSUE = new Set(['directoryUrl', 'email'] as const);
const UPLOAD = new Set(['certificate', 'chain', 'key'] as const);

describe('HTTPS dialog form', () => {
  it('maps the directory choice to its URL and builds the issue input', () => {
    expect(directoryUrl(FORM)).toBe('https://acme-v02.api.letsencrypt.org/directory');
    expect(directoryUrl({ ...FORM, directory: 'letsencrypt-staging' })).toContain('acme-staging-v02');
    expect(directoryUrl({ ...FORM, directory: 'custom', customUrl: ' https://ca.test/dir ' })).toBe(
      'https://ca.test/dir',
    );
    expect(issueInput('s', 'a.example.com', FORM, true)).toEqual({
      serverId: 's',
      domain: 'a.example.com',
      directoryUrl: 'https://acme-v02.api.letsencrypt.org/directory',
      email: 'admin@example.org',
      redirectHttp: true,
      dryRun: true,
    });
  });

  it("checks the ACME fields with the contract's messages", () => {
    expect(checkIssue(FORM, ISSUE)).toEqual({});
    expect(checkIssue({ ...FORM, directory: 'custom' }, ISSUE).directoryUrl).toMatch(/Give the ACME directory/);
    expect(checkIssue({ ...FORM, directory: 'custom', customUrl: 'http://ca.test/dir' }, ISSUE).directoryUrl).toMatch(
      /https:\/\//,
    );
    expect(checkIssue({ ...FORM, email: 'admin@' }, ISSUE).email).toBe('Not an email address.');
    expect(checkIssue({ ...FORM, email: '' }, ISSUE).email).toMatch(/expiry notices/);
    // Only touched fields are reported.
    expect(checkIssue({ ...FORM, email: '' }, new Set(['directoryUrl']))).toEqual({});
  });

  it('checks the PEM shapes of an upload and builds its input', () => {
    const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    const key = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----';
    expect(Object.keys(checkUpload(FORM, UPLOAD)).sort()).toEqual(['certificate', 'key']);
    expect(checkUpload({ ...FORM, certificate: pem, key }, UPLOAD)).toEqual({});
    expect(checkUpload({ ...FORM, certificate: pem, key, chain: 'junk' }, UPLOAD).chain).toMatch(/chain/);
    expect(
      checkUpload({ ...FORM, certificate: pem, key: key.replace(/PRIVATE/g, 'ENCRYPTED PRIVATE') }, UPLOAD).key,
    ).toBeDefined();
    expect(uploadInput('s', 'a.example.com', { ...FORM, certificate: pem, key }, false)).toEqual({
      serverId: 's',
      domain: 'a.example.com',
      certificate: `${pem}\n`,
      key: `${key}\n`,
      redirectHttp: true,
      dryRun: false,
    });
  });
});
