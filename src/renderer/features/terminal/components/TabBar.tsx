import { useEffect, useRef, useState } from 'react';
import { ContextMenu } from '../../../ui/ContextMenu';
import { useStore } from '../../../store';
import { MAX_TAB_TITLE, type PaneStatus, type TermTab } from '../slice';
import { requestClosePanes } from '../close-request';
import { connectServer } from '../sessions';
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

/** The drag payload type of a tab being reordered (other drops are ignored). */
const TAB_DRAG_TYPE = 'application/x-paneldeck-tab';

/** The tab's title as an inline text box: Enter or leaving it renames, Escape keeps the old name. */
function TabTitleEditor({ tab, onDone }: { tab: TermTab; onDone: () => void }): React.JSX.Element {
  const rename = useStore((s) => s.renameTermTab);
  const [value, setValue] = useState(tab.title);
  const finished = useRef(false); // Enter/Escape unmount the box, whose blur must not rename a second time
  const finish = (commit: boolean): void => {
    if (finished.current) return;
    finished.current = true;
    if (commit) rename(tab.id, value);
    onDone();
  };
  return (
    <input
      className="input term-tab-edit"
      aria-label={`Rename tab ${tab.title}`}
      value={value}
      maxLength={MAX_TAB_TITLE}
      autoFocus // the user just asked to edit this name
      onFocus={(e) => e.currentTarget.select()}
      onChange={(e) => setValue(e.target.value)}
      onBlur={() => finish(true)}
      onKeyDown={(e) => {
        e.stopPropagation(); // typing a name is not a shortcut
        if (e.key === 'Enter') finish(true);
        if (e.key === 'Escape') finish(false);
      }}
    />
  );
}

function TabItem({ tab, index, active }: { tab: TermTab; index: number; active: boolean }): React.JSX.Element {
  const status = useStore((s) => s.termPanes[tab.focusedPaneId]?.status.kind ?? 'closed');
  const broadcastOn = useStore((s) => s.broadcastOn);
  const inBroadcast = useStore((s) => s.broadcastTabIds.includes(tab.id));
  const setActive = useStore((s) => s.setActiveTermTab);
  const setBroadcastTab = useStore((s) => s.setBroadcastTab);
  const moveTab = useStore((s) => s.moveTermTab);
  const [editing, setEditing] = useState(false);
  const [dropTarget, setDropTarget] = useState(false);
  const closeTab = (): void => void requestClosePanes(paneIds(tab.layout), 'tab');
  const ref = useRef<HTMLDivElement>(null);
  // The active tab is never left out of sight in an overflowing bar (a new tab, Ctrl+Tab, the "⌄" list).
  useEffect(() => {
    if (active) ref.current?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [active, index]);
  return (
    <div
      ref={ref}
      className={`term-tab${active ? ' active' : ''}${broadcastOn && inBroadcast ? ' broadcasting' : ''}${dropTarget ? ' drop-target' : ''}`}
      data-testid="term-tab"
      data-state={status}
      draggable={!editing}
      onDragStart={(e) => {
        e.dataTransfer.setData(TAB_DRAG_TYPE, tab.id);
        e.dataTransfer.effectAllowed = 'move';
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer.types.includes(TAB_DRAG_TYPE)) return;
        e.preventDefault();
        setDropTarget(true);
      }}
      onDragLeave={() => setDropTarget(false)}
      onDrop={(e) => {
        setDropTarget(false);
        const dragged = e.dataTransfer.getData(TAB_DRAG_TYPE);
        if (!dragged || dragged === tab.id) return;
        e.preventDefault();
        moveTab(dragged, index);
      }}
    >
      {broadcastOn ? (
        <input
          type="checkbox"
          aria-label={`Broadcast to ${tab.title}`}
          checked={inBroadcast}
          onChange={(e) => setBroadcastTab(tab.id, e.target.checked)}
        />
      ) : null}
      {editing ? (
        <TabTitleEditor tab={tab} onDone={() => setEditing(false)} />
      ) : (
        <button
          type="button"
          role="tab"
          aria-selected={active}
          className="term-tab-label"
          onClick={() => setActive(tab.id)}
          onDoubleClick={() => setEditing(true)}
          onKeyDown={(e) => {
            if (e.key === 'F2') {
              e.preventDefault();
              setEditing(true);
            }
          }}
          title={`${tab.title} (${STATUS_LABEL[status]}) — double-click or F2 to rename, drag to reorder`}
        >
          <span className={`status-dot ${status}`} aria-label={STATUS_LABEL[status]} />
          <span className="term-tab-title">{tab.title}</span>
          {broadcastOn && inBroadcast ? <span className="badge broadcast-badge">broadcast</span> : null}
        </button>
      )}
      <button
        type="button"
        className="icon-button"
        aria-label={`Close tab ${tab.title}`}
        title="Close tab (Ctrl+Shift+W closes the focused pane)"
        onClick={closeTab}
      >
        ×
      </button>
    </div>
  );
}

/** "⌄": every tab in a list, for when the bar has more than fit (as browsers' and Windows Terminal's tab lists). */
function TabList(): React.JSX.Element {
  const tabs = useStore((s) => s.termTabs);
  const active = useStore((s) => s.activeTermTabId);
  const panes = useStore((s) => s.termPanes);
  const setActive = useStore((s) => s.setActiveTermTab);
  const [at, setAt] = useState<{ x: number; y: number } | null>(null);
  return (
    <>
      <button
        type="button"
        className="button small term-tab-list"
        aria-label={`All tabs (${tabs.length})`}
        title={`All tabs (${tabs.length})`}
        aria-haspopup="menu"
        aria-expanded={at !== null}
        onClick={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          setAt(at ? null : { x: r.left, y: r.bottom + 2 });
        }}
      >
        ⌄ <span className="term-tab-count">{tabs.length}</span>
      </button>
      {at ? (
        <ContextMenu
          label="All tabs"
          x={at.x}
          y={at.y}
          onClose={() => setAt(null)}
          items={tabs.map((t) => ({
            label: `${t.id === active ? '✓ ' : ''}${t.title}`,
            shortcut: STATUS_LABEL[panes[t.focusedPaneId]?.status.kind ?? 'closed'],
            run: () => setActive(t.id),
          }))}
        />
      ) : null}
    </>
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
        {tabs.map((t, i) => (
          <TabItem key={t.id} tab={t} index={i} active={t.id === active} />
        ))}
      </div>
      <TabList />
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
          title="Split right (Ctrl+Shift+D)"
        >
          Split right
        </button>
        <button
          type="button"
          className="button small"
          disabled={!focused}
          onClick={() => focused && split(focused, 'down')}
          title="Split down (Ctrl+Shift+E)"
        >
          Split down
        </button>
        <button
          type="button"
          className={`button small${broadcastOn ? ' warn-on' : ''}`}
          aria-pressed={broadcastOn}
          onClick={() => setBroadcastOn(!broadcastOn)}
          title="Type into several terminals at once (Ctrl+Shift+B)"
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
        <button
          type="button"
          className="button small"
          onClick={onHelp}
          aria-label="Keyboard shortcuts"
          title="Keyboard shortcuts (Ctrl+Shift+?)"
        >
          ?
        </button>
      </div>
    </div>
  );
}
