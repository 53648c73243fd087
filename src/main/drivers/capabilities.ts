import type { z } from 'zod';
import type { Capability as CapabilitySchema, Probe } from '../../shared/contract/drivers.contract';
import type { DriverKind } from '../../shared/contract/inventory.contract';
import type { Site, SiteCreate } from '../../shared/contract/sites.contract';
import type { Plan, StepContext } from '../operations/operation.types';
import type { Database, DatabaseUser } from '../../shared/contract/databases.contract';
import type { DbEngine } from '../../shared/remote-names';
import type { CertificateInfo } from './certificate-pem';
import type { BulkRow, PanelIdentity, PanelResourceKind, PanelRow } from '../../shared/contract/panels.contract';
import type { HttpEvent } from './http/http-client';
import type { RetryPolicy } from './http/rate-limit';
import type { TlsPinStore } from './http/tls-pinning';

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

/** A panel's resource kinds, rows and identity in the contract's shapes (src/shared/contract/panels.contract.ts). */
export type PanelResourceKindInfo = z.infer<typeof PanelResourceKind>;
export type PanelRowData = z.infer<typeof PanelRow>;
export type PanelIdentityInfo = Omit<z.infer<typeof PanelIdentity>, 'resources'>;

/** One page of a panel resource. */
export interface PanelListQuery {
  readonly page: number;
  readonly pageSize: number;
  readonly search: string | null;
}

/**
 * The generic side of a panel (the Panels section's tables): every kind of thing it holds, listed a page at a
 * time, created and deleted by plans. Values are validated before anything is sent (VALIDATION with `field`
 * naming the form field; nothing reaches the panel); the panel's own 422 field errors come back the same way.
 */
export interface PanelResources {
  kinds(): readonly PanelResourceKindInfo[];
  list(kind: string, q: PanelListQuery): Promise<{ items: PanelRowData[]; total: number | null }>;
  planCreate(kind: string, values: Readonly<Record<string, unknown>>): Promise<Plan>;
  planDelete(kind: string, itemId: string): Promise<Plan>;
  /** A row action (suspend, renew, acknowledge, retry…) named in the kind's `actions`. */
  planAction?(kind: string, itemId: string, action: string): Promise<Plan>;
}

/** A bulk site create from CSV (Website Factory): checked row by row before anything is sent. */
export interface BulkSites {
  preview(csv: string): { columns: string[]; rows: z.infer<typeof BulkRow>[]; valid: number };
  /** Sends the valid rows chunked to the panel's bulk limit; the operation's result lists every row's outcome. */
  planCreate(csv: string): Promise<Plan>;
}

/** A driver for a panel account (HTTP): the Driver capabilities plus identity, resources and close. */
export interface PanelDriver extends Driver {
  readonly resources: PanelResources;
  readonly bulkSites?: BulkSites;
  /** Signs in (when needed) and says who we are; `otp` answers a 2FA challenge (AUTH_FAILED details.needsOtp). */
  identify(opts?: { otp?: string }): Promise<PanelIdentityInfo>;
  close(): Promise<void>;
}

/** What every panel driver factory receives: the account, its secret (from the vault) and the TLS pins. */
export interface PanelDriverOptions {
  /** The panel account id: plans and listed rows carry it as their serverId. */
  readonly panelId: string;
  readonly baseUrl: string;
  /** Login name (null for API-key panels) and password / API key. Never logged: steps register it as a secret. */
  readonly username: string | null;
  readonly secret: string;
  readonly pins: TlsPinStore;
  readonly timeoutMs?: number;
  readonly retry?: Partial<RetryPolicy>;
  /** Queued-operation / job polling (intervals in ms). */
  readonly poll?: { readonly intervalMs?: number; readonly maxIntervalMs?: number; readonly timeoutMs?: number };
  readonly pageSize?: number;
  readonly onHttpEvent?: (e: HttpEvent) => void;
}

/** Builds a panel driver of one kind. */
export type PanelDriverFactory = (o: PanelDriverOptions) => PanelDriver;
