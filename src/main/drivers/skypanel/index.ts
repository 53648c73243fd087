/** The SkyPANEL driver (issue 11): servers with power actions, billing, profile. */
export { createSkyPanelDriver } from './skypanel.driver';
export { SkyPanelApi, SKYPANEL_ACCEPT } from './skypanel.client';
export type { SkyAuthMode, SkyServer } from './skypanel.client';
