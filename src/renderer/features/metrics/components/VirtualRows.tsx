import { useLayoutEffect, useRef, useState, type ReactNode } from 'react';

interface VirtualRowsProps<T> {
  readonly items: readonly T[];
  /** Every row's height in px (fixed: the window is computed, never measured). */
  readonly rowHeight: number;
  readonly rowKey: (item: T) => string;
  readonly renderRow: (item: T, index: number) => ReactNode;
  /** Rows rendered beyond each edge of the viewport, so a fast scroll does not show blank space. */
  readonly overscan?: number;
  readonly className?: string;
  readonly testId?: string;
}

/**
 * A windowed list: a scroll box as tall as every row would be, in which only the rows in view (plus `overscan`)
 * exist, moved into place by one transform. A thousand servers cost the DOM of ~30 rows, and scrolling re-renders
 * only the rows that enter (rows are keyed; memoised row components keep the rest).
 */
export function VirtualRows<T>({
  items,
  rowHeight,
  rowKey,
  renderRow,
  overscan = 8,
  className,
  testId,
}: VirtualRowsProps<T>): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = (): void => setView({ top: el.scrollTop, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(view.top / rowHeight) - overscan);
  const last = Math.min(items.length, Math.ceil((view.top + view.height) / rowHeight) + overscan);
  const shown = items.slice(first, last);
  return (
    <div
      ref={ref}
      className={`virtual-rows ${className ?? ''}`}
      role="rowgroup"
      data-testid={testId}
      data-first={first}
      data-count={items.length}
      onScroll={(e) => {
        const el = e.currentTarget;
        setView((v) => (v.top === el.scrollTop ? v : { top: el.scrollTop, height: el.clientHeight }));
      }}
    >
      <div className="virtual-rows-spacer" style={{ height: items.length * rowHeight }}>
        <div className="virtual-rows-window" style={{ transform: `translateY(${first * rowHeight}px)` }}>
          {shown.map((item, i) => (
            <div key={rowKey(item)} className="virtual-row" style={{ height: rowHeight }}>
              {renderRow(item, first + i)}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
