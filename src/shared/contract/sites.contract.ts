import { z } from 'zod';
import { Id } from '../validators';
import { Domain, PhpVersion, RemotePath, SystemUser, UpstreamPort, UpstreamUrl } from '../remote-names';
import { method } from './define';
import { DriverKind } from './inventory.contract';

/** What a plan shows before Apply: the exact commands and a unified diff per file (issue 9, safe writes). */
export const PlanPreview = z.object({
  /** Hand this to `plans.apply` to run exactly what was shown. Valid for 15 minutes. */
  planId: z.string(),
  title: z.string(),
  serverId: Id,
  kind: z.string(),
  steps: z.array(z.object({ id: z.string(), title: z.string(), kind: z.string() })),
  commands: z.array(z.string()),
  diffs: z.array(
    z.object({
      path: z.string(),
      before: z.string().nullable(),
      after: z.string().nullable(),
      unifiedDiff: z.string(),
    }),
  ),
});
export type PlanPreview = z.infer<typeof PlanPreview>;

/** What a write method answers: the plan, and the operation when it was applied (not on dryRun). */
export const PlanResult = z.object({ plan: PlanPreview, operationId: z.string().nullable() });
export type PlanResult = z.infer<typeof PlanResult>;

/** Every planning method takes `dryRun`: true only plans (the UI's preview, the CLI's --dry-run). */
const DryRun = { dryRun: z.boolean().default(false) };

/** The kind of a site as listed: what PanelDeck creates, or `other` for a hand-made config it cannot classify. */
export const SiteKind = z.enum(['static', 'php', 'proxy', 'other']);
export type SiteKind = z.infer<typeof SiteKind>;

/** A site as the server's configuration describes it (also the ones PanelDeck did not create). */
export const Site = z.object({
  serverId: Id,
  domain: z.string(),
  aliases: z.array(z.string()),
  kind: SiteKind,
  root: z.string().nullable(),
  upstream: z.string().nullable(),
  phpVersion: z.string().nullable(),
  tls: z.boolean(),
  certificatePath: z.string().nullable(),
  enabled: z.boolean(),
  /** Written by PanelDeck (its marker is in the file). */
  managed: z.boolean(),
  systemUser: z.string().nullable(),
  /** The file it lives in on the server. */
  configPath: z.string().nullable(),
  source: DriverKind,
});
export type Site = z.infer<typeof Site>;

/** A server that could not be listed, with the reason (the fleet table shows it instead of hiding it). */
export const ListProblem = z.object({ serverId: Id, code: z.string(), message: z.string() });

const SiteCreateBase = z.object({
  serverId: Id,
  domain: Domain,
  aliases: z.array(Domain).max(20).default([]),
  /** Webroot; default /var/www/<domain>/public. */
  root: RemotePath.optional(),
  /** The site's system user (created when missing); default derived from the domain. */
  systemUser: SystemUser.optional(),
  ...DryRun,
});

/** Input of sites.create: one of three kinds. */
export const SiteCreate = z.discriminatedUnion('kind', [
  SiteCreateBase.extend({ kind: z.literal('static') }),
  SiteCreateBase.extend({ kind: z.literal('php'), phpVersion: PhpVersion.optional() }),
  SiteCreateBase.extend({
    kind: z.literal('proxy'),
    upstream: z.union([UpstreamUrl, UpstreamPort.transform((p) => `http://127.0.0.1:${p}`)]),
  }),
]);
export type SiteCreate = z.infer<typeof SiteCreate>;

const SiteRef = z.strictObject({ serverId: Id, domain: Domain, ...DryRun });

export const sitesMethods = {
  'sites.list': method({
    input: z.strictObject({ serverId: Id.optional(), query: z.string().max(200).optional() }),
    output: z.object({ sites: z.array(Site), problems: z.array(ListProblem) }),
    summary: 'List sites on one server or on every server (read from each server, including hand-made ones).',
  }),
  'sites.create': method({
    input: SiteCreate,
    output: PlanResult,
    summary: 'Create a static, PHP or reverse-proxy site (dryRun: show the plan only).',
  }),
  'sites.delete': method({
    input: SiteRef.extend({ deleteWebroot: z.boolean().default(false), confirm: z.string() }),
    output: PlanResult,
    summary: 'Delete a site; the webroot is kept unless deleteWebroot. confirm must repeat the domain.',
  }),
  'sites.setEnabled': method({
    input: SiteRef.extend({ enabled: z.boolean() }),
    output: PlanResult,
    summary: 'Enable or disable a site.',
  }),
  'plans.apply': method({
    input: z.strictObject({ planId: z.string().min(1).max(100) }),
    output: z.object({ operationId: z.string() }),
    summary: 'Apply a plan shown by a dryRun: exactly those steps, as an operation in the journal.',
  }),
};

export const sitesEvents = {};
