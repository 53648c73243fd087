import { AppError } from '../../../shared/errors';
import type { JsonValue, Plan, PlanStep } from '../../operations/operation.types';

/**
 * A plan of API steps for one panel driver: the preview's command list gathered from the steps, the driver's
 * kind in params (params never carry a secret), and the secrets to redact when there are any.
 *
 * Every HTTP panel driver builds its plans the same way; only the driver's name differs.
 */
export function panelPlan(
  driver: string,
  title: string,
  serverId: string,
  kind: string,
  steps: PlanStep[],
  params: { [key: string]: JsonValue },
  secrets: readonly string[] = [],
): Plan {
  return {
    title,
    serverId,
    kind,
    steps,
    commands: steps.flatMap((s) => s.commands ?? []),
    diffs: [],
    params: { driver, ...params },
    ...(secrets.length > 0 ? { secrets } : {}),
  };
}

/** {@link panelPlan} for one driver: the plan builder a driver's capabilities share. */
export function panelPlanFor(
  driver: string,
): (
  title: string,
  serverId: string,
  kind: string,
  steps: PlanStep[],
  params: { [key: string]: JsonValue },
  secrets?: readonly string[],
) => Plan {
  return (...args) => panelPlan(driver, ...args);
}

/** A schema with zod's safeParse (kept structural so any zod schema fits). */
export interface ValueSchema<T> {
  safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { message: string }[] } };
}

/**
 * Checks one form value with a contract schema before anything is sent to `panel` (defence in depth behind the
 * dispatcher): VALIDATION naming the form field, with the schema's own sentence; the value is never quoted back.
 */
export function checkedForPanel<T>(panel: string, schema: ValueSchema<T>, value: unknown, field: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const why = r.error.issues[0]?.message;
    throw new AppError(
      'VALIDATION',
      `The ${field} is not valid${why ? `: ${why}` : ''}; nothing was sent to ${panel}.`,
      {
        field,
      },
    );
  }
  return r.data;
}
