import type { Operation, Plan } from '../../src/main/operations/operation.types';
import type { AppError } from '../../src/shared/errors';
import type { Harness } from '../unit/operations/helpers';

/**
 * Shared pieces of the panel driver suites (CloudPanel API, GhostCP, NexusPanel, SkyPANEL, Website Factory).
 *
 * Every suite had its own copy of these; they live here once so a change to how a plan is awaited or a failure
 * is caught reaches all of them.
 */

/** Short retry delays for drivers against a loopback panel (a 429 or 503 is retried at once). */
export const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 40 } as const;

/** Short polling of queued operations and jobs against a loopback panel. */
export const FAST_POLL = { intervalMs: 10, maxIntervalMs: 40 } as const;

/** The AppError a promise rejects with (fails the test when it resolves). */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

/** Applies a plan through the real operations engine and answers the journal's entry once the run ended. */
export async function applyAndWait(h: Harness, plan: Plan): Promise<Operation> {
  const queued = h.mod.service.apply(plan);
  await h.mod.service.wait(queued.id);
  return h.mod.service.get(queued.id);
}

/** Closes each in the order given (extras before the driver, the driver before its server), one at a time. */
export async function closeInOrder(...things: readonly ({ close(): Promise<void> } | undefined)[]): Promise<void> {
  for (const t of things) await t?.close();
}
