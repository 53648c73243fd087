import { useStore } from '../../../store';
import { DEFAULT_TERMINAL_SETTINGS, type TerminalSettings } from '../settings';

const THEMES: { id: TerminalSettings['theme']; label: string }[] = [
  { id: 'app', label: 'Follow the app theme' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

/** Terminal preferences (Settings section), saved in localStorage and applied to open terminals at once. */
export function TerminalSettingsForm(): React.JSX.Element {
  const s = useStore((st) => st.terminalSettings);
  const set = useStore((st) => st.setTerminalSettings);
  const num = (v: string, min: number, max: number, fallback: number): number => {
    const n = Number.parseInt(v, 10);
    return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
  };
  return (
    <fieldset className="term-settings">
      <legend>Terminal</legend>
      <label>
        Font family
        <input className="input mono" value={s.fontFamily} onChange={(e) => set({ fontFamily: e.target.value })} />
      </label>
      <label>
        Font size
        <input
          className="input"
          type="number"
          min={8}
          max={32}
          value={s.fontSize}
          onChange={(e) => set({ fontSize: num(e.target.value, 8, 32, s.fontSize) })}
        />
      </label>
      <label>
        Colours
        <select
          className="select"
          value={s.theme}
          onChange={(e) => set({ theme: e.target.value as TerminalSettings['theme'] })}
        >
          {THEMES.map((t) => (
            <option key={t.id} value={t.id}>
              {t.label}
            </option>
          ))}
        </select>
      </label>
      <label>
        Scrollback lines
        <input
          className="input"
          type="number"
          min={0}
          max={200000}
          step={1000}
          value={s.scrollback}
          onChange={(e) => set({ scrollback: num(e.target.value, 0, 200_000, s.scrollback) })}
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={s.copyOnSelect} onChange={(e) => set({ copyOnSelect: e.target.checked })} />
        Copy on select
      </label>
      <label className="check">
        <input type="checkbox" checked={s.cursorBlink} onChange={(e) => set({ cursorBlink: e.target.checked })} />
        Blinking cursor
      </label>
      <label className="check">
        <input type="checkbox" checked={s.autoReconnect} onChange={(e) => set({ autoReconnect: e.target.checked })} />
        Reconnect automatically when a connection drops (new terminals)
      </label>
      <label className="check">
        <input
          type="checkbox"
          checked={s.confirmCloseBusy}
          onChange={(e) => set({ confirmCloseBusy: e.target.checked })}
        />
        Ask before closing a terminal that is running a program
      </label>
      <button type="button" className="button small" onClick={() => set(DEFAULT_TERMINAL_SETTINGS)}>
        Reset terminal settings
      </button>
    </fieldset>
  );
}
