/** The CloudPanel API driver (issue 10): see createCloudPanelApiDriver. */
export { createCloudPanelApiDriver } from './cloudpanel-api.driver';
export type { CloudPanelApiDriver, CloudPanelApiDriverOptions } from './cloudpanel-api.driver';
export { CloudPanelApi } from './cloudpanel-api.client';
export type { CloudPanelApiOptions, CpOperation, CpSite, PollOptions } from './cloudpanel-api.client';
export { readCloudPanelError } from './cloudpanel-errors';
export { CloudPanelApiSites, siteFromPanel } from './sites.capability';
