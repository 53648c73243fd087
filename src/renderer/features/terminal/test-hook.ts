import { useStore } from '../../store';
import { paneIds } from './layout';
import { ptySizes } from './sessions';
import { getPaneTerminal } from './terminal-registry';

/** What e2e tests (and DevTools) can read of a terminal: text only, no handle to drive it. */
export interface TerminalProbe {
  /** Pane ids with their current session id, in tab order. */
  panes(): { paneId: string; sessionId: string | null; tabId: string }[];
  /** The active buffer's lines (scrollback included), right-trimmed; [] for an unknown pane or session id. */
  lines(paneOrSessionId: string): string[];
  /** Whether the pane renders with WebGL (else the DOM renderer). */
  webgl(paneId: string): boolean;
  /** xterm's size and the PTY size the core last confirmed (equal once a resize has gone through). */
  size(paneId: string): { cols: number; rows: number; pty: { cols: number; rows: number } | null } | null;
  /** Every status the pane went through, in order (brief ones such as 'reconnecting' included). */
  statuses(paneId: string): string[];
  /**
   * Bench baseline: writes bytes into the pane's xterm only (nothing reaches the server) and resolves with the
   * milliseconds until xterm has processed them: in one `term.write`, or (chunk > 0) in chunks of that size
   * queued at once through the pane's output path, as session output would arrive.
   */
  writeLocal(paneId: string, data: Uint8Array, chunk?: number): Promise<number>;
  /** Whether the pane's terminal has the selection-redraw workaround in place (see terminal-registry.ts). */
  selectionWorkaround(paneId: string): boolean;
  /** How many output floods the pane's flood gate held back (see flood-gate.ts). */
  floods(paneId: string): number;
  /** The first line on screen and the first line of the bottom page (equal when scrolled to the bottom). */
  scroll(paneId: string): { viewportY: number; baseY: number } | null;
  /** Resolves with performance.now() at the first parsed write after which `text` is on the cursor's row or the three above. */
  whenText(paneId: string, text: string): Promise<number>;
  /**
   * Bench: calls `listener` with the cursor's column after every parsed write (xterm's onWriteParsed, in the task
   * that parsed it); returns the unsubscribe function. Only reads.
   */
  onParsed(paneId: string, listener: (cursorX: number) => void): () => void;
}

declare global {
  interface Window {
    /** Read-only view of the live terminals for e2e tests: `window.__paneldeckTerminals.lines(paneId)`. */
    __paneldeckTerminals?: TerminalProbe;
  }
}

/** Installs `window.__paneldeckTerminals` (same trust level as `window.__paneldeck`, which can do far more). */
export function installTerminalProbe(): void {
  const history = new Map<string, string[]>();
  useStore.subscribe((s, prev) => {
    if (s.termPanes === prev.termPanes) return;
    for (const p of Object.values(s.termPanes)) {
      const seen = history.get(p.id) ?? [];
      if (seen.at(-1) !== p.status.kind) history.set(p.id, [...seen, p.status.kind]);
    }
  });
  window.__paneldeckTerminals = {
    panes: () => {
      const s = useStore.getState();
      return s.termTabs.flatMap((t) =>
        paneIds(t.layout).map((paneId) => ({ paneId, sessionId: s.termPanes[paneId]?.sessionId ?? null, tabId: t.id })),
      );
    },
    lines: (id) => {
      const pane = Object.values(useStore.getState().termPanes).find((p) => p.id === id || p.sessionId === id);
      const buffer = pane ? getPaneTerminal(pane.id)?.term.buffer.active : undefined;
      if (!buffer) return [];
      const out: string[] = [];
      for (let i = 0; i < buffer.length; i++) out.push(buffer.getLine(i)?.translateToString(true) ?? '');
      return out;
    },
    webgl: (paneId) => getPaneTerminal(paneId)?.webgl ?? false,
    size: (paneId) => {
      const t = getPaneTerminal(paneId)?.term;
      return t ? { cols: t.cols, rows: t.rows, pty: ptySizes.get(paneId) ?? null } : null;
    },
    statuses: (paneId) => history.get(paneId) ?? [],
    writeLocal: (paneId, data, chunk = 0) => {
      const pane = getPaneTerminal(paneId);
      if (!pane) return Promise.reject(new Error(`no pane ${paneId}`));
      const t0 = performance.now();
      return new Promise((resolve) => {
        const done = (): void => resolve(performance.now() - t0);
        if (chunk <= 0) return pane.term.write(data, done);
        for (let o = 0; o < data.length; o += chunk)
          pane.write(data.subarray(o, o + chunk), o + chunk >= data.length ? done : () => undefined);
      });
    },
    selectionWorkaround: (paneId) => getPaneTerminal(paneId)?.selectionWorkaround ?? false,
    floods: (paneId) => getPaneTerminal(paneId)?.floods ?? 0,
    scroll: (paneId) => {
      const b = getPaneTerminal(paneId)?.term.buffer.active;
      return b ? { viewportY: b.viewportY, baseY: b.baseY } : null;
    },
    onParsed: (paneId, listener) => {
      const term = getPaneTerminal(paneId)?.term;
      if (!term) throw new Error(`no pane ${paneId}`);
      const sub = term.onWriteParsed(() => listener(term.buffer.active.cursorX));
      return () => sub.dispose();
    },
    whenText: (paneId, text) => {
      const term = getPaneTerminal(paneId)?.term;
      if (!term) return Promise.reject(new Error(`no pane ${paneId}`));
      return new Promise((resolve) => {
        // Only the cursor's row and the few above it: output is appended there, and scanning the whole screen on
        // every parsed write was itself a visible part of the renderer's work during a bench flood.
        const sub = term.onWriteParsed(() => {
          const b = term.buffer.active;
          const cursor = b.baseY + b.cursorY;
          for (let i = Math.max(0, cursor - 3); i <= cursor; i++) {
            if (b.getLine(i)?.translateToString(true).includes(text)) {
              sub.dispose();
              return resolve(performance.now());
            }
          }
        });
      });
    },
  };
}
