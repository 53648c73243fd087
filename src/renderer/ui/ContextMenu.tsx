import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import './ui.css';

/** One entry of a {@link ContextMenu}; `separator` draws a line before it. */
export interface MenuItem {
  readonly label: string;
  /** Shown right-aligned, for the user to learn (the menu does not bind it). */
  readonly shortcut?: string;
  readonly disabled?: boolean;
  readonly separator?: boolean;
  readonly run: () => void;
}

interface ContextMenuProps {
  readonly label: string;
  /** Where the pointer was (viewport coordinates); the menu is kept inside the window. */
  readonly x: number;
  readonly y: number;
  readonly items: readonly MenuItem[];
  readonly onClose: () => void;
}

/**
 * A right-click menu: opens at the pointer, focuses its first enabled item, arrow keys / Home / End move, Enter or
 * Space runs an item, Escape, a click elsewhere or leaving the window closes it. ARIA menu / menuitem roles.
 */
export function ContextMenu({ label, x, y, items, onClose }: ContextMenuProps): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const [pos, setPos] = useState({ left: x, top: y });
  const enabled = items.map((it, i) => (it.disabled ? -1 : i)).filter((i) => i >= 0);
  const [active, setActive] = useState(enabled[0] ?? -1);

  useLayoutEffect(() => {
    const box = ref.current?.getBoundingClientRect();
    if (!box) return;
    setPos({
      left: Math.max(4, Math.min(x, window.innerWidth - box.width - 4)),
      top: Math.max(4, Math.min(y, window.innerHeight - box.height - 4)),
    });
  }, [x, y]);

  useEffect(() => {
    ref.current?.querySelector<HTMLElement>(`[data-index="${active}"]`)?.focus();
  }, [active]);

  useEffect(() => {
    const away = (e: PointerEvent): void => {
      if (!ref.current?.contains(e.target as Node)) onClose();
    };
    window.addEventListener('pointerdown', away, true);
    window.addEventListener('blur', onClose);
    window.addEventListener('resize', onClose);
    return () => {
      window.removeEventListener('pointerdown', away, true);
      window.removeEventListener('blur', onClose);
      window.removeEventListener('resize', onClose);
    };
  }, [onClose]);

  const run = (item: MenuItem): void => {
    if (item.disabled) return;
    onClose();
    item.run();
  };
  const move = (delta: number): void => {
    if (enabled.length === 0) return;
    const at = enabled.indexOf(active);
    setActive(enabled[(at + delta + enabled.length) % enabled.length] ?? -1);
  };

  return (
    <div
      ref={ref}
      className="context-menu"
      role="menu"
      aria-label={label}
      style={pos}
      onContextMenu={(e) => e.preventDefault()}
      onKeyDown={(e) => {
        const keys: Record<string, () => void> = {
          ArrowDown: () => move(1),
          ArrowUp: () => move(-1),
          Home: () => setActive(enabled[0] ?? -1),
          End: () => setActive(enabled.at(-1) ?? -1),
          Escape: onClose,
          Tab: onClose,
        };
        const act = keys[e.key];
        if (!act) return;
        e.preventDefault();
        e.stopPropagation();
        act();
      }}
    >
      {items.map((item, i) => (
        <div key={item.label} role="none" className={item.separator ? 'context-menu-sep' : undefined}>
          <button
            type="button"
            role="menuitem"
            data-index={i}
            tabIndex={i === active ? 0 : -1}
            disabled={item.disabled}
            aria-disabled={item.disabled}
            onClick={() => run(item)}
            onPointerEnter={() => !item.disabled && setActive(i)}
          >
            <span>{item.label}</span>
            {item.shortcut ? <kbd>{item.shortcut}</kbd> : null}
          </button>
        </div>
      ))}
    </div>
  );
}
