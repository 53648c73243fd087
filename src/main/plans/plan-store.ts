import { randomUUID } from 'node:crypto';
import type { PlanPreview } from '../../shared/contract/sites.contract';
import { AppError } from '../../shared/errors';
import type { Plan } from '../operations/operation.types';

/** Starts an operation from a plan (the operations service). */
export interface PlanRunner {
  apply(plan: Plan): { readonly id: string } | Promise<{ readonly id: string }>;
}

/**
 * Plans shown to the user, kept in memory until applied or expired: `plans.apply` runs exactly the steps that
 * were previewed (the diff was computed against the file as it was then). Nothing here is written to disk.
 */
export class PlanStore {
  readonly #plans = new Map<string, { plan: Plan; expires: number }>();
  readonly #now: () => number;
  readonly #runner: PlanRunner;
  readonly #ttlMs: number;

  constructor(deps: { now: () => number; runner: PlanRunner; ttlMs?: number }) {
    this.#now = deps.now;
    this.#runner = deps.runner;
    this.#ttlMs = deps.ttlMs ?? 15 * 60_000;
  }

  /** Keeps a plan and returns what the preview shows. */
  put(plan: Plan): PlanPreview {
    this.#sweep();
    const planId = randomUUID();
    this.#plans.set(planId, { plan, expires: this.#now() + this.#ttlMs });
    return {
      planId,
      title: plan.title,
      serverId: plan.serverId,
      kind: plan.kind,
      steps: plan.steps.map((s) => ({ id: s.id, title: s.title, kind: s.kind })),
      commands: [...plan.commands],
      diffs: plan.diffs.map((d) => ({ path: d.path, before: d.before, after: d.after, unifiedDiff: d.unifiedDiff })),
    };
  }

  /** Plans and applies in one go (the CLI without --dry-run), or only plans. */
  async planAndMaybeApply(plan: Plan, dryRun: boolean): Promise<{ plan: PlanPreview; operationId: string | null }> {
    const preview = this.put(plan);
    if (dryRun) return { plan: preview, operationId: null };
    return { plan: preview, operationId: (await this.apply(preview.planId)).operationId };
  }

  /** Runs a kept plan once; a second apply of the same id is NOT_FOUND. */
  async apply(planId: string): Promise<{ operationId: string }> {
    this.#sweep();
    const entry = this.#plans.get(planId);
    if (!entry) throw new AppError('NOT_FOUND', 'That plan has expired or was already applied; plan the change again.');
    this.#plans.delete(planId);
    const op = await this.#runner.apply(entry.plan);
    return { operationId: op.id };
  }

  #sweep(): void {
    const now = this.#now();
    for (const [id, e] of this.#plans) if (e.expires <= now) this.#plans.delete(id);
  }
}
