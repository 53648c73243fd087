/** The CloudPanel API driver (issue 10): see createCloudPanelApiDriver / createCloudPanelApiPanel. */
export { createCloudPanelApiDriver, createCloudPanelApiPanel } from './cloudpanel-api.driver';
export type { CloudPanelApiDriver, CloudPanelApiDriverOptions } from './cloudpanel-api.driver';
export { CloudPanelApi } from './cloudpanel-api.client';
export type { CloudPanelApiOptions, CpOperation, CpPage, CpSite, PollOptions } from './cloudpanel-api.client';
export { readCloudPanelError } from './cloudpanel-errors';
export { CloudPanelApiSites, siteFromPanel } from './sites.capability';
export { CloudPanelApiDatabases } from './databases.capability';
export { CloudPanelApiCertificates } from './certificates.capability';
export { CloudPanelApiResources } from './resources';
export { USER_KEY_MESSAGE } from './user-plans';
