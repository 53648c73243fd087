import type { Input } from '../../../shared/contract';
import { certificatesMethods } from '../../../shared/contract/certificates.contract';
import type { FieldErrors } from '../../lib/errors';

/** The ACME directories offered by name; anything else is a custom URL (ZeroSSL, a private CA, pebble). */
export const DIRECTORIES = [
  { id: 'letsencrypt', label: "Let's Encrypt", url: 'https://acme-v02.api.letsencrypt.org/directory' },
  {
    id: 'letsencrypt-staging',
    label: "Let's Encrypt staging (test certificates)",
    url: 'https://acme-staging-v02.api.letsencrypt.org/directory',
  },
  { id: 'custom', label: 'Another ACME directory (URL)…', url: '' },
] as const;

export type DirectoryChoice = (typeof DIRECTORIES)[number]['id'];

/** The HTTPS dialog's form, as typed. */
export interface HttpsForm {
  directory: DirectoryChoice;
  customUrl: string;
  email: string;
  redirectHttp: boolean;
  certificate: string;
  chain: string;
  key: string;
}

export type HttpsField = 'directoryUrl' | 'email' | 'certificate' | 'chain' | 'key';

/** The directory URL the form stands for. */
export function directoryUrl(form: HttpsForm): string {
  return form.directory === 'custom'
    ? form.customUrl.trim()
    : (DIRECTORIES.find((d) => d.id === form.directory)?.url ?? '');
}

/** The certificates.issue input for a site and the form. */
export function issueInput(
  serverId: string,
  domain: string,
  form: HttpsForm,
  dryRun: boolean,
): Input<'certificates.issue'> {
  return {
    serverId,
    domain,
    directoryUrl: directoryUrl(form),
    email: form.email.trim(),
    redirectHttp: form.redirectHttp,
    dryRun,
  };
}

/** The certificates.upload input for a site and the form. */
export function uploadInput(
  serverId: string,
  domain: string,
  form: HttpsForm,
  dryRun: boolean,
): Input<'certificates.upload'> {
  return {
    serverId,
    domain,
    certificate: form.certificate.trim() + '\n',
    ...(form.chain.trim() ? { chain: form.chain.trim() + '\n' } : {}),
    key: form.key.trim() + '\n',
    redirectHttp: form.redirectHttp,
    dryRun,
  };
}

function issuesByField(r: {
  success: boolean;
  error?: { issues: { path: PropertyKey[]; message: string }[] };
}): FieldErrors {
  const out: FieldErrors = {};
  for (const i of r.error?.issues ?? []) {
    const key = typeof i.path[0] === 'string' ? i.path[0] : '_';
    out[key] ??= i.message;
  }
  return out;
}

/**
 * The ACME form's problems, checked with the contract's own schema (so the message as you type is the one the core
 * would answer), limited to the fields in `only`.
 */
export function checkIssue(form: HttpsForm, only: ReadonlySet<HttpsField>): FieldErrors {
  const out: FieldErrors = {};
  const r = certificatesMethods['certificates.issue'].input.safeParse(issueInput('x', 'example.com', form, true));
  const found = r.success ? {} : issuesByField(r);
  if (only.has('directoryUrl')) {
    if (directoryUrl(form) === '') out.directoryUrl = 'Give the ACME directory URL (https://…/directory).';
    else if (found.directoryUrl) out.directoryUrl = found.directoryUrl;
  }
  if (only.has('email')) {
    if (form.email.trim() === '') out.email = 'The CA sends expiry notices to this address.';
    else if (found.email) out.email = found.email;
  }
  return out;
}

const CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/;
const KEY = /-----BEGIN (?:RSA |EC )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC )?PRIVATE KEY-----/;

/** The upload form's problems (PEM shape only: the core matches the key and checks the chain order). */
export function checkUpload(form: HttpsForm, only: ReadonlySet<HttpsField>): FieldErrors {
  const out: FieldErrors = {};
  if (only.has('certificate') && !CERT.test(form.certificate))
    out.certificate = 'Paste the certificate in PEM (-----BEGIN CERTIFICATE----- …).';
  if (only.has('chain') && form.chain.trim() !== '' && !CERT.test(form.chain))
    out.chain = 'The chain is PEM certificates (-----BEGIN CERTIFICATE----- …), the issuer of each right after it.';
  if (only.has('key') && !KEY.test(form.key)) out.key = 'Paste the private key in PEM (-----BEGIN PRIVATE KEY----- …).';
  if (only.has('key') && /ENCRYPTED/.test(form.key)) out.key = 'nginx cannot use an encrypted key: paste it decrypted.';
  return out;
}
