import { useStore } from '../../../store';
import { TerminalSettingsForm } from '../../terminal';
import type { ThemeChoice } from '../slice';

const THEMES: { id: ThemeChoice; label: string }[] = [
  { id: 'system', label: 'Follow the system' },
  { id: 'light', label: 'Light' },
  { id: 'dark', label: 'Dark' },
];

/** Preferences; more arrive with each feature (terminal font, auto-lock, ...). */
export function SettingsPanel(): React.JSX.Element {
  const theme = useStore((s) => s.theme);
  const setTheme = useStore((s) => s.setTheme);
  return (
    <section className="panel" aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <fieldset className="radio-group">
        <legend>Theme</legend>
        {THEMES.map((t) => (
          <label key={t.id}>
            <input type="radio" name="theme" value={t.id} checked={theme === t.id} onChange={() => setTheme(t.id)} />
            {t.label}
          </label>
        ))}
      </fieldset>
      <TerminalSettingsForm />
    </section>
  );
}
