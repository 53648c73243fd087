import type { PlanRebuilder, PlanRegistry } from './operation.types';

/**
 * `kind -> rebuild` for every operation kind a driver plans: after a restart the steps (closures) are gone,
 * so retry and rollback ask the driver that planned the operation to build the same plan again from its
 * sealed params. A kind registered twice is a programming error.
 */
export class MapPlanRegistry implements PlanRegistry {
  readonly #map = new Map<string, PlanRebuilder>();

  register(kind: string, rebuild: PlanRebuilder): void {
    if (this.#map.has(kind)) throw new Error(`Operation kind "${kind}" is already registered.`);
    this.#map.set(kind, rebuild);
  }

  get(kind: string): PlanRebuilder | undefined {
    return this.#map.get(kind);
  }
}
