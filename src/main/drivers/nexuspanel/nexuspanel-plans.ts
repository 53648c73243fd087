import type { JsonValue, PlanStep, StepContext } from '../../operations/operation.types';
import { panelPlanFor } from '../http/panel-plan';
import { postOnce } from '../http/post-once';
import type { NexusPanelApi, NexusRow } from './nexuspanel.client';
import { runPanelStep } from '../http/step-log';

/** What every NexusPanel step needs: the client and the account password (registered as a secret). */
export interface NexusStepEnv {
  readonly api: NexusPanelApi;
  readonly password: string;
}

/** One write to NexusPanel and how to check it. */
export interface NexusWrite {
  /** "add server web-01": used in step titles. */
  readonly what: string;
  readonly method: 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly body?: Record<string, unknown>;
  /** The answer's `data` key holding the changed thing (server, user, rule), or null. */
  readonly key: string | null;
  /** The request as the plan preview shows it (secrets masked). */
  readonly shown: string;
  /** A create: after an ambiguous failure, find what an earlier send made (list and match). */
  readonly lookup?: (signal: AbortSignal) => Promise<NexusRow | null>;
  /** Reads the answer into the journal line (and throws when the answer says it failed). */
  readonly summary?: (answer: NexusRow) => string;
  /** The last step: checks the panel shows the change; returns the journal line, throws when it does not. */
  readonly verify?: (signal: AbortSignal, answer: NexusRow | null) => Promise<string>;
  /** Undoes a finished create when the check fails (deletes it again). */
  readonly undo?: (signal: AbortSignal, answer: NexusRow) => Promise<void>;
  /** Strings to redact from the journal (e.g. a new user's password). */
  readonly secrets?: readonly string[];
}

/** Runs `f` with the password registered as a secret and the client's retry notes in the step log. */
export function inStep<T>(env: NexusStepEnv, ctx: StepContext, f: () => Promise<T>): Promise<T> {
  return runPanelStep(env.api, ctx, [env.password], f);
}

function idText(id: unknown): string {
  return typeof id === 'number' || typeof id === 'string' ? `id ${id}` : 'done';
}

function jsonRow(x: NexusRow | null): JsonValue {
  return x === null ? null : (JSON.parse(JSON.stringify(x)) as JsonValue);
}

/**
 * The steps of one NexusPanel write: send it (a create at most once in effect: after an ambiguous failure the
 * panel is asked whether it took effect before anything is sent again; PUT and DELETE are idempotent and retried
 * by the client), then check the panel shows it; a create whose check fails is deleted again.
 */
export function writeSteps(env: NexusStepEnv, w: NexusWrite): PlanStep[] {
  const { api } = env;
  const steps: PlanStep[] = [
    {
      id: 'send',
      title: `Ask NexusPanel to ${w.what}`,
      kind: 'exec',
      commands: [w.shown],
      run: (ctx) =>
        inStep(env, ctx, async () => {
          for (const s of w.secrets ?? []) ctx.secrets.add(s);
          if (w.method === 'DELETE') {
            const gone = await api.remove(w.path, `Deleting ${w.what}`, ctx.signal);
            return { summary: gone ? 'deleted' : 'already gone', data: { answer: null } };
          }
          let answer: NexusRow;
          if (w.method === 'PUT') answer = await api.put(w.path, w.key ?? 'data', w.body, w.what, ctx.signal);
          else if (w.lookup) {
            const lookup = w.lookup;
            const sent = await postOnce<NexusRow>({
              send: () => api.post(w.path, w.key, w.body, w.what, ctx.signal),
              lookup: () => lookup(ctx.signal),
              onLookup: (found) =>
                ctx.log(
                  found
                    ? 'The request took effect despite the lost answer; not sending it again.'
                    : 'The request did not take effect; sending it once more.',
                ),
            });
            answer = sent.value;
          } else answer = await api.post(w.path, w.key, w.body, w.what, ctx.signal);
          const summary = w.summary ? w.summary(answer) : idText(answer['id']);
          ctx.log(`NexusPanel: ${summary}`);
          return { summary, data: { answer: jsonRow(answer) } };
        }),
      ...(w.undo
        ? {
            rollback: (ctx) =>
              inStep(env, ctx, async () => {
                const answer = (ctx.result.data as { answer?: NexusRow | null } | undefined)?.answer;
                if (answer) await w.undo?.(ctx.signal, answer);
              }),
          }
        : {}),
    },
  ];
  const verify = w.verify;
  if (verify) {
    steps.push({
      id: 'verify',
      title: 'Check that NexusPanel shows the change',
      kind: 'verify',
      run: (ctx) =>
        inStep(env, ctx, async () => {
          const answer = (ctx.results.get('send')?.data as { answer?: NexusRow | null } | undefined)?.answer ?? null;
          return { summary: await verify(ctx.signal, answer) };
        }),
    });
  }
  return steps;
}

/** A plan of NexusPanel steps (params never carry a secret). */
export const nexusPlan = panelPlanFor('nexuspanel');
