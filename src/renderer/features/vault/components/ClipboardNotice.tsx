import { useClipboardClearsAt } from '../../../lib/secure-clipboard';
import { useCountdown } from '../../../lib/use-countdown';
import '../vault.css';

/** "Clipboard clears in 27 s" while a copied secret is pending its clear. */
export function ClipboardNotice(): React.JSX.Element {
  const left = useCountdown(useClipboardClearsAt());
  return (
    <p className="clipboard-pill" role="status" data-testid="clipboard-countdown">
      {left > 0 ? `Copied · clipboard clears in ${left} s` : ''}
    </p>
  );
}
