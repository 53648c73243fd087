import type {
  JournalStore,
  OperationClear,
  OperationHead,
  StepBody,
  StepClear,
  StoredOperation,
} from '../storage/history/journal-store';
import type { Clock } from '../vault/clock';
import type { Operation, OperationState, Plan, StepResult, StepState } from './operation.types';
import { OperationSecrets } from './secret-set';

/** Caps on what one step records (the journal is not a log archive). */
export const OUTPUT_CAPS = { entriesPerStep: 200, lineChars: 2000, outputHead: 4096, outputTail: 12_288 } as const;

/** Where progress goes: the event bus, narrowed to the two operations events. */
export interface OperationEvents {
  changed(op: Operation): void;
  step(e: { operationId: string; stepId: string; state: StepState; lines: string[]; progress: number }): void;
}

/** One step of a live operation: its clear state, sealed body and how much it has recorded. */
export interface LiveStep {
  readonly seq: number;
  clear: StepClear;
  body: StepBody;
  recorded: number;
  dropped: number;
}

/**
 * An operation in memory while it is queued, runs or rolls back: the single writer of its journal rows
 * and its events. Every transition is persisted before it is announced, so what the UI saw survives a kill.
 */
export class LiveOperation {
  readonly id: string;
  readonly serverId: string;
  readonly createdAt: number;
  head: OperationHead;
  clear: OperationClear;
  readonly steps: LiveStep[];
  plan: Plan | null;
  readonly secrets = new OperationSecrets();
  readonly results = new Map<string, StepResult>();
  abort = new AbortController();
  cancelRequested = false;
  readonly #journal: JournalStore;
  readonly #events: OperationEvents;
  readonly #clock: Clock;

  constructor(
    stored: StoredOperation,
    plan: Plan | null,
    deps: { journal: JournalStore; events: OperationEvents; clock: Clock },
  ) {
    this.id = stored.id;
    this.serverId = stored.serverId;
    this.createdAt = stored.createdAt;
    this.head = stored.head;
    this.clear = {
      state: stored.state,
      startedAt: stored.startedAt,
      endedAt: stored.endedAt,
      progress: stored.progress,
    };
    this.steps = stored.steps.map((s) => ({
      seq: s.seq,
      clear: { state: s.state, startedAt: s.startedAt, endedAt: s.endedAt },
      body: s.body,
      recorded: s.output?.length ?? 0,
      dropped: 0,
    }));
    for (const s of stored.steps)
      if (s.state === 'succeeded' && s.body.result) this.results.set(s.body.id, s.body.result);
    this.plan = plan;
    for (const secret of plan?.secrets ?? []) this.secrets.add(secret);
    this.#journal = deps.journal;
    this.#events = deps.events;
    this.#clock = deps.clock;
  }

  /** The contract view (steps without logs). */
  view(): Operation {
    return {
      id: this.id,
      serverId: this.serverId,
      kind: this.head.kind,
      title: this.head.title,
      state: this.clear.state,
      createdAt: this.createdAt,
      startedAt: this.clear.startedAt,
      endedAt: this.clear.endedAt,
      progress: this.clear.progress,
      error: this.head.error,
      notRestored: [...this.head.notRestored],
      plannedCommands: [...this.head.plannedCommands],
      steps: this.steps.map((s) => ({
        id: s.body.id,
        title: s.body.title,
        kind: s.body.kind,
        state: s.clear.state,
        startedAt: s.clear.startedAt,
        endedAt: s.clear.endedAt,
        error: s.body.error,
        log: [],
        commands: [],
      })),
    };
  }

  /** Moves the operation to `state` (persisted, then announced). */
  setState(state: OperationState, patch: { error?: string | null; notRestored?: string[] } = {}): void {
    const now = this.#clock.now();
    const ended = state !== 'running' && state !== 'queued';
    this.clear = {
      state,
      startedAt: state === 'running' ? now : this.clear.startedAt,
      endedAt: ended ? now : null,
      progress: this.#progress(),
    };
    const headChanged = patch.error !== undefined || patch.notRestored !== undefined;
    if (headChanged) {
      this.head = {
        ...this.head,
        ...(patch.error !== undefined ? { error: patch.error === null ? null : this.secrets.redact(patch.error) } : {}),
        ...(patch.notRestored !== undefined ? { notRestored: patch.notRestored } : {}),
      };
    }
    this.#journal.updateOperation(this.id, this.clear, headChanged ? this.#sealed() : undefined);
    this.#events.changed(this.view());
  }

