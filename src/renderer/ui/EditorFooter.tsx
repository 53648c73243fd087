import { Field } from './Field';

interface EditorFooterProps {
  readonly notes: string;
  readonly onNotes: (notes: string) => void;
  readonly notesError: string | undefined;
  /** The form-level error (not tied to one field). */
  readonly formError: string | undefined;
  readonly submitLabel: string;
  readonly busy: boolean;
  readonly onCancel: () => void;
}

/** The end of an editor dialog's form: free-text notes, the form-level error, Cancel and the submit button. */
export function EditorFooter(props: EditorFooterProps): React.JSX.Element {
  const { notes, onNotes, notesError, formError, submitLabel, busy, onCancel } = props;
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
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          {submitLabel}
        </button>
      </div>
    </>
  );
}
