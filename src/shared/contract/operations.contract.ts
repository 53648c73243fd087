import { z } from 'zod';
import { event, method } from './define';

/**
 * Where an operation is in its life: queued -> running -> succeeded | failed | rolled_back | cancelled;
 * `interrupted` when the core stopped (crash, kill) while it ran. See DESIGN.md rule 7a.
 */
export const OperationState = z.enum([
  'queued',
  'running',
  'succeeded',
  'failed',
  'rolled_back',
  'cancelled',
  'interrupted',
]);
export type OperationState = z.infer<typeof OperationState>;

/** Where one step is: done steps are `succeeded`; a rollback moves them to `rolled_back` or `rollback_failed`. */
export const StepState = z.enum([
  'pending',
  'running',
  'succeeded',
  'failed',
  'rolled_back',
  'rollback_failed',
  'interrupted',
  'skipped',
]);
export type StepState = z.infer<typeof StepState>;

/** What a step does, for icons and for the order a plan is reviewed in. */
export const StepKind = z.enum(['backup', 'write', 'upload', 'validate', 'reload', 'verify', 'exec', 'cleanup']);
export type StepKind = z.infer<typeof StepKind>;

/** One exact command a step ran, its exit code and its (capped, redacted) output. */
export const CommandRecord = z.object({
  at: z.number().int(),
  command: z.string(),
  exitCode: z.number().int().nullable(),
  output: z.string(),
});
export type CommandRecord = z.infer<typeof CommandRecord>;

/** One step of a journaled operation. `log` and `commands` are filled by operations.get only. */
export const OperationStep = z.object({
  /** The driver's id for the step (stable across a rebuild of the plan, so retry can match it). */
  id: z.string(),
  title: z.string(),
  kind: StepKind,
  state: StepState,
  startedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  /** Why it failed, or why its rollback failed (redacted, user-readable). */
  error: z.string().nullable(),
  log: z.array(z.string()),
  commands: z.array(CommandRecord),
});
export type OperationStep = z.infer<typeof OperationStep>;

/** One entry of the operations journal. */
export const Operation = z.object({
  id: z.string(),
  serverId: z.string(),
  /** The driver's operation kind, e.g. 'site.create'. */
  kind: z.string(),
  title: z.string(),
  state: OperationState,
  createdAt: z.number().int(),
  startedAt: z.number().int().nullable(),
  endedAt: z.number().int().nullable(),
  /** 0..1: finished steps over all steps. */
  progress: z.number().min(0).max(1),
  /** The failure, user-readable; for a failed rollback also what could not be restored. */
  error: z.string().nullable(),
  /** Titles of the steps whose rollback failed: what was NOT restored on the server. */
  notRestored: z.array(z.string()),
  /** The exact commands the plan announced before it ran (for display). */
  plannedCommands: z.array(z.string()),
  steps: z.array(OperationStep),
});
export type Operation = z.infer<typeof Operation>;

/** A page of the journal, newest first. */
export const OperationPage = z.object({
  items: z.array(Operation),
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: z.string().nullable(),
  total: z.number().int(),
});
export type OperationPage = z.infer<typeof OperationPage>;

const Id = z.strictObject({ id: z.string().min(1).max(64) });

/** The operations journal: follow, cancel, retry and roll back remote changes. */
export const operationsMethods = {
  'operations.list': method({
    input: z.strictObject({
      serverId: z.string().min(1).max(64).optional(),
      state: z.array(OperationState).max(7).optional(),
      limit: z.number().int().min(1).max(100).default(50),
      cursor: z.string().max(200).optional(),
    }),
    output: OperationPage,
    summary: 'The operations journal, newest first, filtered by server and state (steps without logs).',
  }),
  'operations.get': method({
    input: Id,
    output: Operation,
    summary: 'One operation with every step, its log lines and the exact commands it ran.',
  }),
  'operations.cancel': method({
    input: Id,
    output: Operation,
    summary: 'Cancel: a queued operation never starts; a running one stops at the next step and rolls back.',
  }),
  'operations.retry': method({
    input: Id,
    output: Operation,
    summary: 'Run an interrupted, failed, cancelled or rolled-back operation again from its first unfinished step.',
  }),
  'operations.rollback': method({
    input: Id,
    output: Operation,
    summary: 'Undo the finished steps of an interrupted, cancelled or failed operation, newest first.',
  }),
};

export const operationsEvents = {
  'operations.changed': event({
    payload: Operation,
    summary: 'An operation was queued, started, progressed or ended (steps without logs).',
  }),
  'operations.step': event({
    payload: z.object({
      operationId: z.string(),
      stepId: z.string(),
      state: StepState,
      /** New log lines since the last event for this step (redacted). */
      lines: z.array(z.string()),
      progress: z.number().min(0).max(1),
    }),
    summary: 'A step changed state or logged lines.',
  }),
};
