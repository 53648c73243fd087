import type { z } from 'zod';
import { alertsEvents, alertsMethods } from './alerts.contract';
import { appEvents, appMethods } from './app.contract';
import { certificatesEvents, certificatesMethods } from './certificates.contract';
import { databasesEvents, databasesMethods } from './databases.contract';
import type { EventDef, MethodDef } from './define';
import { driversMethods } from './drivers.contract';
import { inventoryEvents, inventoryMethods } from './inventory.contract';
import { metricsEvents, metricsMethods } from './metrics.contract';
import { operationsEvents, operationsMethods } from './operations.contract';
import { panelsEvents, panelsMethods } from './panels.contract';
import { sitesEvents, sitesMethods } from './sites.contract';
import { forwardsEvents, forwardsMethods } from './forwards.contract';
import { hostKeysMethods } from './host-keys.contract';
import { snippetsMethods } from './snippets.contract';
import { sshEvents, sshMethods } from './ssh.contract';
import { terminalEvents, terminalMethods } from './terminal.contract';
import { vaultEvents, vaultMethods } from './vault.contract';

/**
 * The whole contract between UI and core: every method and event, declared once.
 * Adding a capability = one entry in a feature's `*.contract.ts`, spread in here, plus one service handler.
 * The preload bridge, the renderer client, the WebSocket host and the CLI are all derived from this object.
 */
export const methods = {
  ...appMethods,
  ...vaultMethods,
  ...inventoryMethods,
  ...terminalMethods,
  ...sshMethods,
  ...hostKeysMethods,
  ...snippetsMethods,
  ...forwardsMethods,
  ...operationsMethods,
  ...sitesMethods,
  ...databasesMethods,
  ...driversMethods,
  ...certificatesMethods,
  ...panelsMethods,
  ...alertsMethods,
  ...metricsMethods,
} satisfies Record<string, MethodDef>;

export const events = {
  ...appEvents,
  ...vaultEvents,
  ...inventoryEvents,
  ...terminalEvents,
  ...sshEvents,
  ...forwardsEvents,
  ...operationsEvents,
  ...sitesEvents,
  ...databasesEvents,
  ...certificatesEvents,
  ...panelsEvents,
  ...alertsEvents,
  ...metricsEvents,
} satisfies Record<string, EventDef>;

export type Methods = typeof methods;
export type MethodName = Extract<keyof Methods, string>;
export type Events = typeof events;
export type EventName = Extract<keyof Events, string>;

export type Input<M extends MethodName> = z.input<Methods[M]['input']>;
export type ParsedInput<M extends MethodName> = z.output<Methods[M]['input']>;
export type Output<M extends MethodName> = z.output<Methods[M]['output']>;
export type Payload<E extends EventName> = z.output<Events[E]['payload']>;

/** True when `name` is a method of the contract (own key, not a prototype member). */
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

/** True when `name` is an event of the contract. */
export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

export { event, method } from './define';
export type { EventDef, MethodDef } from './define';
