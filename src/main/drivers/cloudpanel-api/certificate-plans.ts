import { AppError } from '../../../shared/errors';
import { Domain } from '../../../shared/remote-names';
import type { Plan, StepContext } from '../../operations/operation.types';
import { checkBundle, pemCertificates, type CheckedBundle } from '../certificate-pem';
import { checked } from './cloudpanel-values';
import type { PanelEnv } from './database-plans';
import { notOnPanel, queuedPlan, queuedSteps } from './queued-steps';
import { FORM_FIELDS, type CpCertificate } from './resource-kinds';

const CERT_PATH = '/api/v1/certificates';
const MASK = '••••';

/** Every certificate on the panel. */
export function listCertificates(env: PanelEnv, signal?: AbortSignal): Promise<CpCertificate[]> {
  return env.api.listAll<CpCertificate>(CERT_PATH, 'certificates', signal);
}

/** True when `name` is covered by one of the certificate's names (a wildcard covers one label). */
export function covers(names: readonly string[], name: string): boolean {
  return names.some((n) => n === name || (n.startsWith('*.') && name.split('.').slice(1).join('.') === n.slice(2)));
}

/**
 * A custom certificate checked before anything is sent: the PEM parses, the key belongs to the certificate, the
 * chain is in order (checkBundle), it has not expired and it names the site. Errors name the form's fields.
 */
export function checkUpload(
  domain: string,
  input: { certificate: string; privateKey: string; chain?: string | undefined },
  now = Date.now(),
): CheckedBundle {
  let bundle: CheckedBundle;
  try {
    bundle = checkBundle({ certificate: input.certificate, chain: input.chain, key: input.privateKey });
  } catch (e) {
    if (e instanceof AppError && e.details?.['field'] === 'key') {
      throw new AppError(e.code, e.message, { ...e.details, field: 'privateKey' });
    }
    throw e;
  }
  if (bundle.leaf.notAfter <= now) {
    throw new AppError('VALIDATION', 'This certificate has expired.', { field: 'certificate' });
  }
  const cn = /CN=([^\n,]+)/.exec(bundle.leaf.subject)?.[1];
  if (!covers([...bundle.leaf.sans, ...(cn ? [cn] : [])], domain)) {
    throw new AppError('VALIDATION', `This certificate is not for ${domain}.`, { field: 'certificate' });
  }
  return bundle;
}

/** What a certificate install sends: Let's Encrypt by the panel, or a bundle obtained when the step runs. */
export type CertificateSource =
  | { readonly type: 'letsencrypt' }
  | {
      readonly type: 'custom';
      /** Resolved when the step runs (register the key as a secret there). */
      readonly bundle: (ctx: StepContext) => Promise<{ fullchain: string; key: string }>;
    };

/**
 * Plans POST /api/v1/certificates for a site: `{siteId, type:"letsencrypt"}` (the panel's own ACME client) or
 * `{siteId, type:"custom", certificate, privateKey, chain}`. The private key never reaches the preview, the params,
 * a log line or a row: it is a plan secret and •••• wherever it would show.
 */
