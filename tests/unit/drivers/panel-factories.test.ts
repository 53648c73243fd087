import { expect, test } from 'vitest';
import { PANEL_FACTORIES } from '../../../src/main/drivers/panel-factories';
import { PANEL_KINDS } from '../../../src/shared/panel-kinds';

test('the HTTP kinds the UI offers are exactly the kinds the core has a panel driver for', () => {
  const offered = Object.entries(PANEL_KINDS)
    .filter(([, k]) => k.transport === 'http' && k.supported)
    .map(([kind]) => kind)
    .sort();
  expect(offered).toEqual(Object.keys(PANEL_FACTORIES).sort());
  expect(offered).not.toContain('aapanel');
});
