/** What a section shows before its feature exists or has data: what will live there. */
export function EmptyState({ title, text }: { title: string; text: string }): React.JSX.Element {
  return (
    <section className="empty-state" aria-labelledby="empty-title">
      <h1 id="empty-title">{title}</h1>
      <p>{text}</p>
    </section>
  );
}
