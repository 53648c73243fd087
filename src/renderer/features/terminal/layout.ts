/**
 * A tab's pane layout: a binary tree of splits whose leaves are panes (one terminal session each). A split's
 * `ratio` is the share of its first child (`a`: left or top), 0.5 when absent.
 */
export type Layout =
  | { readonly kind: 'pane'; readonly paneId: string }
  | {
      readonly kind: 'split';
      readonly dir: 'row' | 'column';
      readonly a: Layout;
      readonly b: Layout;
      readonly ratio?: number;
    };

/** A split's place in the tree: the branches taken from the root, e.g. "" (the root), "a", "ab". */
export type SplitPath = string;

/** Smallest share a pane can be dragged down to (it stays usable and its divider reachable). */
export const MIN_RATIO = 0.1;

/** Clamps a split ratio to [MIN_RATIO, 1 - MIN_RATIO]; NaN becomes an even split. */
export function clampRatio(ratio: number): number {
  if (!Number.isFinite(ratio)) return 0.5;
  return Math.min(1 - MIN_RATIO, Math.max(MIN_RATIO, ratio));
}

/** Sets the ratio of the split at `path`; the layout is returned unchanged when no split is there. */
export function setSplitRatio(layout: Layout, path: SplitPath, ratio: number): Layout {
  if (layout.kind === 'pane') return layout;
  if (path === '') return { ...layout, ratio: clampRatio(ratio) };
  const [head, rest] = [path[0], path.slice(1)];
  if (head === 'a') return { ...layout, a: setSplitRatio(layout.a, rest, ratio) };
  if (head === 'b') return { ...layout, b: setSplitRatio(layout.b, rest, ratio) };
  return layout;
}

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

/** The same tree with every leaf's id replaced by `fn(id)`; a leaf mapped to null is removed (see removePane). */
export function mapPanes(layout: Layout, fn: (paneId: string) => string | null): Layout | null {
  if (layout.kind === 'pane') {
    const id = fn(layout.paneId);
    return id === null ? null : { kind: 'pane', paneId: id };
  }
  const a = mapPanes(layout.a, fn);
  const b = mapPanes(layout.b, fn);
  if (a === null) return b;
  if (b === null) return a;
  return { ...layout, a, b };
}

/** Whether `value` is a well-formed layout (for layouts read back from storage). */
export function isLayout(value: unknown, depth = 0): value is Layout {
  if (typeof value !== 'object' || value === null || depth > 32) return false;
  const v = value as Record<string, unknown>;
  if (v.kind === 'pane') return typeof v.paneId === 'string';
  return (
    v.kind === 'split' &&
    (v.dir === 'row' || v.dir === 'column') &&
    (v.ratio === undefined || typeof v.ratio === 'number') &&
    isLayout(v.a, depth + 1) &&
    isLayout(v.b, depth + 1)
  );
}
