import type { ReactNode } from 'react';
import type { FileDialogOptions } from '../../shared/contract/app.contract';
import { client } from '../lib/client';
import { Field } from './Field';
import './ui.css';
import './path-field.css';

interface PathFieldProps {
  readonly label: string;
  readonly value: string;
  readonly onChange: (path: string) => void;
  /** `open` picks an existing file, `save` a place for a new one (the native dialog asks before replacing). */
  readonly mode: 'open' | 'save';
  /** Called with a path chosen in the native dialog (after onChange); `save` dialogs already asked about replacing. */
  readonly onPicked?: (path: string) => void;
  readonly dialog: FileDialogOptions;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
  readonly placeholder?: string;
  /** More controls on the same row, after the Browse button (e.g. the form's submit button). */
  readonly trailing?: ReactNode;
  readonly autoFocus?: boolean;
}

/**
 * A file path the user types, with a "Browse…" button for the native file dialog where there is one (the desktop
 * app: app.pickFile / app.pickSaveFile). In the browser the typed path is used: the core expands `~` and asks for
 * a full path instead of guessing a folder (issue 8, item 6).
 */
export function PathField(props: PathFieldProps): React.JSX.Element {
  const { label, value, onChange, mode, onPicked, dialog, error, hint, placeholder, trailing, autoFocus } = props;
  const canPick = client.transport === 'electron';
  const browse = async (): Promise<void> => {
    const method = mode === 'open' ? 'app.pickFile' : 'app.pickSaveFile';
    const r = await client.call(method, { ...dialog, ...(value.trim() ? { defaultPath: value.trim() } : {}) });
    if (r.path === null) return;
    onChange(r.path);
    onPicked?.(r.path);
  };
  return (
    <Field label={label} error={error} hint={hint ?? 'A full path: /home/me/file or ~/file (~ is your home folder).'}>
      {(c) => (
        <div className="path-field">
          <input
            {...c}
            className="input mono"
            value={value}
            placeholder={placeholder}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => onChange(e.target.value)}
            {...(autoFocus ? { 'data-autofocus': true } : {})}
          />
          {canPick ? (
            <button type="button" className="button" onClick={() => void browse().catch(() => undefined)}>
              Browse…
            </button>
          ) : null}
          {trailing}
        </div>
      )}
    </Field>
  );
}
