import type {
  CommandRecord,
  Operation,
  OperationState,
  OperationStep,
  StepKind,
  StepState,
} from '../../shared/contract/operations.contract';

export type { CommandRecord, Operation, OperationState, OperationStep, StepKind, StepState };

/** JSON a plan carries to be rebuilt after a restart, and a step hands to its rollback. Sealed at rest. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Strings to hide: each registered string becomes •••• in every log line, command and error recorded. */
export interface SecretSet {
  /** Registers a secret (empty strings are ignored). */
  add(secret: string | null | undefined): void;
  /** `text` with every registered secret replaced by ••••. */
  redact(text: string): string;
}

/** What a step can use while it runs. */
export interface StepContext {
  readonly operationId: string;
  readonly serverId: string;
  readonly stepId: string;
  /** Aborted when the user cancels; a long step may stop early by throwing (it then counts as failed). */
  readonly signal: AbortSignal;
  /** Records one line of output (redacted, capped per step) and streams it to the UI. */
  log(line: string): void;
  /** Records an exact command the step ran, its exit code (null: killed / no code) and its output (capped). */
  record(command: string, exitCode: number | null, output: string): void;
  /** Register secrets here before logging anything that might contain them (passwords, tokens, keys). */
  readonly secrets: SecretSet;
  /** Results of the steps that finished before this one (this run or an earlier one), by step id. */
  readonly results: ReadonlyMap<string, StepResult>;
}

/** What a rollback gets: the step context plus the result its own run returned (e.g. the backup's path). */
export interface RollbackContext extends StepContext {
  readonly result: StepResult;
}

/** What a step returns: a line for the journal, and JSON its rollback and later steps need (sealed at rest). */
export interface StepResult {
  readonly summary?: string;
  readonly data?: JsonValue;
}

/**
 * One step of a plan. `run` must either finish its change or leave nothing behind when it throws: only
 * steps that finished are rolled back. Steps should be idempotent, because retry after an interruption
 * runs the interrupted step again.
 */
export interface PlanStep {
  /** Stable within the plan and across a rebuild of the same plan (retry matches finished steps by id). */
  readonly id: string;
  readonly title: string;
  readonly kind: StepKind;
  /** The exact commands the step will run, as the plan preview shows them (argv rendered by `display`). */
  readonly commands?: readonly string[];
  run(ctx: StepContext): Promise<StepResult | void>;
  rollback?(ctx: RollbackContext): Promise<void>;
}

/** One file a plan will write: its content before and after and the unified diff, shown before Apply. */
export interface FileDiff {
  readonly path: string;
  /** null: the file does not exist yet / will be deleted. */
  readonly before: string | null;
  readonly after: string | null;
  readonly unifiedDiff: string;
}

/**
 * What a driver proposes: the steps to run, the exact commands and diffs to show before Apply, and the
 * params to rebuild the same steps after a restart (see PlanRegistry).
 */
export interface Plan {
  readonly title: string;
  readonly serverId: string;
  /** Registry key, e.g. 'site.create'. */
  readonly kind: string;
  readonly steps: readonly PlanStep[];
  readonly commands: readonly string[];
  readonly diffs: readonly FileDiff[];
  /** Input to PlanRegistry's rebuild for `kind` (sealed at rest). Put no password here: pass a vault id. */
  readonly params?: JsonValue;
  /** Secrets known up front: redacted from everything recorded from the first step on. */
  readonly secrets?: readonly string[];
}

/** What a rebuild receives: the operation being resumed and the params its plan carried. */
export interface RebuildInput {
  readonly operationId: string;
  readonly serverId: string;
  readonly kind: string;
  readonly params: JsonValue;
}

/** Rebuilds the plan of an operation of one kind from its params (after a restart, for retry or rollback). */
export type PlanRebuilder = (input: RebuildInput) => Promise<Plan> | Plan;

/** `kind -> rebuild`: drivers register one per operation kind they plan. */
export interface PlanRegistry {
  register(kind: string, rebuild: PlanRebuilder): void;
  get(kind: string): PlanRebuilder | undefined;
}

/** Filters of operations.list. */
export interface OperationQuery {
  readonly serverId?: string | undefined;
  readonly state?: readonly OperationState[] | undefined;
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/** States in which an operation is over and will not move again unless retried or rolled back. */
export const FINAL_STATES: ReadonlySet<OperationState> = new Set([
  'succeeded',
  'failed',
  'rolled_back',
  'cancelled',
  'interrupted',
]);
