/** The GhostCP driver (issue 10): see createGhostCpDriver. */
export { createGhostCpDriver, ghostCpFactory } from './ghostcp.driver';
export type { GhostCpDriver, GhostCpDriverOptions } from './ghostcp.driver';
export { GhostCpApi, GHOSTCP_MAX_LIMIT } from './ghostcp.client';
export type { GhostCpApiOptions, GhostPage, GhostRow, GhostUser, JobPollOptions } from './ghostcp.client';
export { readGhostCpError } from './ghostcp-errors';
export { GHOSTCP_KINDS } from './ghostcp-kinds';
export { GhostCpResources } from './ghostcp-resources';
export { GhostCpSites, siteFromWebDomain } from './sites.capability';
