import type { StateCreator } from 'zustand';
import type { Payload } from '../../../shared/contract';
import type { CommandRecord, Operation } from '../../../shared/contract/operations.contract';
import { client } from '../../lib/client';
import type { AppState } from '../../store';

/** Step log lines of one operation, by step id. */
export type StepLogs = Record<string, string[]>;

/** What the drawer knows of an operation beyond its journal entry: logs and the exact commands run. */
export interface OperationDetail {
  logs: StepLogs;
  commands: Record<string, CommandRecord[]>;
  /** Followed from birth: every log line arrived as an event. */
  followed: boolean;
  /** Fetched with operations.get (logs and commands as the journal has them). */
  fetched: boolean;
}

export interface OperationsSlice {
  /** The journal, newest first (the first page; live changes merged in). */
  operations: Operation[];
  operationsLoaded: boolean;
  opsDrawerOpen: boolean;
  /** The operation whose steps the drawer shows expanded. */
  expandedOpId: string | null;
  opDetails: Record<string, OperationDetail>;
  setOpsDrawerOpen(open: boolean): void;
  setExpandedOp(id: string | null): void;
  loadOperations(): Promise<void>;
  /** Fetches one operation with every step's log and commands (when its logs are not whole yet). */
  loadOperationDetail(id: string): Promise<void>;
  applyOperationChanged(op: Operation): void;
  applyOperationStep(ev: Payload<'operations.step'>): void;
  clearOperations(): void;
}

const ACTIVE = new Set<Operation['state']>(['queued', 'running']);
const PAGE = 50;

/** True while an operation is queued or running. */
export function isActive(op: Operation): boolean {
  return ACTIVE.has(op.state);
}

function newest(a: Operation, b: Operation): number {
  return b.createdAt - a.createdAt;
}

/**
 * The operations journal as the drawer shows it. Live `operations.changed` events replace entries (and open the
 * drawer when a new operation appears); `operations.step` events append log lines, so an operation followed from
 * its start never needs operations.get.
 */
export const createOperationsSlice: StateCreator<AppState, [], [], OperationsSlice> = (set, get) => ({
  operations: [],
  operationsLoaded: false,
  opsDrawerOpen: false,
  expandedOpId: null,
  opDetails: {},
  setOpsDrawerOpen: (open) => set({ opsDrawerOpen: open }),
  setExpandedOp: (id) => {
    set({ expandedOpId: id });
    if (id === null) return;
    const op = get().operations.find((o) => o.id === id);
    const d = get().opDetails[id];
    if (!op || !isActive(op) || !d?.followed)
      get()
        .loadOperationDetail(id)
        .catch(() => undefined);
  },
  loadOperations: async () => {
    const page = await client.call('operations.list', { limit: PAGE });
    set((s) => {
      // Events that arrived while the page was in flight win over the page's older copies.
      const live = new Map(s.operations.map((o) => [o.id, o]));
      const merged = page.items.map((o) => live.get(o.id) ?? o);
      for (const o of s.operations) if (!merged.some((m) => m.id === o.id)) merged.push(o);
      return { operations: merged.sort(newest), operationsLoaded: true };
    });
  },
  loadOperationDetail: async (id) => {
    if (get().opDetails[id]?.fetched) return;
    const op = await client.call('operations.get', { id });
    const logs: StepLogs = {};
    const commands: Record<string, CommandRecord[]> = {};
    for (const step of op.steps) {
      logs[step.id] = step.log;
      commands[step.id] = step.commands;
    }
    set((s) => ({
      opDetails: {
        ...s.opDetails,
        [id]: { logs, commands, followed: s.opDetails[id]?.followed ?? false, fetched: true },
      },
    }));
    get().applyOperationChanged(op);
  },
  applyOperationChanged: (op) => {
    const known = get().operations.some((o) => o.id === op.id);
    set((s) => {
      const rest = s.operations.filter((o) => o.id !== op.id);
      const details =
        known || s.opDetails[op.id]
          ? s.opDetails
          : { ...s.opDetails, [op.id]: { logs: {}, commands: {}, followed: op.state === 'queued', fetched: false } };
      return { operations: [op, ...rest].sort(newest), opDetails: details };
    });
    // A change the user just started shows itself: the drawer opens on it (DESIGN.md rule 7a: follow operations).
    if (!known && isActive(op)) set({ opsDrawerOpen: true, expandedOpId: op.id });
    // When the expanded operation ends, fetch the exact commands it ran (events carry only log lines).
    else if (!isActive(op) && get().expandedOpId === op.id && !get().opDetails[op.id]?.fetched) {
      get()
        .loadOperationDetail(op.id)
        .catch(() => undefined);
    }
  },
  applyOperationStep: (ev) => {
    set((s) => {
      const operations = s.operations.map((o) =>
        o.id === ev.operationId
          ? {
              ...o,
              progress: ev.progress,
              steps: o.steps.map((st) => (st.id === ev.stepId ? { ...st, state: ev.state } : st)),
            }
          : o,
      );
      if (ev.lines.length === 0) return { operations };
      const d = s.opDetails[ev.operationId] ?? { logs: {}, commands: {}, followed: false, fetched: false };
      const lines = [...(d.logs[ev.stepId] ?? []), ...ev.lines];
      return {
        operations,
        opDetails: { ...s.opDetails, [ev.operationId]: { ...d, logs: { ...d.logs, [ev.stepId]: lines } } },
      };
    });
  },
  clearOperations: () =>
    set({ operations: [], operationsLoaded: false, opDetails: {}, expandedOpId: null, opsDrawerOpen: false }),
});
