import type { RangeId } from '../metrics-types';
import { RANGES } from '../series-points';

/** The dashboard's range buttons (live, 15 min … 1 y); the chosen one is pressed. */
export function RangePicker({
  value,
  onChange,
}: {
  value: RangeId;
  onChange: (r: RangeId) => void;
}): React.JSX.Element {
  return (
    <div className="metrics-ranges" role="group" aria-label="Range">
      {RANGES.map((r) => (
        <button
          key={r.id}
          type="button"
          className={`button small ${r.id === value ? 'primary' : 'ghost'}`}
          aria-pressed={r.id === value}
          onClick={() => onChange(r.id)}
        >
          {r.label}
        </button>
      ))}
    </div>
  );
}
