/** Terminal preferences kept in localStorage (nothing secret). */
export interface TerminalSettings {
  fontFamily: string;
  fontSize: number;
  /** 'app' follows the app's light/dark theme; the others force a palette. */
  theme: 'app' | 'light' | 'dark';
  copyOnSelect: boolean;
  /** A blinking cursor (timer-driven with the DOM renderer: see cursor-blink.ts). */
  cursorBlink: boolean;
  scrollback: number;
  autoReconnect: boolean;
  /** Ask before closing a tab or pane whose shell is running a program (the "don't ask again" turns it off). */
  confirmCloseBusy: boolean;
}

/** The defaults a fresh install starts with. */
export const DEFAULT_TERMINAL_SETTINGS: TerminalSettings = {
  fontFamily: "'DejaVu Sans Mono', ui-monospace, Menlo, Consolas, monospace",
  fontSize: 13,
  theme: 'app',
  copyOnSelect: true,
  cursorBlink: true,
  scrollback: 10_000,
  autoReconnect: true,
  confirmCloseBusy: true,
};

const KEY = 'paneldeck.terminal.settings';

const clamp = (n: unknown, min: number, max: number, fallback: number): number =>
  typeof n === 'number' && Number.isFinite(n) ? Math.min(max, Math.max(min, Math.round(n))) : fallback;

/** Reads the saved settings, falling back field by field to the defaults on anything unexpected. */
export function loadTerminalSettings(): TerminalSettings {
  const d = DEFAULT_TERMINAL_SETTINGS;
  let raw: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    if (typeof parsed === 'object' && parsed !== null) raw = parsed as Record<string, unknown>;
  } catch {
    // corrupt: defaults
  }
  return {
    fontFamily: typeof raw.fontFamily === 'string' && raw.fontFamily.trim() ? raw.fontFamily : d.fontFamily,
    fontSize: clamp(raw.fontSize, 8, 32, d.fontSize),
    theme: raw.theme === 'light' || raw.theme === 'dark' ? raw.theme : 'app',
    copyOnSelect: typeof raw.copyOnSelect === 'boolean' ? raw.copyOnSelect : d.copyOnSelect,
    cursorBlink: typeof raw.cursorBlink === 'boolean' ? raw.cursorBlink : d.cursorBlink,
    scrollback: clamp(raw.scrollback, 0, 200_000, d.scrollback),
    autoReconnect: typeof raw.autoReconnect === 'boolean' ? raw.autoReconnect : d.autoReconnect,
    confirmCloseBusy: typeof raw.confirmCloseBusy === 'boolean' ? raw.confirmCloseBusy : d.confirmCloseBusy,
  };
}

/** Saves the settings. */
export function saveTerminalSettings(s: TerminalSettings): void {
  localStorage.setItem(KEY, JSON.stringify(s));
}
