/** The Website Factory hub driver (issue 10): see createWebsiteFactoryDriver. */
export { createWebsiteFactoryDriver, websiteFactoryDriverFactory } from './website-factory.driver';
export type { WebsiteFactoryDriver, WebsiteFactoryDriverOptions } from './website-factory.driver';
export { DEFAULT_BULK_LIMIT, SITE_FILTERS, WebsiteFactoryApi } from './website-factory.client';
export type { BulkLimit, WebsiteFactoryApiOptions, WfSite, WfSiteFilters } from './website-factory.client';
export { readWebsiteFactoryError } from './website-factory-errors';
export { parseCsv, parseCsvTable } from './csv-parse';
export { bulkOutcome, previewBulk, WebsiteFactoryBulkSites } from './bulk-sites';
export type { BulkRowResult } from './bulk-sites';
export { WebsiteFactoryResources } from './resources.capability';
export { WebsiteFactorySites, siteFromHub } from './sites.capability';
