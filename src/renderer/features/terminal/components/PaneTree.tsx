import { useStore } from '../../../store';
import type { Layout, SplitPath } from '../layout';
import type { TerminalAction } from '../shortcuts';
import { SplitGutter } from './SplitGutter';
import { TerminalPane } from './TerminalPane';

interface PaneTreeProps {
  readonly tabId: string;
  readonly layout: Layout;
  /** Where `layout` sits in the tab's tree ("" for the root). */
  readonly path?: SplitPath;
  readonly focusedPaneId: string;
  readonly searchPaneId: string | null;
  readonly onCloseSearch: () => void;
  /** Runs a terminal action on the focused pane (from a pane's context menu). */
  readonly onAction: (action: TerminalAction) => void;
}

/** Renders a tab's split tree: rows split left/right, columns top/bottom, with a draggable bar between. */
export function PaneTree({ tabId, layout, path = '', ...rest }: PaneTreeProps): React.JSX.Element {
  const resize = useStore((s) => s.resizeTermSplit);
  if (layout.kind === 'pane') {
    return (
      <TerminalPane
        key={layout.paneId}
        paneId={layout.paneId}
        focused={layout.paneId === rest.focusedPaneId}
        searching={layout.paneId === rest.searchPaneId}
        onCloseSearch={rest.onCloseSearch}
        onAction={rest.onAction}
      />
    );
  }
  const ratio = layout.ratio ?? 0.5;
  return (
    <div className={`term-split ${layout.dir}`}>
      <div className="term-split-part" style={{ flexGrow: ratio }}>
        <PaneTree tabId={tabId} layout={layout.a} path={`${path}a`} {...rest} />
      </div>
      <SplitGutter dir={layout.dir} ratio={ratio} onRatio={(r) => resize(tabId, path, r)} />
      <div className="term-split-part" style={{ flexGrow: 1 - ratio }}>
        <PaneTree tabId={tabId} layout={layout.b} path={`${path}b`} {...rest} />
      </div>
    </div>
  );
}
