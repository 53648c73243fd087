import type { ReactNode } from 'react';
import type { PlanPreview } from '../../../../shared/contract/sites.contract';

function lineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-file';
  if (line.startsWith('@@')) return 'diff-hunk';
  if (line.startsWith('+')) return 'diff-add';
  if (line.startsWith('-')) return 'diff-del';
  return 'diff-ctx';
}

/** A unified diff with added lines green and removed lines red (the text keeps its +/- for screen readers). */
export function UnifiedDiff({ path, diff }: { path: string; diff: string }): React.JSX.Element {
  const lines = diff.replace(/\n$/, '').split('\n');
  return (
    <figure className="plan-diff" data-testid="plan-diff">
      <figcaption className="plan-diff-path">{path}</figcaption>
      {diff === '' ? (
        <p className="muted plan-diff-empty">No change to this file.</p>
      ) : (
        <pre className="diff" aria-label={`Changes to ${path}`}>
          {lines.map((l, i) => (
            <span key={i} className={lineClass(l)}>
              {l}
            </span>
          ))}
        </pre>
      )}
    </figure>
  );
}

/**
 * What a change will do, before it runs (issue 9, safe writes): its steps in order, the exact commands and a
 * unified diff of every file it writes or removes. `note` replaces the nginx safety note (a panel's plan says
 * what its API calls do instead; null: no note).
 */
export function PlanView({ plan, note }: { plan: PlanPreview; note?: ReactNode }): React.JSX.Element {
  return (
    <div className="plan" data-testid="plan-preview">
      <h3 className="plan-title">{plan.title}</h3>
      <section aria-label="Steps">
        <h4>Steps</h4>
        <ol className="plan-steps">
          {plan.steps.map((s) => (
            <li key={s.id}>
              <span className="badge">{s.kind}</span> {s.title}
            </li>
          ))}
        </ol>
      </section>
      <section aria-label="Commands">
        <h4>
          {plan.commands.some((c) => /^(GET|POST|PUT|PATCH|DELETE) /.test(c))
            ? 'Requests it sends'
            : 'Commands it runs'}
        </h4>
        <pre className="plan-commands" data-testid="plan-commands">
          {plan.commands.map((c) => `$ ${c}`).join('\n')}
        </pre>
      </section>
      {plan.diffs.length > 0 ? (
        <section aria-label="Files">
          <h4>Files it changes</h4>
          {plan.diffs.map((d) => (
            <UnifiedDiff key={d.path} path={d.path} diff={d.unifiedDiff} />
          ))}
        </section>
      ) : null}
      {note === undefined ? (
        <p className="muted plan-note">
          Every file is backed up first; if <code>nginx -t</code> or the check after the reload fails, the backups are
          restored and nginx is reloaded, so the other sites keep answering.
        </p>
      ) : note === null ? null : (
        <p className="muted plan-note">{note}</p>
      )}
    </div>
  );
}
