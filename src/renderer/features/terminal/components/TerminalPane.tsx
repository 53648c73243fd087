import { useEffect, useRef } from 'react';
import { useStore } from '../../../store';
import { openPaneSession, paneTerminal } from '../sessions';
import { getPaneTerminal } from '../terminal-registry';
import { PaneStatusOverlay } from './PaneStatusOverlay';
import { SearchBar } from './SearchBar';

interface TerminalPaneProps {
  readonly paneId: string;
  readonly focused: boolean;
  readonly searching: boolean;
  readonly onCloseSearch: () => void;
}

/** One pane: attaches the pane's xterm (owned by the registry) and shows its status over it. */
export function TerminalPane({ paneId, focused, searching, onCloseSearch }: TerminalPaneProps): React.JSX.Element {
  const pane = useStore((s) => s.termPanes[paneId]);
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
    >
      <div className="term-host" ref={hostRef} />
      {searching ? <SearchBar paneId={paneId} onClose={onCloseSearch} /> : null}
      <PaneStatusOverlay pane={pane} />
    </div>
  );
}
