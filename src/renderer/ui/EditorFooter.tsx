import { Field } from './Field';

interface EditorFooterProps {
  readonly notes: string;
  readonly onNotes: (notes: string) => void;
  readonly notesError: string | undefined;
  /** The form-level error (not tied to one field). */
  readonly formError: string | undefined;
  readonly submitLabel: string;
  readonly busy: boolean;
  /** What the submit button says while `busy` (e.g. "Generating…" for a key that takes seconds); default: submitLabel. */
  readonly busyLabel?: string;
  /** A sentence read out and shown while `busy`, for work that takes long enough to wonder about. */
  readonly busyNote?: string;
  readonly onCancel: () => void;
}

/** The end of an editor dialog's form: free-text notes, the form-level error, Cancel and the submit button. */
export function EditorFooter(props: EditorFooterProps): React.JSX.Element {
  const { notes, onNotes, notesError, formError, submitLabel, busy, busyLabel, busyNote, onCancel } = props;
  return (
    <>
      <Field label="Notes" error={notesError}>
        {(c) => (
          <textarea {...c} className="textarea" rows={3} value={notes} onChange={(e) => onNotes(e.target.value)} />
        )}
      </Field>
      <p className="form-error" role="alert">
        {formError}
      </p>
      {busy && busyNote ? (
        <p className="muted busy-note" role="status">
          {busyNote}
        </p>
      ) : null}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={busy} aria-busy={busy || undefined}>
          {busy && busyLabel ? busyLabel : submitLabel}
        </button>
      </div>
    </>
  );
}
