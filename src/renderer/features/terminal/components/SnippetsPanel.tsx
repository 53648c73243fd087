import { useCallback, useEffect, useState } from 'react';
import type { Snippet } from '../../../../shared/contract/snippets.contract';
import { client } from '../../../lib/client';
import { errorMessage, fieldErrors, type FieldErrors } from '../../../lib/errors';
import { useStore } from '../../../store';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { snippetTargets } from '../sessions';

type Editing = { kind: 'new' } | { kind: 'edit'; snippet: Snippet } | null;

function SnippetForm({ editing, onDone }: { editing: Exclude<Editing, null>; onDone: () => void }) {
  const initial = editing.kind === 'edit' ? editing.snippet : null;
  const [name, setName] = useState(initial?.name ?? '');
  const [command, setCommand] = useState(initial ? initial.command.replace(/\n$/, '') : '');
  const [enter, setEnter] = useState(initial ? initial.command.endsWith('\n') : true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const save = async (): Promise<void> => {
    const fields = { name, command: enter ? `${command}\n` : command };
    try {
      if (initial)
        await client.call('snippets.update', { id: initial.id, patch: fields }, { expected: ['VALIDATION'] });
      else await client.call('snippets.create', fields, { expected: ['VALIDATION'] });
      onDone();
    } catch (e) {
      const f = fieldErrors(e, 'patch.');
      setErrors(Object.keys(f).length ? f : { _: errorMessage(e) });
    }
  };
  return (
    <form
      className="snippet-form"
      aria-label={initial ? `Edit snippet ${initial.name}` : 'New snippet'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        Name
        <input className="input" value={name} onChange={(e) => setName(e.target.value)} aria-invalid={!!errors.name} />
      </label>
      <label>
        Command
        <textarea
          className="textarea mono"
          rows={3}
          value={command}
          onChange={(e) => setCommand(e.target.value)}
          aria-invalid={!!errors.command}
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={enter} onChange={(e) => setEnter(e.target.checked)} />
        Press Enter after it (runs it at once)
      </label>
      {Object.values(errors).length ? (
        <p className="form-error" role="alert">
          {Object.values(errors).join(' ')}
        </p>
      ) : null}
      <div className="form-row">
        <button type="button" className="button small" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button small primary">
          Save
        </button>
      </div>
    </form>
  );
}

/** Saved commands: create, edit, delete, and run into the active tab (or every broadcast tab). */
export function SnippetsPanel(): React.JSX.Element {
  const [snippets, setSnippets] = useState<Snippet[]>([]);
  const [query, setQuery] = useState('');
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Snippet | null>(null);
  const broadcastOn = useStore((s) => s.broadcastOn);
  const hasTab = useStore((s) => s.activeTermTabId !== null);

  const load = useCallback(async (q: string): Promise<void> => {
    setSnippets(await client.call('snippets.list', q.trim() ? { query: q.trim() } : {}));
  }, []);
  useEffect(() => {
    const t = window.setTimeout(() => void load(query).catch(() => undefined), 120);
    return () => window.clearTimeout(t);
  }, [load, query]);

  const run = (s: Snippet): void => {
    const sessionIds = snippetTargets();
    if (sessionIds.length === 0) return;
    client.call('snippets.run', { id: s.id, sessionIds }).catch(() => undefined);
  };

  return (
    <aside className="term-side" aria-label="Snippets">
      <div className="term-side-head">
        <h2>Snippets</h2>
        <button type="button" className="button small primary" onClick={() => setEditing({ kind: 'new' })}>
          New
        </button>
      </div>
      <input
        className="input"
        type="search"
        placeholder="Filter"
        aria-label="Filter snippets"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
      />
      {editing ? (
        <SnippetForm
          key={editing.kind === 'edit' ? editing.snippet.id : 'new'}
          editing={editing}
          onDone={() => {
            setEditing(null);
            load(query).catch(() => undefined);
          }}
        />
      ) : null}
      <p className="muted small">
        {broadcastOn ? 'Run sends to every broadcast tab.' : 'Run sends to the active tab.'}
      </p>
      <ul className="snippet-list">
        {snippets.map((s) => (
          <li key={s.id} data-testid="snippet-row">
            <div className="snippet-name">{s.name}</div>
            <code className="snippet-cmd">{s.command.replace(/\n$/, '⏎')}</code>
            <div className="form-row">
              <button type="button" className="button small primary" disabled={!hasTab} onClick={() => run(s)}>
                Run <span className="visually-hidden">{s.name}</span>
              </button>
              <button type="button" className="button small" onClick={() => setEditing({ kind: 'edit', snippet: s })}>
                Edit
              </button>
              <button type="button" className="button small ghost" onClick={() => setDeleting(s)}>
                Delete
              </button>
            </div>
          </li>
        ))}
        {snippets.length === 0 ? <li className="muted">No snippets yet.</li> : null}
      </ul>
      {deleting ? (
        <ConfirmDialog
          title={`Delete the snippet ${deleting.name}?`}
          confirmLabel="Delete snippet"
          danger
          onClose={() => setDeleting(null)}
          onConfirm={async () => {
            await client.call('snippets.delete', { id: deleting.id });
            await load(query);
          }}
        >
          <p>
            <code>{deleting.command}</code>
          </p>
        </ConfirmDialog>
      ) : null}
    </aside>
  );
}
