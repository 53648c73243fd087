/**
 * A section whose feature is not in this version yet. It says so plainly, says what the section will do, and
 * shows no controls that would pretend otherwise (issue 8, item 16).
 */
export function EmptyState({ title, text }: { title: string; text: string }): React.JSX.Element {
  return (
    <section className="empty-state" aria-labelledby="empty-title" data-testid="section-not-yet">
      <h1 id="empty-title">{title}</h1>
      <p className="badge empty-state-badge">Not available yet</p>
      <p>
        {title} is not part of this version of PanelDeck. When it arrives, this section will {text}
      </p>
      <p>It is coming in a later release; nothing in this section works yet.</p>
    </section>
  );
}
