import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../../../store';
import { runTerminalAction } from '../actions';
import { terminalAction } from '../shortcuts';
import { connectServer } from '../sessions';
import { getPaneTerminal } from '../terminal-registry';
import { CloseBusyDialog } from './CloseBusyDialog';
import { ForwardsPanel } from './ForwardsPanel';
import { LinkDialog } from './LinkDialog';
import { PaneTree } from './PaneTree';
import { ShortcutsHelp } from './ShortcutsHelp';
import { SnippetsPanel } from './SnippetsPanel';
import { TabBar, type SidePanel } from './TabBar';
import '../terminal.css';
import '../side-panel.css';
import { plural } from '../../../lib/plural';

function PickServer(): React.JSX.Element {
  const servers = useStore((s) => s.servers);
  return (
    <div className="empty-card term-empty">
      <h2>Pick a server to connect</h2>
      {servers.length === 0 ? (
        <p className="muted">No servers yet: add one in the Servers section.</p>
      ) : (
        <ul className="term-pick">
          {servers.map((s) => (
            <li key={s.id}>
              <span>
                <strong>{s.name}</strong>{' '}
                <span className="muted">
                  {s.user}@{s.host}
                  {s.port === 22 ? '' : `:${s.port}`}
                </span>
              </span>
              <button type="button" className="button small primary" onClick={() => connectServer(s.id)}>
                Connect <span className="visually-hidden">to {s.name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function BroadcastBar(): React.JSX.Element | null {
  const on = useStore((s) => s.broadcastOn);
  const tabs = useStore((s) => s.termTabs);
  const chosen = useStore((s) => s.broadcastTabIds);
  const names = tabs.filter((t) => chosen.includes(t.id)).map((t) => t.title);
  const setOn = useStore((s) => s.setBroadcastOn);
  if (!on) return null;
  return (
    <div className="broadcast-bar" role="status" data-testid="broadcast-bar">
      <span>
        <strong>Broadcast on:</strong> typing goes to {plural(names.length, 'tab')}
        {names.length ? ` (${names.join(', ')})` : ''}. Tick tabs to choose.
      </span>
      <button type="button" className="button small" onClick={() => setOn(false)}>
        Stop broadcast
      </button>
    </div>
  );
}

/** The Terminal section: tab bar, the active tab's panes, broadcast bar, snippets / forwards side panel. */
export function TerminalSection(): React.JSX.Element {
  const tabs = useStore((s) => s.termTabs);
  const activeId = useStore((s) => s.activeTermTabId);
  const broadcastOn = useStore((s) => s.broadcastOn);
  const loadServers = useStore((s) => s.loadServers);
  const [side, setSide] = useState<SidePanel>(null);
  const [help, setHelp] = useState(false);
  const [searchPaneId, setSearchPaneId] = useState<string | null>(null);
  const active = tabs.find((t) => t.id === activeId);

  useEffect(() => {
    loadServers().catch(() => undefined);
  }, [loadServers]);

  // Closing the shortcuts sheet gives the keyboard back to the terminal, not to the "?" button that opened it
  // (the dialog restores focus to its opener as it unmounts; this runs after that).
  const helpWasOpen = useRef(false);
  useEffect(() => {
    if (help) helpWasOpen.current = true;
    else if (helpWasOpen.current) {
      helpWasOpen.current = false;
      const s = useStore.getState();
      const tab = s.termTabs.find((t) => t.id === s.activeTermTabId);
      if (tab) getPaneTerminal(tab.focusedPaneId)?.term.focus();
    }
  }, [help]);

  const ui = useMemo(() => ({ openSearch: setSearchPaneId, toggleHelp: () => setHelp((h) => !h) }), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const action = terminalAction(e);
      if (!action || document.querySelector('dialog[open]')) return;
      if (runTerminalAction(action, ui)) e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [ui]);

  return (
    <section className="terminal-section" aria-label="Terminal">
      <h1 className="visually-hidden">Terminal</h1>
      {tabs.length > 0 ? <TabBar side={side} onSide={setSide} onHelp={() => setHelp(true)} /> : null}
      <BroadcastBar />
      <div className="term-body">
        <div className={`term-area${broadcastOn ? ' broadcasting' : ''}`}>
          {active ? (
            <PaneTree
              key={active.id}
              tabId={active.id}
              onAction={(a) => runTerminalAction(a, ui)}
              layout={active.layout}
              focusedPaneId={active.focusedPaneId}
              searchPaneId={searchPaneId}
              onCloseSearch={() => setSearchPaneId(null)}
            />
          ) : (
            <PickServer />
          )}
        </div>
        {side === 'snippets' ? <SnippetsPanel /> : null}
        {side === 'forwards' ? <ForwardsPanel /> : null}
      </div>
      {help ? <ShortcutsHelp onClose={() => setHelp(false)} /> : null}
      <LinkDialog />
      <CloseBusyDialog />
    </section>
  );
}
