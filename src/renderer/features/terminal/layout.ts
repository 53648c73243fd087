/** A tab's pane layout: a binary tree of splits whose leaves are panes (one terminal session each). */
export type Layout =
  | { readonly kind: 'pane'; readonly paneId: string }
  | { readonly kind: 'split'; readonly dir: 'row' | 'column'; readonly a: Layout; readonly b: Layout };

/** Which way a new pane goes: right of the focused one (a row) or below it (a column). */
export type SplitDirection = 'right' | 'down';

/** The leaf ids of a layout, in reading order (left/top first). */
export function paneIds(layout: Layout): string[] {
  return layout.kind === 'pane' ? [layout.paneId] : [...paneIds(layout.a), ...paneIds(layout.b)];
}

/** Replaces the leaf `target` with a split holding it and `newPaneId` (new one right of / below it). */
export function splitLayout(layout: Layout, target: string, newPaneId: string, dir: SplitDirection): Layout {
  if (layout.kind === 'pane') {
    if (layout.paneId !== target) return layout;
    return {
      kind: 'split',
      dir: dir === 'right' ? 'row' : 'column',
      a: layout,
      b: { kind: 'pane', paneId: newPaneId },
    };
  }
  return {
    ...layout,
    a: splitLayout(layout.a, target, newPaneId, dir),
    b: splitLayout(layout.b, target, newPaneId, dir),
  };
}

/** Removes the leaf `target`; its sibling takes the parent's place. Null when the last pane is removed. */
export function removePane(layout: Layout, target: string): Layout | null {
  if (layout.kind === 'pane') return layout.paneId === target ? null : layout;
  const a = removePane(layout.a, target);
  const b = removePane(layout.b, target);
  if (a === null) return b;
  if (b === null) return a;
  return { ...layout, a, b };
}
