import { useId, type ReactNode } from 'react';
import './ui.css';

/** The props a control needs to be labelled and described by its Field. */
export interface ControlProps {
  readonly id: string;
  readonly 'aria-invalid': boolean | undefined;
  readonly 'aria-describedby': string | undefined;
}

interface FieldProps {
  readonly label: string;
  readonly error?: string | undefined;
  readonly hint?: ReactNode;
  readonly children: (control: ControlProps) => ReactNode;
  readonly className?: string;
}

/** A labelled form row: label, the control (render prop gets its id/aria wiring), a hint and an inline error. */
export function Field({ label, error, hint, children, className }: FieldProps): React.JSX.Element {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field ${className ?? ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="field-control">
        {children({ id, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
        {hint ? (
          <div id={hintId} className="field-hint">
            {hint}
          </div>
        ) : null}
        {error ? (
          <div id={errorId} className="field-error" role="alert">
            {error}
          </div>
        ) : null}
      </div>
    </div>
  );
}
