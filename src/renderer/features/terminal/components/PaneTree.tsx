import type { Layout } from '../layout';
import { TerminalPane } from './TerminalPane';

interface PaneTreeProps {
  readonly layout: Layout;
  readonly focusedPaneId: string;
  readonly searchPaneId: string | null;
  readonly onCloseSearch: () => void;
}

/** Renders a tab's split tree: rows split left/right, columns top/bottom, halves of equal size. */
export function PaneTree({ layout, focusedPaneId, searchPaneId, onCloseSearch }: PaneTreeProps): React.JSX.Element {
  if (layout.kind === 'pane') {
    return (
      <TerminalPane
        key={layout.paneId}
        paneId={layout.paneId}
        focused={layout.paneId === focusedPaneId}
        searching={layout.paneId === searchPaneId}
        onCloseSearch={onCloseSearch}
      />
    );
  }
  const child = (l: Layout): React.JSX.Element => (
    <PaneTree layout={l} focusedPaneId={focusedPaneId} searchPaneId={searchPaneId} onCloseSearch={onCloseSearch} />
  );
  return (
    <div className={`term-split ${layout.dir}`}>
      {child(layout.a)}
      {child(layout.b)}
    </div>
  );
}
