import type { z } from 'zod';
import type { Capability as CapabilitySchema, Probe } from '../../shared/contract/drivers.contract';
import type { DriverKind } from '../../shared/contract/inventory.contract';
import type { Site, SiteCreate } from '../../shared/contract/sites.contract';
import type { Plan, StepContext } from '../operations/operation.types';
import type { Database, DatabaseUser } from '../../shared/contract/databases.contract';
import type { DbEngine } from '../../shared/remote-names';
import type { CertificateInfo } from './certificate-pem';

/**
 * What a driver can do for a server, by capability (DESIGN.md rule 5). Services ask the registry for a driver and
 * never care which one they got; a driver returns data and plans, and never talks to the UI, the journal or the
 * vault directly.
 */
export type Capability = z.infer<typeof CapabilitySchema>;

/** What a probe found on a server: software and versions, cached by the registry and refreshable. */
export type ProbeResult = z.infer<typeof Probe>;

/** Options of a create plan: `resume` rebuilds it for a retry (its own half-made site is expected). */
export interface CreateOptions {
  readonly fault?: 'invalid-directive';
  readonly resume?: boolean;
}

/** Sites on a server. */
export interface SitesCapability {
  list(): Promise<Site[]>;
  planCreate(input: SiteCreate, opts?: CreateOptions): Promise<Plan>;
  planDelete(domain: string, deleteWebroot: boolean): Promise<Plan>;
  planSetEnabled(domain: string, enabled: boolean): Promise<Plan>;
}

/** How a driver reaches a database server as admin: null = the server's own socket auth (root / postgres). */
export type DbAdmin = { readonly user: string; readonly password: string } | null;

/** A password a step needs, resolved when it runs (in memory for a fresh plan; from the vault after a restart). */
export type PasswordSource = (ctx: StepContext) => Promise<string>;

/** What a database create plan does (the service has validated and defaulted it). */
export interface DbCreateSpec {
  readonly engine: DbEngine;
  readonly name: string;
  readonly charset: string | null;
  readonly collation: string | null;
  readonly user: string;
  readonly host: string;
  /** null: grant an existing user (no password). */
  readonly password: PasswordSource | null;
}

/** Databases and their users on a server (MariaDB/MySQL, PostgreSQL). Passwords only ever travel on stdin. */
export interface DatabasesCapability {
  /** The engines the server runs (from the probe). */
  engines(): Promise<DbEngine[]>;
  list(
    engine: DbEngine,
    admin: DbAdmin,
  ): Promise<{ databases: Database[]; users: Omit<DatabaseUser, 'credentialId'>[] }>;
  planCreate(spec: DbCreateSpec, admin: DbAdmin, opts?: { resume?: boolean }): Promise<Plan>;
  planChangePassword(
    engine: DbEngine,
    user: string,
    host: string,
    password: PasswordSource,
    admin: DbAdmin,
  ): Promise<Plan>;
  planDelete(engine: DbEngine, name: string, admin: DbAdmin): Promise<Plan>;
  planDeleteUser(engine: DbEngine, user: string, host: string, admin: DbAdmin): Promise<Plan>;
}

/** An HTTP-01 challenge on a server: the token file is written, checked through the server's own web server, removed. */
export interface Http01Challenge {
  create(domain: string, token: string, keyAuthorization: string): Promise<void>;
  remove(token: string): Promise<void>;
}

/** Where an install plan gets its certificate when the step runs: an ACME order (the dance runs there) or an upload. */
export type ObtainCertificate = (
  ctx: StepContext,
  order: { readonly altNames: readonly string[]; readonly challenge: Http01Challenge },
) => Promise<{ readonly fullchain: string; readonly key: string }>;

/** What a certificate install plan does (issue, renew, upload: the same safe path). */
export interface CertificateInstallSpec {
  readonly mode: 'issue' | 'renew' | 'upload';
  readonly domain: string;
  /** Extra names for an ACME order (default: the site's aliases). */
  readonly aliases?: readonly string[] | undefined;
  /** Keep the current redirect when undefined (renewals). */
  readonly redirectHttp?: boolean | undefined;
  readonly obtain: ObtainCertificate;
  /** How it is renewed, written beside the certificate; null = not renewed by PanelDeck (uploads). */
  readonly renewal: { readonly directoryUrl: string; readonly email: string } | null;
}

/** Certificates on a server: an inventory scan (files + a live TLS probe) and install plans. */
export interface CertificatesCapability {
  scan(): Promise<CertificateScan>;
  planInstall(spec: CertificateInstallSpec): Promise<Plan>;
}

/** One certificate file a scan found. */
export interface ScannedCertificate {
  readonly path: string;
  readonly source: 'nginx' | 'letsencrypt';
  readonly domains: readonly string[];
  readonly info: CertificateInfo;
  readonly served: readonly { domain: string; fingerprint: string | null; matches: boolean }[];
  readonly renewal: { readonly directoryUrl: string; readonly email: string } | null;
}

/** What a scan of one server found; `problems` are per-file or per-probe notes (the scan itself succeeded). */
export interface CertificateScan {
  readonly certificates: readonly ScannedCertificate[];
  readonly problems: readonly string[];
}

/** One driver instance, bound to one server (or one panel account). */
export interface Driver {
  readonly kind: DriverKind;
  readonly capabilities: readonly Capability[];
  readonly sites?: SitesCapability;
  readonly databases?: DatabasesCapability;
  readonly certificates?: CertificatesCapability;
  /** What the server runs (linux-ssh: over SSH; panels: their version endpoint). */
  probe(refresh?: boolean): Promise<ProbeResult>;
}
