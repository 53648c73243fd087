import { AppError } from '../../../shared/errors';
import type { JsonValue, Plan, PlanStep } from '../../operations/operation.types';
import type { HttpMethod } from '../http/http-client';
import { postOnce } from '../http/post-once';
import { runIn } from './sites.capability';
import type { WebsiteFactoryApi } from './website-factory.client';
import { isSecretKey, MASK } from './website-factory-values';
import { jsonObject as obj } from '../http/json-values';

type Item = Record<string, unknown>;

function num(v: unknown): number {
  return typeof v === 'number' ? v : 0;
}

/** One write a plan sends: what, where, the secrets in it, and how to tell afterwards whether it took effect. */
export interface WriteSpec {
  readonly resource: string;
  /** create, delete, update, trigger or a row action's id (the operation kind is panel.<resource>.<verb>). */
  readonly verb: string;
  readonly title: string;
  readonly method: HttpMethod;
  readonly path: string;
  readonly json?: Record<string, unknown>;
  readonly secrets?: readonly string[];
  /** For a POST: true when an earlier send already took effect (asked only after an ambiguous failure). */
  readonly lookup?: (signal: AbortSignal) => Promise<boolean>;
  /** Safe to show and keep (no secret values). */
  readonly params?: Record<string, JsonValue>;
}

function masked(v: unknown, key = ''): unknown {
  if (isSecretKey(key) && v !== undefined && v !== null && v !== '') return MASK;
  if (Array.isArray(v)) return v.map((x) => masked(x));
  if (typeof v === 'object' && v !== null) {
    return Object.fromEntries(Object.entries(v as Item).map(([k, x]) => [k, masked(x, k)]));
  }
  return v;
}

/** A request body for the plan preview and journal: secret values masked (at any depth). */
export function shown(json: Record<string, unknown> | undefined): string {
  return json === undefined ? '' : ` ${JSON.stringify(masked(json))}`;
}

/**
 * A one-step plan that sends one write and logs the hub's answer: a POST at most once in effect (an ambiguous
 * failure is looked up first when the spec says how), a DELETE of something already gone counts as done. Secret
 * values are registered with the step before anything is logged and masked in the preview.
 */
export function writePlan(api: WebsiteFactoryApi, serverId: string, secret: string, w: WriteSpec): Plan {
  const command = `${w.method} ${w.path}${shown(w.json)}`;
  const step: PlanStep = {
    id: 'send',
    title: w.title,
    kind: 'exec',
    commands: [command],
    run: (ctx) => {
      for (const s of w.secrets ?? []) ctx.secrets.add(s);
      return runIn(api, secret, ctx, async () => {
        const send = () =>
          api.call(w.method, w.path, { ...(w.json !== undefined ? { json: w.json } : {}), signal: ctx.signal });
        let answer: unknown;
        try {
          if (w.method === 'POST' && w.lookup) {
            const lookup = w.lookup;
            const r = await postOnce<unknown>({
              send,
              lookup: async () => ((await lookup(ctx.signal)) ? { message: 'found on the hub' } : null),
              onLookup: (found) =>
                ctx.log(
                  found
                    ? 'The write took effect despite the lost answer; not sending it again.'
                    : 'The write did not take effect; sending it once more.',
                ),
            });
            answer = r.value;
          } else answer = await send();
        } catch (e) {
          if (w.method === 'DELETE' && e instanceof AppError && e.code === 'NOT_FOUND') {
            return { summary: 'already gone' };
          }
          throw e;
        }
        const a = obj(answer);
        const message =
          typeof a['message'] === 'string'
            ? a['message']
            : a['imported'] !== undefined
              ? `imported ${num(a['imported'])}, failed ${num(a['failed'])}`
              : typeof a['id'] === 'string'
                ? `id ${a['id']}`
                : 'done';
        ctx.log(`Website Factory: ${message}`);
        for (const err of Array.isArray(a['errors']) ? (a['errors'] as unknown[]) : []) {
          ctx.log(`Website Factory: ${typeof err === 'string' ? err : JSON.stringify(err)}`);
        }
        return { summary: message, ...(typeof a['id'] === 'string' ? { data: { id: a['id'] } } : {}) };
      });
    },
  };
  return {
    title: w.title,
    serverId,
    kind: `panel.${w.resource}.${w.verb}`,
    steps: [step],
    commands: [command],
    diffs: [],
    params: { driver: 'website-factory', resource: w.resource, path: w.path, ...(w.params ?? {}) },
    ...(w.secrets && w.secrets.length > 0 ? { secrets: [...w.secrets] } : {}),
  };
}
