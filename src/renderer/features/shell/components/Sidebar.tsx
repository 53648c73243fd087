import { useRef, type KeyboardEvent } from 'react';
import { useStore } from '../../../store';
import { OperationsButton } from '../../operations';
import { ClipboardNotice, LockButton } from '../../vault';
import { sectionShortcutLabel } from '../../../lib/section-shortcut';
import { SECTIONS } from '../sections';
import { SectionIcon } from './SectionIcon';

/**
 * The section list. Keyboard: Up/Down/Home/End move between entries (roving focus), Enter or Space opens one;
 * Ctrl+Shift+1..9 (⌘1..9 on macOS) jump from anywhere, a terminal included (see Shell and section-shortcut.ts). The footer shows the vault's state and its lock button.
 */
export function Sidebar(): React.JSX.Element {
  const section = useStore((s) => s.section);
  const setSection = useStore((s) => s.setSection);
  const refs = useRef<(HTMLButtonElement | null)[]>([]);

  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const last = SECTIONS.length - 1;
    const target = {
      ArrowDown: index === last ? 0 : index + 1,
      ArrowUp: index === 0 ? last : index - 1,
      Home: 0,
      End: last,
    }[e.key];
    if (target === undefined) return;
    e.preventDefault();
    refs.current[target]?.focus();
  };

  return (
    <aside className="sidebar">
      <div className="brand" aria-hidden="true">
        <span className="brand-mark">◆</span> PanelDeck
      </div>
      <nav aria-label="Sections">
        <ul role="list">
          {SECTIONS.map((s, i) => (
            <li key={s.id}>
              <button
                ref={(el) => {
                  refs.current[i] = el;
                }}
                type="button"
                className="nav-item"
                aria-current={section === s.id ? 'page' : undefined}
                tabIndex={section === s.id ? 0 : -1}
                onClick={() => setSection(s.id)}
                onKeyDown={(e) => onKeyDown(e, i)}
                title={`${s.label} (${sectionShortcutLabel(i)})`}
                data-section={s.id}
              >
                <span className="nav-icon" aria-hidden="true">
                  <SectionIcon id={s.id} />
                </span>
                <span>{s.label}</span>
                <kbd aria-hidden="true">{i + 1}</kbd>
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <footer className="sidebar-footer">
        <OperationsButton />
        <ClipboardNotice />
        <LockButton />
      </footer>
    </aside>
  );
}
