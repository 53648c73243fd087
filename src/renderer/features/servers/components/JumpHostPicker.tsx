import { useState } from 'react';
import type { Server } from '../../../../shared/contract/inventory.contract';
import type { ControlProps } from '../../../ui/Field';
import '../servers.css';

interface JumpHostPickerProps extends ControlProps {
  readonly value: readonly string[];
  readonly onChange: (ids: string[]) => void;
  /** Candidates: every other server. */
  readonly servers: readonly Server[];
}

/** An ordered chain of jump hosts: add from a menu, move up/down, remove. First hop first. */
export function JumpHostPicker({ value, onChange, servers, ...control }: JumpHostPickerProps): React.JSX.Element {
  const [pick, setPick] = useState('');
  const nameOf = (id: string): string => servers.find((s) => s.id === id)?.name ?? 'unknown server';
  const candidates = servers.filter((s) => !value.includes(s.id));
  const move = (i: number, by: -1 | 1): void => {
    const next = [...value];
    const [item] = next.splice(i, 1);
    if (item !== undefined) next.splice(i + by, 0, item);
    onChange(next);
  };
  return (
    <div className="jump-picker">
      {value.length > 0 ? (
        <ol className="jump-chain">
          {value.map((id, i) => (
            <li key={id}>
              <span className="jump-name">{nameOf(id)}</span>
              <button
                type="button"
                className="icon-button"
                aria-label={`Move ${nameOf(id)} earlier`}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Move ${nameOf(id)} later`}
                disabled={i === value.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
              <button
                type="button"
                className="icon-button"
                aria-label={`Remove ${nameOf(id)}`}
                onClick={() => onChange(value.filter((x) => x !== id))}
              >
                ×
              </button>
            </li>
          ))}
        </ol>
      ) : null}
      <div className="form-row">
        <select
          {...control}
          className="select"
          value={pick}
          onChange={(e) => setPick(e.target.value)}
          disabled={candidates.length === 0}
        >
          <option value="">{candidates.length === 0 ? 'No other servers' : 'Choose a jump host…'}</option>
          {candidates.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name} ({s.host})
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button"
          disabled={!pick || value.length >= 8}
          onClick={() => {
            onChange([...value, pick]);
            setPick('');
          }}
        >
          Add hop
        </button>
      </div>
    </div>
  );
}
