import type { DriverKind } from '../../shared/contract/inventory.contract';
import type { PanelDriverFactory } from './capabilities';
import { createCloudPanelApiPanel } from './cloudpanel-api';
import { createGhostCpDriver } from './ghostcp';
import { createSkyPanelDriver } from './skypanel';
import { createNexusPanelDriver } from './nexuspanel';
import { createWebsiteFactoryDriver } from './website-factory';

/**
 * The panel driver of each HTTP kind (issue 10/11): the panels service builds a driver for a panel account from
 * this map, with the account's secret from the vault and its pinned TLS certificates. A kind missing here is
 * listed as "not supported yet" when an account of that kind is added.
 */
export const PANEL_FACTORIES: Partial<Record<DriverKind, PanelDriverFactory>> = {
  'cloudpanel-api': createCloudPanelApiPanel,
  ghostcp: createGhostCpDriver,
  nexuspanel: createNexusPanelDriver,
  'website-factory': createWebsiteFactoryDriver,
  skypanel: createSkyPanelDriver,
};
