import type { Output, ParsedInput } from '../../shared/contract';
import type { Site, SiteCreate } from '../../shared/contract/sites.contract';
import { AppError, isAppError } from '../../shared/errors';
import type { DriverRegistry } from '../drivers/registry';
import type { Plan, PlanRegistry } from '../operations/operation.types';
import type { PlanStore } from '../plans/plan-store';

/** Dependencies of {@link SitesService}. */
export interface SitesServiceDeps {
  readonly drivers: DriverRegistry;
  readonly plans: PlanStore;
  readonly rebuilders: PlanRegistry;
  /** Every server id in the inventory (fleet-wide lists). */
  readonly serverIds: () => string[];
  /** Tests only: a fault the linux-ssh templates inject (never reachable from the contract). */
  readonly fault?: 'invalid-directive';
  /** Tests only: the step with this id never starts; `onHold` is called instead (a crash test kills the core then). */
  readonly holdBeforeStep?: { readonly stepId: string; readonly onHold: () => void };
}

/**
 * Sites across the fleet: lists read live from each server's driver (servers that fail are reported, not
 * hidden), and every change as a plan that is previewed (dryRun) or applied through the operations journal.
 */
export class SitesService {
  readonly #deps: SitesServiceDeps;

  constructor(deps: SitesServiceDeps) {
    this.#deps = deps;
    deps.rebuilders.register('site.create', async ({ serverId, params }) =>
      (await this.#sites(serverId)).planCreate({ ...(params as SiteCreate), serverId }, { resume: true }),
    );
    deps.rebuilders.register('site.delete', async ({ serverId, params }) => {
      const p = params as { domain: string; deleteWebroot: boolean };
      return (await this.#sites(serverId)).planDelete(p.domain, p.deleteWebroot);
    });
    deps.rebuilders.register('site.setEnabled', async ({ serverId, params }) => {
      const p = params as { domain: string; enabled: boolean };
      return (await this.#sites(serverId)).planSetEnabled(p.domain, p.enabled);
    });
  }

  async #sites(serverId: string) {
    const sites = (await this.#deps.drivers.need(serverId, 'sites')).sites;
    if (!sites) throw new AppError('UNSUPPORTED', 'This server has no sites capability.');
    return sites;
  }

  async list(input: ParsedInput<'sites.list'>): Promise<Output<'sites.list'>> {
    const ids = input.serverId ? [input.serverId] : this.#deps.serverIds();
    const sites: Site[] = [];
    const problems: Output<'sites.list'>['problems'] = [];
    const q = input.query?.trim().toLowerCase() ?? '';
    await mapLimit(ids, 6, async (serverId) => {
      try {
        for (const s of await (await this.#sites(serverId)).list()) {
          if (q === '' || s.domain.includes(q) || s.aliases.some((a) => a.includes(q))) sites.push(s);
        }
      } catch (e) {
        if (input.serverId) throw e;
        problems.push({
          serverId,
          code: isAppError(e) ? e.code : 'INTERNAL',
          message: isAppError(e) ? e.message : 'The server could not be read.',
        });
      }
    });
    sites.sort((a, b) => a.domain.localeCompare(b.domain) || a.serverId.localeCompare(b.serverId));
    return { sites, problems };
  }

  async create(input: ParsedInput<'sites.create'>): Promise<Output<'sites.create'>> {
    const plan = await (
      await this.#sites(input.serverId)
    ).planCreate(input, this.#deps.fault ? { fault: this.#deps.fault } : {});
    return this.#deps.plans.planAndMaybeApply(this.#held(plan), input.dryRun);
  }

  #held(plan: Plan): Plan {
    const hold = this.#deps.holdBeforeStep;
    if (!hold) return plan;
    const steps = plan.steps.map((s) =>
      s.id !== hold.stepId
        ? s
        : {
            ...s,
            run: () => {
              hold.onHold();
              return new Promise<never>(() => undefined);
            },
          },
    );
    return { ...plan, steps };
  }

  async delete(input: ParsedInput<'sites.delete'>): Promise<Output<'sites.delete'>> {
    if (input.confirm.trim() !== input.domain) {
      throw new AppError('VALIDATION', `Type the domain (${input.domain}) to confirm the deletion.`, {
        field: 'confirm',
      });
    }
    const plan = await (await this.#sites(input.serverId)).planDelete(input.domain, input.deleteWebroot);
    return this.#deps.plans.planAndMaybeApply(plan, input.dryRun);
  }

  async setEnabled(input: ParsedInput<'sites.setEnabled'>): Promise<Output<'sites.setEnabled'>> {
    const plan = await (await this.#sites(input.serverId)).planSetEnabled(input.domain, input.enabled);
    return this.#deps.plans.planAndMaybeApply(plan, input.dryRun);
  }
}

/** Runs `fn` over `items` with at most `limit` at a time. */
export async function mapLimit<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
