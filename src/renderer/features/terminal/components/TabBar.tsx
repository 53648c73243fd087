import { useStore } from '../../../store';
import type { PaneStatus, TermTab } from '../slice';
import { closePane, connectServer } from '../sessions';
import { paneIds } from '../layout';

/** Which side panel the Terminal section shows next to the panes. */
export type SidePanel = 'snippets' | 'forwards' | null;

interface TabBarProps {
  readonly side: SidePanel;
  readonly onSide: (p: SidePanel) => void;
  readonly onHelp: () => void;
}

const STATUS_LABEL: Record<PaneStatus['kind'], string> = {
  opening: 'connecting',
  connecting: 'connecting',
  connected: 'connected',
  reconnecting: 'reconnecting',
  closed: 'closed',
};

function TabItem({ tab, active }: { tab: TermTab; active: boolean }): React.JSX.Element {
  const status = useStore((s) => s.termPanes[tab.focusedPaneId]?.status.kind ?? 'closed');
  const broadcastOn = useStore((s) => s.broadcastOn);
  const inBroadcast = useStore((s) => s.broadcastTabIds.includes(tab.id));
  const setActive = useStore((s) => s.setActiveTermTab);
  const setBroadcastTab = useStore((s) => s.setBroadcastTab);
  const closeTab = (): void => paneIds(tab.layout).forEach(closePane);
  return (
    <div
      className={`term-tab${active ? ' active' : ''}${broadcastOn && inBroadcast ? ' broadcasting' : ''}`}
      data-testid="term-tab"
      data-state={status}
    >
      {broadcastOn ? (
        <input
          type="checkbox"
          aria-label={`Broadcast to ${tab.title}`}
          checked={inBroadcast}
          onChange={(e) => setBroadcastTab(tab.id, e.target.checked)}
        />
      ) : null}
      <button
        type="button"
        role="tab"
        aria-selected={active}
        className="term-tab-label"
        onClick={() => setActive(tab.id)}
        title={STATUS_LABEL[status]}
      >
        <span className={`status-dot ${status}`} aria-label={STATUS_LABEL[status]} />
        {tab.title}
        {broadcastOn && inBroadcast ? <span className="badge broadcast-badge">broadcast</span> : null}
      </button>
      <button type="button" className="icon-button" aria-label={`Close tab ${tab.title}`} onClick={closeTab}>
        ×
      </button>
    </div>
  );
}

/** Tabs (with broadcast checkboxes while broadcast is on), a new-tab server picker and the panel toggles. */
export function TabBar({ side, onSide, onHelp }: TabBarProps): React.JSX.Element {
  const tabs = useStore((s) => s.termTabs);
  const active = useStore((s) => s.activeTermTabId);
  const servers = useStore((s) => s.servers);
  const broadcastOn = useStore((s) => s.broadcastOn);
  const setBroadcastOn = useStore((s) => s.setBroadcastOn);
  const focused = useStore((s) => s.termTabs.find((t) => t.id === s.activeTermTabId)?.focusedPaneId);
  const split = useStore((s) => s.splitTermPane);
  return (
    <div className="term-tabbar">
      <div role="tablist" aria-label="Terminals" className="term-tabs">
        {tabs.map((t) => (
          <TabItem key={t.id} tab={t} active={t.id === active} />
        ))}
      </div>
      <select
        className="select term-new"
        aria-label="New terminal on server"
        value=""
        onChange={(e) => e.target.value && connectServer(e.target.value)}
      >
        <option value="">+ New tab…</option>
        {servers.map((s) => (
          <option key={s.id} value={s.id}>
            {s.name}
          </option>
        ))}
      </select>
      <div className="term-actions">
        <button
          type="button"
          className="button small"
          disabled={!focused}
          onClick={() => focused && split(focused, 'right')}
        >
          Split right
        </button>
        <button
          type="button"
          className="button small"
          disabled={!focused}
          onClick={() => focused && split(focused, 'down')}
        >
          Split down
        </button>
        <button
          type="button"
          className={`button small${broadcastOn ? ' warn-on' : ''}`}
          aria-pressed={broadcastOn}
          onClick={() => setBroadcastOn(!broadcastOn)}
        >
          Broadcast
        </button>
        <button
          type="button"
          className="button small"
          aria-pressed={side === 'snippets'}
          onClick={() => onSide(side === 'snippets' ? null : 'snippets')}
        >
          Snippets
        </button>
        <button
          type="button"
          className="button small"
          aria-pressed={side === 'forwards'}
          onClick={() => onSide(side === 'forwards' ? null : 'forwards')}
        >
          Forwards
        </button>
        <button type="button" className="button small" onClick={onHelp} aria-label="Keyboard shortcuts">
          ?
        </button>
      </div>
    </div>
  );
}
