import type { StateCreator } from 'zustand';

export interface Toast {
  readonly id: number;
  readonly level: 'info' | 'warning' | 'error';
  readonly title: string;
  readonly message: string;
  readonly code?: string;
  /** Code, call and log reference for a bug report: shown only behind a "Details" disclosure. */
  readonly details?: string;
}

export interface ToastsSlice {
  toasts: Toast[];
  pushToast(t: Omit<Toast, 'id'>): void;
  dismissToast(id: number): void;
}

let nextToastId = 1;

/** Global notifications: contract errors and core notices land here. */
export const createToastsSlice: StateCreator<ToastsSlice, [], [], ToastsSlice> = (set) => ({
  toasts: [],
  // The same toast twice in a row (a repeated failure) is shown once: it replaces the older one.
  pushToast: (t) =>
    set((s) => ({
      toasts: [
        ...s.toasts.filter((o) => !(o.title === t.title && o.message === t.message)).slice(-4),
        { ...t, id: nextToastId++ },
      ],
    })),
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
});
