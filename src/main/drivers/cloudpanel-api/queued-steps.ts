import { AppError } from '../../../shared/errors';
import type { PlanStep, StepContext } from '../../operations/operation.types';
import { panelPlanFor } from '../http/panel-plan';
import { postOnce } from '../http/post-once';
import type { CloudPanelApi } from './cloudpanel-api.client';
import { withFormFields } from './cloudpanel-values';
import { runPanelStep } from '../http/step-log';

/** One write to CloudPanel that is queued as an operation, and how to tell it took effect. */
export interface QueuedWrite {
  /** "create database shop_db": used in step titles. */
  readonly what: string;
  readonly method: 'POST' | 'DELETE';
  readonly path: string;
  /** The JSON body, built when the step runs (register any secret in it with ctx.secrets first). */
  readonly body?: (ctx: StepContext) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** The request as the plan preview shows it: secrets masked, long values summarised. */
  readonly shown: string;
  /** True when nothing is left to send (a resumed create that went through, a delete of something gone). */
  readonly already: (signal: AbortSignal) => Promise<boolean>;
  /** After an ambiguous failure of a POST: did it take effect after all? (list and match) */
  readonly tookEffect: (signal: AbortSignal) => Promise<boolean>;
  /** The last step: checks the panel shows the change; returns the journal line, throws when it does not. */
  readonly verify: (signal: AbortSignal) => Promise<string>;
  /** The panel's 422 field names → the form's keys. */
  readonly fields?: Readonly<Record<string, string>>;
  /** Undoes a finished write when the last check fails (e.g. deletes a half-made create). */
  readonly undo?: (ctx: StepContext) => Promise<void>;
}

/** What every CloudPanel step needs: the client and the key to register as a secret. */
export interface StepEnv {
  readonly api: CloudPanelApi;
  readonly apiKey: string;
}

/** Runs `f` with the API key registered as a secret and the client's retry notes in the step log. */
export function inStep<T>(env: StepEnv, ctx: StepContext, f: () => Promise<T>): Promise<T> {
  return runPanelStep(env.api, ctx, [env.apiKey], f);
}

function operationOf(ctx: StepContext): number | null {
  const id = (ctx.results.get('queue')?.data as { operationId?: number | null } | undefined)?.operationId;
  return typeof id === 'number' ? id : null;
}

/**
 * The three steps of a queued CloudPanel write (seed cloudpanel-api.md): send it once (a POST whose answer is
 * lost is looked up before anything is sent again; a DELETE is idempotent and retried by the client), poll
 * /api/v1/operations/:id with backoff to completed or failed with each change of status in the journal, then
 * check the panel shows the change. A panel that did the write at once (no operation named) skips the wait.
 */
export function queuedSteps(env: StepEnv, w: QueuedWrite): PlanStep[] {
  const { api } = env;
  const fields = w.fields ?? {};
  return [
    {
      id: 'queue',
      title: `Ask CloudPanel to ${w.what}`,
      kind: 'exec',
      commands: [w.shown],
      run: (ctx) =>
        inStep(env, ctx, async () => {
          if (await w.already(ctx.signal)) {
            ctx.log('Nothing to send: CloudPanel already shows this change.');
            return { summary: 'already done', data: { operationId: null } };
          }
          const body = w.body ? await w.body(ctx) : undefined;
          const send = () => withFormFields(fields, () => api.write(w.method, w.path, body, ctx.signal));
          let operationId: number | null;
          if (w.method === 'DELETE') operationId = await send();
          else {
            const sent = await postOnce<number | null | 'found'>({
              send,
              lookup: async () => ((await w.tookEffect(ctx.signal)) ? 'found' : null),
              onLookup: (found) =>
                ctx.log(
                  found
                    ? 'The request took effect despite the lost answer; not sending it again.'
                    : 'The request did not take effect; sending it once more.',
                ),
            });
            operationId = sent.value === 'found' ? null : sent.value;
          }
          ctx.log(
            operationId !== null ? `CloudPanel queued operation ${operationId}` : 'CloudPanel named no operation',
          );
          return {
            summary: operationId !== null ? `operation ${operationId}` : 'no operation to follow',
            data: { operationId },
          };
        }),
    },
    {
      id: 'wait',
      title: `Wait for CloudPanel to ${w.what}`,
      kind: 'verify',
      commands: ['GET /api/v1/operations/:id (until completed or failed)'],
      run: (ctx) =>
        inStep(env, ctx, async () => {
          const id = operationOf(ctx);
          if (id === null) return { summary: 'nothing to wait for' };
          await api.waitFor(id, (l) => ctx.log(l), ctx.signal);
          return { summary: `operation ${id} completed` };
        }),
      ...(w.undo ? { rollback: (ctx: StepContext) => inStep(env, ctx, () => w.undo?.(ctx) ?? Promise.resolve()) } : {}),
    },
    {
      id: 'verify',
      title: `Check that CloudPanel shows the change`,
      kind: 'verify',
      run: (ctx) => inStep(env, ctx, async () => ({ summary: await w.verify(ctx.signal) })),
    },
  ];
}

/** A plan of queued steps, with the preview's command list and params (never a secret in params). */
export const queuedPlan = panelPlanFor('cloudpanel-api');

/** Follows a queued delete when a check fails after a create (the half-made thing is removed again). */
export async function deleteAndWait(env: StepEnv, ctx: StepContext, path: string): Promise<void> {
  const id = await env.api.write('DELETE', path, undefined, ctx.signal);
  if (id !== null) await env.api.waitFor(id, (l) => ctx.log(l), ctx.signal);
}

/** NOT_FOUND for a row that is not on the panel. */
export function notOnPanel(what: string): AppError {
  return new AppError('NOT_FOUND', `No ${what} on this CloudPanel.`);
}