export async function planCertificateInstall(
  env: PanelEnv,
  site: string,
  source: CertificateSource,
  secrets: readonly string[] = [],
  fingerprint: string | null = null,
): Promise<Plan> {
  const domain = checked(Domain, site, 'site');
  const found = (await env.api.listSites()).find((s) => s.domainName === domain);
  if (!found) throw new AppError('NOT_FOUND', `CloudPanel has no site ${domain}.`, { field: 'site' });
  const before = new Set((await listCertificates(env)).map((c) => c.id));
  const fresh = async (signal?: AbortSignal) =>
    (await listCertificates(env, signal)).find(
      (c) =>
        c.siteId === found.id &&
        !before.has(c.id) &&
        (fingerprint === null || !c.fingerprint || c.fingerprint === fingerprint),
    ) ?? null;
  const shown =
    source.type === 'letsencrypt'
      ? { siteId: found.id, type: 'letsencrypt' }
      : { siteId: found.id, type: 'custom', certificate: '<PEM certificate>', privateKey: MASK, chain: '<PEM chain>' };
  const steps = queuedSteps(env, {
    what:
      source.type === 'letsencrypt'
        ? `request a Let's Encrypt certificate for ${domain}`
        : `install the uploaded certificate on ${domain}`,
    method: 'POST',
    path: CERT_PATH,
    shown: `POST ${CERT_PATH} ${JSON.stringify(shown)}`,
    body: async (ctx) => {
      if (source.type === 'letsencrypt') return { siteId: found.id, type: 'letsencrypt' };
      const b = await source.bundle(ctx);
      ctx.secrets.add(b.key);
      const [leaf, ...chain] = pemCertificates(b.fullchain);
      return {
        siteId: found.id,
        type: 'custom',
        certificate: `${leaf ?? ''}\n`,
        privateKey: b.key,
        chain: chain.join('\n'),
      };
    },
    already: () => Promise.resolve(false),
    tookEffect: async (signal) => (await fresh(signal)) !== null,
    verify: async (signal) => {
      const c = await fresh(signal);
      if (!c) throw new AppError('NOT_FOUND', `CloudPanel finished, but lists no new certificate for ${domain}.`);
      return `certificate ${c.id}${c.expiresAt ? `, valid until ${c.expiresAt}` : ''}`;
    },
    fields: FORM_FIELDS,
  });
  return queuedPlan(
    source.type === 'letsencrypt'
      ? `Request a Let's Encrypt certificate for ${domain} on CloudPanel`
      : `Install an uploaded certificate on ${domain} on CloudPanel`,
    env.serverId,
    'panel.certificate.install',
    steps,
    { resource: 'certificates', site: domain, type: source.type },
    secrets,
  );
}

/** Plans POST /api/v1/certificates/:id/renew (the row action); checked by a later expiry than before. */
export async function planCertificateRenew(env: PanelEnv, id: number): Promise<Plan> {
  const cert = (await listCertificates(env)).find((c) => c.id === id);
  if (!cert) throw notOnPanel(`certificate ${id}`);
  const label = cert.domainName ?? `site ${cert.siteId}`;
  const current = async (signal?: AbortSignal) =>
    (await listCertificates(env, signal)).find((c) => c.id === id) ?? null;
  const renewed = async (signal?: AbortSignal) => {
    const c = await current(signal);
    return c !== null && c.expiresAt !== cert.expiresAt;
  };
  const path = `${CERT_PATH}/${id}/renew`;
  const steps = queuedSteps(env, {
    what: `renew the certificate of ${label}`,
    method: 'POST',
    path,
    shown: `POST ${path}`,
    already: () => Promise.resolve(false),
    tookEffect: renewed,
    verify: async (signal) => {
      const c = await current(signal);
      if (!c) throw new AppError('NOT_FOUND', `CloudPanel no longer lists certificate ${id}.`);
      return `valid until ${c.expiresAt ?? 'unknown'}`;
    },
  });
  return queuedPlan(`Renew the certificate of ${label} on CloudPanel`, env.serverId, 'panel.certificate.renew', steps, {
    resource: 'certificates',
    certificateId: id,
  });
}

/** Plans DELETE /api/v1/certificates/:id. */
export async function planCertificateDelete(env: PanelEnv, id: number): Promise<Plan> {
  const cert = (await listCertificates(env)).find((c) => c.id === id);
  if (!cert) throw notOnPanel(`certificate ${id}`);
  const listed = async (signal?: AbortSignal) => (await listCertificates(env, signal)).some((c) => c.id === id);
  const path = `${CERT_PATH}/${id}`;
  const steps = queuedSteps(env, {
    what: `delete certificate ${id} (${cert.domainName ?? `site ${cert.siteId}`})`,
    method: 'DELETE',
    path,
    shown: `DELETE ${path}`,
    already: async (signal) => !(await listed(signal)),
    tookEffect: async (signal) => !(await listed(signal)),
    verify: async (signal) => {
      if (await listed(signal))
        throw new AppError('CONFLICT', `CloudPanel finished, but still lists certificate ${id}.`);
      return 'gone';
    },
  });
  return queuedPlan(`Delete certificate ${id} on CloudPanel`, env.serverId, 'panel.certificate.delete', steps, {
    resource: 'certificates',
    certificateId: id,
  });
}
