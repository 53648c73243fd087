import type { EventBus } from '../core/event-bus';

/** What changed, for the `inventory.changed` event. */
export type InventoryChange = { kind: 'server' | 'credential'; id: string; change: 'created' | 'updated' | 'deleted' };

/** Emits one `inventory.changed` per change (a no-op without a bus, e.g. in unit tests). */
export function emitChanges(events: EventBus | undefined, changes: readonly InventoryChange[]): void {
  if (!events) return;
  for (const c of changes) events.emit('inventory.changed', c);
}