  /** Moves a step to `state` (persisted, then announced); `result` and `error` go into its sealed body. */
  setStep(step: LiveStep, state: StepState, patch: { error?: string | null; result?: StepResult | null } = {}): void {
    const now = this.#clock.now();
    step.clear = {
      state,
      startedAt: state === 'running' ? now : step.clear.startedAt,
      endedAt: state === 'running' || state === 'pending' ? null : now,
    };
    const bodyChanged = patch.error !== undefined || patch.result !== undefined;
    if (bodyChanged) {
      step.body = {
        ...step.body,
        ...(patch.error !== undefined ? { error: patch.error === null ? null : this.secrets.redact(patch.error) } : {}),
        ...(patch.result !== undefined ? { result: patch.result } : {}),
      };
    }
    if (state === 'succeeded' && patch.result) this.results.set(step.body.id, patch.result);
    if (state === 'rolled_back' || state === 'pending') this.results.delete(step.body.id);
    this.clear = { ...this.clear, progress: this.#progress() };
    this.#journal.updateStep(this.id, step.seq, step.clear);
    this.#journal.updateOperation(this.id, this.clear, bodyChanged ? this.#sealed() : undefined);
    this.#events.step({ operationId: this.id, stepId: step.body.id, state, lines: [], progress: this.clear.progress });
    this.#events.changed(this.view());
  }

  /** Records a log line of a step (redacted, capped) and streams it. */
  log(step: LiveStep, line: string): void {
    const text = clip(this.secrets.redact(line), OUTPUT_CAPS.lineChars);
    if (!this.#room(step)) return;
    this.#journal.appendOutput(this.id, step.seq, step.recorded++, this.#clock.now(), { type: 'log', line: text });
    this.#streamLine(step, text);
  }

  /** Records an exact command, its exit code and output (redacted, capped) and streams a line about it. */
  record(step: LiveStep, command: string, exitCode: number | null, output: string): void {
    if (!this.#room(step)) return;
    const cmd = clip(this.secrets.redact(command), OUTPUT_CAPS.lineChars);
    const out = capOutput(this.secrets.redact(output));
    this.#journal.appendOutput(this.id, step.seq, step.recorded++, this.#clock.now(), {
      type: 'command',
      command: cmd,
      exitCode,
      output: out,
    });
    this.#streamLine(step, `$ ${cmd}${exitCode === null ? '' : ` (exit ${exitCode})`}`);
  }

  /** At the end of a step: one line saying how much was not recorded, if any. */
  flushDropped(step: LiveStep): void {
    if (step.dropped === 0) return;
    const line = `… ${step.dropped} more line(s) not recorded`;
    step.dropped = 0;
    this.#journal.appendOutput(this.id, step.seq, step.recorded++, this.#clock.now(), { type: 'log', line });
    this.#streamLine(step, line);
  }

  #sealed(): { head: OperationHead; bodies: StepBody[] } {
    return { head: this.head, bodies: this.steps.map((s) => s.body) };
  }

  #room(step: LiveStep): boolean {
    if (step.recorded < OUTPUT_CAPS.entriesPerStep) return true;
    step.dropped++;
    return false;
  }

  #streamLine(step: LiveStep, line: string): void {
    this.#events.step({
      operationId: this.id,
      stepId: step.body.id,
      state: step.clear.state,
      lines: [line],
      progress: this.clear.progress,
    });
  }

  #progress(): number {
    if (this.steps.length === 0) return this.clear.state === 'succeeded' ? 1 : 0;
    return this.steps.filter((s) => s.clear.state === 'succeeded').length / this.steps.length;
  }
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/** Keeps the head and the tail of long output (the error is usually at the end). */
function capOutput(text: string): string {
  const { outputHead: head, outputTail: tail } = OUTPUT_CAPS;
  if (text.length <= head + tail) return text;
  return `${text.slice(0, head)}\n… ${text.length - head - tail} characters not recorded …\n${text.slice(-tail)}`;
}
