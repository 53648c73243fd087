import type { DriverKind } from './contract/inventory.contract';

/** How PanelDeck reaches a kind of panel: through the server's own SSH login, or the panel's HTTP API at a URL. */
export type PanelTransport = 'ssh' | 'http';

/** What the UI says about one kind of panel binding. */
export interface PanelKindInfo {
  /** The human name shown wherever a kind is picked or listed. */
  readonly label: string;
  readonly transport: PanelTransport;
  /** PanelDeck has a driver for it (the HTTP kinds must match src/main/drivers/panel-factories.ts; a test checks). */
  readonly supported: boolean;
}

/**
 * Every driver kind's human name and transport, one map for the contract (which kinds need an endpoint URL) and
 * the UI (what the "Add panel" picker says), so the two cannot disagree. `Record<DriverKind, …>` makes a new
 * kind in the contract a type error here until it has a name.
 */
export const PANEL_KINDS: Readonly<Record<DriverKind, PanelKindInfo>> = {
  'linux-ssh': { supported: true, label: 'Linux server over SSH', transport: 'ssh' },
  'cloudpanel-cli': { supported: true, label: 'CloudPanel (clpctl over SSH)', transport: 'ssh' },
  hestia: { supported: true, label: 'HestiaCP (over SSH)', transport: 'ssh' },
  'cloudpanel-api': { supported: true, label: 'CloudPanel API', transport: 'http' },
  ghostcp: { supported: true, label: 'GhostCP', transport: 'http' },
  nexuspanel: { supported: true, label: 'NexusPanel', transport: 'http' },
  skypanel: { supported: true, label: 'SkyPANEL', transport: 'http' },
  'website-factory': { supported: true, label: 'Website Factory hub', transport: 'http' },
  aapanel: { supported: false, label: 'aaPanel', transport: 'http' },
};

/** The human name of a driver kind (falls back to the slug for a kind this build does not know). */
export function panelKindLabel(kind: DriverKind): string {
  return PANEL_KINDS[kind]?.label ?? kind;
}

/** True when a kind talks to its panel over HTTP and so needs an endpoint URL. */
export function panelNeedsEndpoint(kind: DriverKind): boolean {
  return PANEL_KINDS[kind]?.transport === 'http';
}
