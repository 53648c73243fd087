import { z } from 'zod';
import { Id } from '../validators';
import { Domain } from '../remote-names';
import { event, method, secret } from './define';
import { ListProblem, PlanResult } from './sites.contract';

/** Where a certificate in the inventory was found on its server. */
export const CertificateSource = z.enum(['nginx', 'letsencrypt']);

/**
 * The inventory's state of a certificate: `mismatch` = the file on disk is not what the server serves for one of
 * its domains ("renewed but not reloaded", or another certificate wins).
 */
export const CertificateState = z.enum(['valid', 'expiring', 'expired', 'mismatch']);
export type CertificateState = z.infer<typeof CertificateState>;

/** One certificate file on one server, parsed, with what the live TLS probe saw for its domains. */
export const Certificate = z.object({
  id: z.string(),
  serverId: Id,
  /** The certificate file on the server (leaf first). */
  path: z.string(),
  source: CertificateSource,
  /** The sites (server_names) configured with this file. */
  domains: z.array(z.string()),
  subject: z.string(),
  sans: z.array(z.string()),
  issuer: z.string(),
  notBefore: z.number().int(),
  notAfter: z.number().int(),
  serial: z.string(),
  keyType: z.string(),
  /** SHA-256 of the certificate, `AB:CD:…`. */
  fingerprint: z.string(),
  state: CertificateState,
  /** What the server served for each of `domains` (SNI, through the server's own loopback); null = not probed. */
  served: z.array(z.object({ domain: z.string(), fingerprint: z.string().nullable(), matches: z.boolean() })),
  /** How PanelDeck renews it: ACME (directory + account email) or null (not PanelDeck's, or uploaded by hand). */
  renewal: z.object({ directoryUrl: z.string(), email: z.string() }).nullable(),
  scannedAt: z.number().int(),
});
export type Certificate = z.infer<typeof Certificate>;

/** An ACME directory: Let's Encrypt (production or staging), ZeroSSL with EAB, pebble, any RFC 8555 CA. */
const DirectoryUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((s) => {
    try {
      const u = new URL(s);
      return u.protocol === 'https:' && u.username === '' && u.password === '';
    } catch {
      return false;
    }
  }, 'An ACME directory is an https:// address, like https://acme-v02.api.letsencrypt.org/directory.');

const Email = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@<>",;]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/, 'Not an email address.');

/** A PEM text: bounded, no NUL. */
const Pem = z
  .string()
  .max(200_000)
  .refine((s) => !s.includes('\u0000'), 'A PEM text has no NUL bytes.');

const CertificateTarget = {
  serverId: Id,
  /** The site (its primary server_name) that gets the certificate. */
  domain: Domain,
  /** Send plain HTTP to HTTPS (301), except ACME challenges. */
  redirectHttp: z.boolean().default(false),
  dryRun: z.boolean().default(false),
};

export const certificatesMethods = {
  'certificates.list': method({
    input: z.strictObject({
      serverId: Id.optional(),
      state: z.array(CertificateState).optional(),
      /** Only certificates expiring within this many days. */
      expiringWithinDays: z.number().int().min(0).max(3650).optional(),
      query: z.string().max(200).optional(),
    }),
    output: z.object({ certificates: z.array(Certificate) }),
    summary: 'The fleet certificate inventory (from the last scan), soonest expiry first.',
  }),
  'certificates.scan': method({
    input: z.strictObject({ serverId: Id.optional() }),
    output: z.object({ servers: z.number().int(), certificates: z.number().int(), problems: z.array(ListProblem) }),
    summary: 'Scan one server or every server: nginx certificates and /etc/letsencrypt/live, plus a live TLS probe.',
  }),
  'certificates.issue': method({
    input: z.strictObject({
      ...CertificateTarget,
      /** Extra names on the certificate (the site's aliases by default). */
      aliases: z.array(Domain).max(50).optional(),
      directoryUrl: DirectoryUrl,
      email: Email,
      /** External account binding (ZeroSSL, some commercial CAs): only needed the first time an account is made. */
      eab: z.strictObject({ kid: z.string().min(1).max(500), hmacKey: secret(z.string().min(1).max(500)) }).optional(),
    }),
    output: PlanResult,
    summary: 'Issue a certificate over ACME (HTTP-01 through nginx) for a PanelDeck site and switch it to HTTPS.',
  }),
  'certificates.upload': method({
    input: z.strictObject({
      ...CertificateTarget,
      certificate: Pem,
      chain: Pem.optional(),
      key: secret(Pem),
    }),
    output: PlanResult,
    summary: 'Install a certificate you have (PEM certificate, chain, key) on a PanelDeck site.',
  }),
  'certificates.renew': method({
    input: z.strictObject({ serverId: Id, domain: Domain, dryRun: z.boolean().default(false) }),
    output: PlanResult,
    summary: 'Renew the ACME certificate of a site now (the scheduler does it when a third of its life remains).',
  }),
};

export const certificatesEvents = {
  'certificates.expiring': event({
    payload: z.object({
      certificateId: z.string(),
      serverId: Id,
      domains: z.array(z.string()),
      notAfter: z.number().int(),
      /** Whole days left (0 = less than a day). */
      daysLeft: z.number().int(),
      /** The notice threshold crossed: 21, 7 or 1 days. */
      threshold: z.number().int(),
    }),
    summary: 'A certificate is 21, 7 or 1 day(s) from expiry (once per threshold and certificate).',
  }),
};
