import { useRef, type KeyboardEvent } from 'react';
import './ui.css';

interface TabsProps<T extends string> {
  readonly label: string;
  readonly tabs: readonly { id: T; label: string }[];
  readonly current: T;
  readonly onChange: (id: T) => void;
  /** Prefix for tab/panel ids so the panel can point back with aria-labelledby. */
  readonly idPrefix: string;
}

/** A WAI-ARIA tab list: Left/Right/Home/End move and select (automatic activation). */
export function Tabs<T extends string>({ label, tabs, current, onChange, idPrefix }: TabsProps<T>): React.JSX.Element {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const last = tabs.length - 1;
    const target = {
      ArrowRight: index === last ? 0 : index + 1,
      ArrowLeft: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    }[e.key];
    const tab = target === undefined ? undefined : tabs[target];
    if (target === undefined || !tab) return;
    e.preventDefault();
    onChange(tab.id);
    refs.current[target]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="tabs">
      {tabs.map((t, i) => (
        <button
          key={t.id}
          ref={(el) => {
            refs.current[i] = el;
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${t.id}`}
          aria-controls={`${idPrefix}-panel`}
          aria-selected={t.id === current}
          tabIndex={t.id === current ? 0 : -1}
          className="tab"
          onClick={() => onChange(t.id)}
          onKeyDown={(e) => onKeyDown(e, i)}
        >
          {t.label}
        </button>
      ))}
    </div>
  );
}
