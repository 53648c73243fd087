import type { Logger } from '../core/logger';
import type { LiveOperation, LiveStep } from './live-operation';
import type { PlanStep, RollbackContext, StepContext, StepResult } from './operation.types';

/** Runs a live operation's steps: forward with rollback on failure, or only the rollback. */
export class OperationExecutor {
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /**
   * Runs every step not yet succeeded, in order. On a failure rolls back every finished step in reverse:
   * `rolled_back`, or `failed` naming what could not be restored. A cancel takes effect at the next step
   * boundary and rolls back the same way (state `cancelled`).
   */
  async forward(op: LiveOperation): Promise<void> {
    const plan = op.plan;
    if (!plan) throw new Error('No plan to run.');
    op.abort = new AbortController();
    op.setState('running', { error: null, notRestored: [] });
    for (const step of op.steps) {
      if (step.clear.state === 'succeeded') continue;
      if (op.cancelRequested) return this.#stop(op, 'cancelled', 'Cancelled by the user.');
      const def = plan.steps[step.seq]!;
      op.setStep(step, 'running', { error: null, result: null });
      try {
        const result = (await def.run(this.#context(op, step))) ?? {};
        op.flushDropped(step);
        op.setStep(step, 'succeeded', { result: toStored(result) });
      } catch (e) {
        op.flushDropped(step);
        const message = errorText(e);
        op.setStep(step, 'failed', { error: message });
        if (op.cancelRequested) return this.#stop(op, 'cancelled', 'Cancelled by the user.');
        return this.#stop(op, 'rolled_back', `${step.body.title} failed: ${message}`);
      }
    }
    op.setState('succeeded', { error: null });
  }

  /**
   * Only the rollback (operations.rollback): undoes the finished steps of an interrupted, cancelled or failed
   * operation, newest first, including steps whose earlier rollback failed.
   */
  async rollbackOnly(op: LiveOperation): Promise<void> {
    op.abort = new AbortController();
    op.setState('running');
    const failed = await this.#rollback(op, true);
    if (failed.length === 0) op.setState('rolled_back', { error: null, notRestored: [] });
    else op.setState('failed', { error: couldNotRestore(failed), notRestored: failed });
  }

  async #stop(op: LiveOperation, ok: 'rolled_back' | 'cancelled', why: string): Promise<void> {
    const failed = await this.#rollback(op, false);
    if (failed.length === 0) op.setState(ok, { error: ok === 'cancelled' ? null : why, notRestored: [] });
    else op.setState('failed', { error: `${why} ${couldNotRestore(failed)}`, notRestored: failed });
  }

  /** Rolls back finished steps in reverse order; returns the titles of those that could not be restored. */
  async #rollback(op: LiveOperation, retryFailed: boolean): Promise<string[]> {
    const failed: string[] = [];
    const plan = op.plan;
    for (const step of [...op.steps].reverse()) {
      const s = step.clear.state;
      if (!(s === 'succeeded' || (retryFailed && s === 'rollback_failed'))) continue;
      const def: PlanStep | undefined = plan?.steps[step.seq];
      if (!def?.rollback) {
        op.setStep(step, 'rolled_back', { error: null });
        continue;
      }
      try {
        const ctx: RollbackContext = {
          ...this.#context(op, step),
          result: op.results.get(step.body.id) ?? step.body.result ?? {},
        };
        op.log(step, `Rolling back: ${step.body.title}`);
        await def.rollback(ctx);
        op.flushDropped(step);
        op.setStep(step, 'rolled_back', { error: null });
      } catch (e) {
        op.flushDropped(step);
        const message = errorText(e);
        this.#logger.warn('operations.rollback-failed', { operationId: op.id, seq: step.seq });
        op.setStep(step, 'rollback_failed', { error: `Rollback failed: ${message}` });
        failed.push(step.body.title);
      }
    }
    return failed;
  }

  #context(op: LiveOperation, step: LiveStep): StepContext {
    return {
      operationId: op.id,
      serverId: op.serverId,
      stepId: step.body.id,
      signal: op.abort.signal,
      secrets: op.secrets,
      results: op.results,
      log: (line) => op.log(step, line),
      record: (command, exitCode, output) => op.record(step, command, exitCode, output),
    };
  }
}

function couldNotRestore(titles: readonly string[]): string {
  return `Could not restore: ${titles.join(', ')}.`;
}

/** A user-readable reason (the message only: never a stack). Redacted by the journal before it is stored. */
function errorText(e: unknown): string {
  if (e instanceof Error) return e.message || e.name;
  return typeof e === 'string' ? e : 'Unknown error';
}

function toStored(r: StepResult): StepResult {
  // Round-trip through JSON so what the rollback sees after a restart equals what it sees now.
  return JSON.parse(JSON.stringify(r)) as StepResult;
}
