/**
 * The app-wide "go to section N" chord: Ctrl+Shift+1..9 (⌘1..9 on macOS).
 *
 * Why not Ctrl+digit: inside a terminal those are keys (Ctrl+3 = ESC, Ctrl+4 = ^\ = SIGQUIT, Ctrl+8 = DEL), and a
 * terminal must receive every key a shell or a full-screen program uses. Ctrl+Shift+<key> is the chord family
 * terminals leave to their host (VS Code's integrated terminal, Windows Terminal and GNOME Terminal put their own
 * commands there; this app's terminal shortcuts already do): no terminal encodes Ctrl+Shift+digit. Alt+digit was
 * rejected because readline (digit-argument) and irssi/weechat (window switch) use it. On macOS ⌘ never reaches a
 * terminal, so ⌘+digit is used, as in Terminal.app and iTerm.
 * The digit is read from `code` (the physical key), since Shift changes `key` ("4" becomes "$" on a US layout).
 */
export const IS_MAC = typeof navigator !== 'undefined' && /^Mac/i.test(navigator.platform);

/** The section index (0-based) a keydown asks for, or null when it is not the section chord. */
export function sectionShortcutIndex(
  e: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey' | 'code'>,
): number | null {
  const chord = IS_MAC
    ? e.metaKey && !e.ctrlKey && !e.altKey && !e.shiftKey
    : e.ctrlKey && e.shiftKey && !e.altKey && !e.metaKey;
  if (!chord) return null;
  const m = /^(?:Digit|Numpad)([1-9])$/.exec(e.code);
  return m ? Number(m[1]) - 1 : null;
}

/** How the chord for section `index` (0-based) is written in tooltips and the shortcuts sheet. */
export function sectionShortcutLabel(index: number | '1…9'): string {
  const n = typeof index === 'number' ? String(index + 1) : index;
  return IS_MAC ? `⌘${n}` : `Ctrl+Shift+${n}`;
}
