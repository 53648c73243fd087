import { useEffect, useRef, useState } from 'react';
import { useStore } from '../../../store';
import { ContextMenu, type MenuItem } from '../../../ui/ContextMenu';
import { openPaneSession, paneTerminal } from '../sessions';
import type { TerminalAction } from '../shortcuts';
import { getPaneTerminal } from '../terminal-registry';
import { PaneStatusOverlay } from './PaneStatusOverlay';
import { SearchBar } from './SearchBar';

interface TerminalPaneProps {
  readonly paneId: string;
  readonly focused: boolean;
  readonly searching: boolean;
  readonly onCloseSearch: () => void;
  /** Runs a terminal action on the focused pane (this one, once it was clicked). */
  readonly onAction: (action: TerminalAction) => void;
}

/** The pane's right-click menu: clipboard, selection, search, clear, splits, close. */
function paneMenu(paneId: string, onAction: (a: TerminalAction) => void): MenuItem[] {
  const term = getPaneTerminal(paneId)?.term;
  return [
    { label: 'Copy', shortcut: 'Ctrl+Shift+C', disabled: !term?.hasSelection(), run: () => onAction('copy') },
    {
      label: 'Paste',
      shortcut: 'Ctrl+Shift+V',
      run: () => {
        navigator.clipboard
          .readText()
          .then((text) => text && term?.paste(text)) // paste() honours bracketed paste mode
          .catch(() => undefined);
      },
    },
    { label: 'Select all', run: () => term?.selectAll() },
    { label: 'Find…', shortcut: 'Ctrl+Shift+F', run: () => onAction('search') },
    { label: 'Clear scrollback', separator: true, run: () => term?.clear() },
    { label: 'Split right', shortcut: 'Ctrl+Shift+D', separator: true, run: () => onAction('splitRight') },
    { label: 'Split down', shortcut: 'Ctrl+Shift+E', run: () => onAction('splitDown') },
    { label: 'Close pane', shortcut: 'Ctrl+Shift+W', separator: true, run: () => onAction('closePane') },
  ];
}

/** One pane: attaches the pane's xterm (owned by the registry) and shows its status over it. */
export function TerminalPane({
  paneId,
  focused,
  searching,
  onCloseSearch,
  onAction,
}: TerminalPaneProps): React.JSX.Element {
  const pane = useStore((s) => s.termPanes[paneId]);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);
  const focusTermPane = useStore((s) => s.focusTermPane);
  const hostRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const host = hostRef.current;
    if (!host) return undefined;
    const t = paneTerminal(paneId);
    t.attach(host);
    if (useStore.getState().termPanes[paneId]?.status.kind === 'opening') void openPaneSession(paneId);
    return () => t.detach();
  }, [paneId]);

  useEffect(() => {
    if (focused && !searching) getPaneTerminal(paneId)?.term.focus();
  }, [focused, searching, paneId]);

  if (!pane) return <div className="term-pane" />;
  return (
    <div
      className={`term-pane${focused ? ' focused' : ''}`}
      data-testid="term-pane"
      data-pane-id={paneId}
      data-session-id={pane.sessionId ?? ''}
      data-status={pane.status.kind}
      onPointerDown={() => focusTermPane(paneId)}
      onFocus={() => focusTermPane(paneId)}
      onContextMenu={(e) => {
        e.preventDefault();
        focusTermPane(paneId);
        setMenu({ x: e.clientX, y: e.clientY });
      }}
    >
      <div className="term-host" ref={hostRef} />
      {searching ? <SearchBar paneId={paneId} onClose={onCloseSearch} /> : null}
      <PaneStatusOverlay pane={pane} />
      {menu ? (
        <ContextMenu
          label="Terminal"
          x={menu.x}
          y={menu.y}
          items={paneMenu(paneId, onAction)}
          onClose={() => {
            setMenu(null);
            getPaneTerminal(paneId)?.term.focus();
          }}
        />
      ) : null}
    </div>
  );
}
