import { useRef } from 'react';
import { clampRatio } from '../layout';

interface SplitGutterProps {
  /** The split's direction: 'row' puts panes side by side (the gutter is a vertical bar). */
  readonly dir: 'row' | 'column';
  /** Share of the first pane, 0..1. */
  readonly ratio: number;
  readonly onRatio: (ratio: number) => void;
}

/** Keyboard step, in share of the split. */
const STEP = 0.05;

/**
 * The bar between two panes: drag it (pointer capture, so the drag survives leaving the bar), or focus it and use
 * the arrow keys (Home / End for the extremes); double-click evens the split. An ARIA separator with its value.
 */
export function SplitGutter({ dir, ratio, onRatio }: SplitGutterProps): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const dragging = useRef(false);

  const ratioAt = (e: React.PointerEvent): number | null => {
    const box = ref.current?.parentElement?.getBoundingClientRect();
    if (!box || box.width === 0 || box.height === 0) return null;
    return dir === 'row' ? (e.clientX - box.left) / box.width : (e.clientY - box.top) / box.height;
  };

  return (
    <div
      ref={ref}
      className={`term-gutter ${dir}`}
      role="separator"
      tabIndex={0}
      aria-label="Resize panes"
      aria-orientation={dir === 'row' ? 'vertical' : 'horizontal'}
      aria-valuemin={10}
      aria-valuemax={90}
      aria-valuenow={Math.round(ratio * 100)}
      onPointerDown={(e) => {
        if (e.button !== 0) return;
        e.preventDefault();
        e.stopPropagation(); // not a click on a pane: focus stays where it is
        dragging.current = true;
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        if (!dragging.current) return;
        const r = ratioAt(e);
        if (r !== null) onRatio(clampRatio(r));
      }}
      onPointerUp={(e) => {
        dragging.current = false;
        e.currentTarget.releasePointerCapture(e.pointerId);
      }}
      onPointerCancel={() => (dragging.current = false)}
      onDoubleClick={() => onRatio(0.5)}
      onKeyDown={(e) => {
        const back = dir === 'row' ? 'ArrowLeft' : 'ArrowUp';
        const forward = dir === 'row' ? 'ArrowRight' : 'ArrowDown';
        let next: number | null = null;
        if (e.key === back) next = ratio - STEP;
        else if (e.key === forward) next = ratio + STEP;
        else if (e.key === 'Home') next = 0;
        else if (e.key === 'End') next = 1;
        if (next === null) return;
        e.preventDefault();
        e.stopPropagation(); // Alt+arrows move focus between panes: not while the gutter has it
        onRatio(clampRatio(next));
      }}
    />
  );
}
