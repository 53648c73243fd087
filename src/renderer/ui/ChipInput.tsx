import { useState, type KeyboardEvent } from 'react';
import type { ControlProps } from './Field';
import './ui.css';

interface ChipInputProps extends ControlProps {
  readonly values: readonly string[];
  readonly onChange: (values: string[]) => void;
  readonly placeholder?: string;
  /** Suggestions offered through a datalist (e.g. tags already in use). */
  readonly suggestions?: readonly string[];
}

/**
 * Tags as removable chips. Enter, comma or space adds what was typed (also on blur);
 * Backspace in the empty box removes the last chip.
 */
export function ChipInput({
  values,
  onChange,
  placeholder,
  suggestions,
  ...control
}: ChipInputProps): React.JSX.Element {
  const [draft, setDraft] = useState('');
  const listId = `${control.id}-suggestions`;

  const commit = (): void => {
    const parts = draft
      .split(/[\s,]+/)
      .map((p) => p.trim())
      .filter(Boolean);
    const next = [...values];
    for (const p of parts) if (!next.includes(p)) next.push(p);
    if (next.length !== values.length) onChange(next);
    setDraft('');
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>): void => {
    if ((e.key === 'Enter' || e.key === ',' || e.key === ' ') && draft.trim()) {
      e.preventDefault();
      commit();
    } else if (e.key === 'Backspace' && !draft && values.length > 0) {
      onChange(values.slice(0, -1));
    }
  };

  return (
    <div className="chip-input">
      {values.map((v) => (
        <span key={v} className="chip">
          {v}
          <button
            type="button"
            className="chip-remove"
            aria-label={`Remove tag ${v}`}
            onClick={() => onChange(values.filter((x) => x !== v))}
          >
            ×
          </button>
        </span>
      ))}
      <input
        {...control}
        className="chip-input-box"
        value={draft}
        placeholder={values.length === 0 ? placeholder : undefined}
        list={suggestions?.length ? listId : undefined}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={onKeyDown}
        onBlur={commit}
      />
      {suggestions?.length ? (
        <datalist id={listId}>
          {suggestions
            .filter((s) => !values.includes(s))
            .map((s) => (
              <option key={s} value={s} />
            ))}
        </datalist>
      ) : null}
    </div>
  );
}
