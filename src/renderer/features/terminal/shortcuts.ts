/** Terminal-section actions bound to keys. */
export type TerminalAction =
  | 'newTab'
  | 'closePane'
  | 'nextTab'
  | 'prevTab'
  | 'moveTabLeft'
  | 'moveTabRight'
  | 'splitRight'
  | 'splitDown'
  | 'focusLeft'
  | 'focusRight'
  | 'focusUp'
  | 'focusDown'
  | 'search'
  | 'copy'
  | 'broadcast'
  | 'help';

/** The bindings, as shown in the shortcuts help (the matcher below is the source of truth). */
export const SHORTCUTS: readonly { keys: string; action: TerminalAction; label: string }[] = [
  { keys: 'Ctrl+Shift+T', action: 'newTab', label: 'New tab on the current server' },
  { keys: 'Ctrl+Shift+W', action: 'closePane', label: 'Close pane (the tab with its last pane)' },
  { keys: 'Ctrl+Tab / Ctrl+PageDown', action: 'nextTab', label: 'Next tab' },
  { keys: 'Ctrl+Shift+Tab / Ctrl+PageUp', action: 'prevTab', label: 'Previous tab' },
  { keys: 'Ctrl+Shift+PageUp / PageDown', action: 'moveTabLeft', label: 'Move the tab left / right' },
  { keys: 'Ctrl+Shift+D', action: 'splitRight', label: 'Split right' },
  { keys: 'Ctrl+Shift+E', action: 'splitDown', label: 'Split down' },
  { keys: 'Alt+←↑→↓', action: 'focusLeft', label: 'Focus the pane in that direction' },
  { keys: 'Ctrl+Shift+F', action: 'search', label: 'Find in the terminal (Enter / Shift+Enter: next / previous)' },
  { keys: 'Ctrl+Shift+C', action: 'copy', label: 'Copy the selection' },
  { keys: 'Ctrl+Shift+B', action: 'broadcast', label: 'Broadcast input on / off' },
  { keys: 'Ctrl+Shift+?', action: 'help', label: 'This list' },
];

const CTRL_SHIFT: Record<string, TerminalAction> = {
  t: 'newTab',
  w: 'closePane',
  d: 'splitRight',
  e: 'splitDown',
  f: 'search',
  c: 'copy',
  b: 'broadcast',
  '?': 'help',
  '/': 'help',
};
const ALT_ARROWS: Record<string, TerminalAction> = {
  ArrowLeft: 'focusLeft',
  ArrowRight: 'focusRight',
  ArrowUp: 'focusUp',
  ArrowDown: 'focusDown',
};

/** The action a keydown means in the Terminal section, or null when it belongs to the shell. */
export function terminalAction(e: KeyboardEvent): TerminalAction | null {
  const ctrl = e.ctrlKey || e.metaKey;
  if (ctrl && e.key === 'Tab') return e.shiftKey ? 'prevTab' : 'nextTab';
  if (ctrl && !e.shiftKey && e.key === 'PageDown') return 'nextTab';
  if (ctrl && !e.shiftKey && e.key === 'PageUp') return 'prevTab';
  if (ctrl && e.shiftKey && e.key === 'PageUp') return 'moveTabLeft';
  if (ctrl && e.shiftKey && e.key === 'PageDown') return 'moveTabRight';
  if (ctrl && e.shiftKey && !e.altKey) return CTRL_SHIFT[e.key.toLowerCase()] ?? null;
  if (e.altKey && !ctrl && !e.shiftKey) return ALT_ARROWS[e.key] ?? null;
  return null;
}
