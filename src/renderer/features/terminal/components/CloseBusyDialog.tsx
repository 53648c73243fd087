import { useState } from 'react';
import { useStore } from '../../../store';
import { Dialog } from '../../../ui/Dialog';
import { closePane } from '../sessions';

/**
 * "Close “web”? sleep is still running": asked before a tab or pane with a foreground program closes (see
 * close-request.ts). Cancel has the focus, so an Enter typed a moment too late keeps the program running.
 */
export function CloseBusyDialog(): React.JSX.Element | null {
  const request = useStore((s) => s.closeRequest);
  const setRequest = useStore((s) => s.setCloseRequest);
  const setSettings = useStore((s) => s.setTerminalSettings);
  const [dontAsk, setDontAsk] = useState(false);
  if (!request) return null;
  const cancel = (): void => {
    setDontAsk(false);
    setRequest(null);
  };
  const confirm = (): void => {
    if (dontAsk) setSettings({ confirmCloseBusy: false });
    setDontAsk(false);
    setRequest(null);
    request.paneIds.forEach(closePane);
  };
  const running = request.programs.length ? request.programs.map((p) => `“${p}”`).join(', ') : 'A program';
  return (
    <Dialog title={`Close “${request.title}”?`} onClose={cancel}>
      <p>
        {running} {request.programs.length > 1 ? 'are' : 'is'} still running in this {request.what}. Closing it ends{' '}
        {request.programs.length > 1 ? 'them' : 'it'}.
      </p>
      <label className="check">
        <input type="checkbox" checked={dontAsk} onChange={(e) => setDontAsk(e.target.checked)} />
        Don’t ask again (Settings › Terminal)
      </label>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={cancel} data-autofocus>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={confirm}>
          Close {request.what}
        </button>
      </div>
    </Dialog>
  );
}
