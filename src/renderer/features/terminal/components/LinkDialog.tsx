import { useStore } from '../../../store';
import { ConfirmDialog } from '../../../ui/ConfirmDialog';
import { openConfirmedLink } from '../sessions';

/** "Open this link?" for a Ctrl+clicked URL in terminal output, with the full address to check first. */
export function LinkDialog(): React.JSX.Element | null {
  const url = useStore((s) => s.pendingLink);
  const setPendingLink = useStore((s) => s.setPendingLink);
  if (!url) return null;
  return (
    <ConfirmDialog
      title="Open link?"
      confirmLabel="Open in browser"
      onConfirm={() => openConfirmedLink(url)}
      onClose={() => setPendingLink(null)}
    >
      <p>A program in the terminal printed this link. Check the address before opening it:</p>
      <p>
        <code className="link-to-open" data-testid="link-to-open">
          {url}
        </code>
      </p>
    </ConfirmDialog>
  );
}
