import { describe, expect, it } from 'vitest';
import { PanelAdd, type PanelField } from '../../../src/shared/contract/panels.contract';
import { AppError } from '../../../src/shared/errors';
import { needsOtp, tlsTrust } from '../../../src/renderer/features/panels/panel-errors';
import {
  HTTP_KINDS,
  addInput,
  checkPanelForm,
  emptyPanelForm,
  panelFieldErrors,
} from '../../../src/renderer/features/panels/panel-form';
import {
  checkValues,
  initialValues,
  resourceFieldErrors,
  valuesInput,
} from '../../../src/renderer/features/panels/resource-form';

const FIELDS: PanelField[] = [
  { key: 'domain', label: 'Domain', type: 'text', required: true },
  {
    key: 'kind',
    label: 'Type',
    type: 'select',
    required: true,
    options: [
      { value: 'php', label: 'PHP' },
      { value: 'static', label: 'Static' },
    ],
  },
  { key: 'quota', label: 'Quota', type: 'number', required: false },
  { key: 'ssl', label: 'SSL', type: 'checkbox', required: false },
  { key: 'password', label: 'Password', type: 'password', required: false, secret: true },
];

describe('the "Add panel" form', () => {
  it('offers only the kinds reached over HTTP', () => {
    expect(HTTP_KINDS).toContain('cloudpanel-api');
    expect(HTTP_KINDS).toContain('ghostcp');
    expect(HTTP_KINDS).not.toContain('linux-ssh');
    expect(HTTP_KINDS).not.toContain('hestia');
  });

  it('asks for a user name except on API-key panels, and builds an input the contract accepts', () => {
    const cp = { ...emptyPanelForm(), kind: 'cloudpanel-api' as const, name: 'cp', baseUrl: 'https://cp.example.com' };
    expect(checkPanelForm(cp, true)).toEqual({ secret: 'Enter the API key.' });
    const ghost = { ...cp, kind: 'ghostcp' as const, secret: 'pw' };
    expect(checkPanelForm(ghost, true)).toEqual({ username: 'Enter the user name you sign in with.' });
    const input = addInput({ ...cp, secret: 'key', username: 'ignored' });
    expect(input).toEqual({
      name: 'cp',
      kind: 'cloudpanel-api',
      baseUrl: 'https://cp.example.com',
      credential: { username: null, secret: 'key' },
    });
    expect(PanelAdd.safeParse(input).success).toBe(true);
    expect(addInput({ ...cp, credentialMode: 'vault', credentialId: 'c-1' })).toMatchObject({ credentialId: 'c-1' });
    expect(checkPanelForm({ ...cp, baseUrl: 'ftp://x' }, true).baseUrl).toMatch(/http\(s\)/);
  });

  it("puts the core's answers against the form's fields", () => {
    const schema = new AppError('VALIDATION', 'Invalid input', {
      issues: [{ path: 'credential.secret', message: 'Too short' }],
    });
    expect(panelFieldErrors(schema)).toEqual({ secret: 'Too short' });
    const unsupported = new AppError('UNSUPPORTED', 'PanelDeck cannot drive aaPanel panels yet.', { field: 'kind' });
    expect(panelFieldErrors(unsupported)).toEqual({ kind: 'PanelDeck cannot drive aaPanel panels yet.' });
    expect(panelFieldErrors(new AppError('CONNECTION_FAILED', 'Down'))).toEqual({ _: 'Down' });
  });
});

describe('a generated resource create form', () => {
  it('starts on the first option of a required select, checks required fields and numbers', () => {
    const v = initialValues(FIELDS);
    expect(v).toEqual({ domain: '', kind: 'php', quota: '', ssl: false, password: '' });
    expect(checkValues(FIELDS, { ...v, quota: 'ten' })).toEqual({
      domain: 'Domain is required.',
      quota: 'Enter a number.',
    });
  });

  it('sends numbers as numbers, leaves empty optional fields out, and keeps a password as typed', () => {
    const v = { ...initialValues(FIELDS), domain: ' shop.example.com ', quota: '10', password: ' p w ' };
    expect(valuesInput(FIELDS, v)).toEqual({
      domain: 'shop.example.com',
      kind: 'php',
      quota: 10,
      ssl: false,
      password: ' p w ',
    });
  });

  it("shows the panel's 422 field list against the right fields, unknown fields on the form line", () => {
    const e = new AppError('VALIDATION', 'CloudPanel: Validation failed', {
      status: 422,
      fields: [
        { field: 'domain', message: 'Must be a valid domain name' },
        { field: 'vhostTemplate', message: 'Unknown template' },
      ],
      field: 'domain',
    });
    expect(resourceFieldErrors(e, FIELDS)).toEqual({
      domain: 'Must be a valid domain name',
      _: 'vhostTemplate: Unknown template',
    });
  });

  it("shows a driver's own check (details.field) and a schema issue on values.<key>", () => {
    const own = new AppError('VALIDATION', 'Give the new user a password.', { field: 'password' });
    expect(resourceFieldErrors(own, FIELDS)).toEqual({ password: 'Give the new user a password.' });
    const schema = new AppError('VALIDATION', 'Invalid input', { issues: [{ path: 'values.quota', message: 'Bad' }] });
    expect(resourceFieldErrors(schema, FIELDS)).toEqual({ quota: 'Bad' });
    expect(resourceFieldErrors(new AppError('CONFLICT', 'Exists'), FIELDS)).toEqual({ _: 'Exists' });
  });
});

describe('connection test answers', () => {
  const details = {
    kind: 'tls',
    host: '127.0.0.1',
    port: 8443,
    hostPort: '127.0.0.1:8443',
    fingerprint: 'AB:CD',
    subject: 'panel',
    issuer: 'panel',
    validTo: 'Dec 7 2026',
    reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  };

  it('reads a TLS trust error (first contact and changed), not an SSH host-key one', () => {
    expect(tlsTrust(new AppError('HOST_KEY_UNKNOWN', 'x', details))).toMatchObject({
      hostPort: '127.0.0.1:8443',
      fingerprint: 'AB:CD',
      expected: null,
    });
    expect(tlsTrust(new AppError('HOST_KEY_CHANGED', 'x', { ...details, expected: '01:02' }))?.expected).toBe('01:02');
    expect(
      tlsTrust(new AppError('HOST_KEY_UNKNOWN', 'x', { host: 'h', port: 22, fingerprint: 'SHA256:x' })),
    ).toBeNull();
    expect(tlsTrust(new AppError('AUTH_FAILED', 'x', details))).toBeNull();
  });

  it('tells a 2FA challenge from a refused sign-in', () => {
    expect(needsOtp(new AppError('AUTH_FAILED', 'code', { needsOtp: true }))).toBe(true);
    expect(needsOtp(new AppError('AUTH_FAILED', 'bad password'))).toBe(false);
  });
});
