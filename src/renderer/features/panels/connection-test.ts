import { AppError } from '../../../shared/errors';
import { needsOtp, tlsTrust, type TlsTrust } from './panel-errors';
import { client } from '../../lib/client';
import { errorMessage } from '../../lib/errors';
import { useStore } from '../../store';

/** A question the connection test needs answered before it can go on. */
export type PanelPrompt =
  | { readonly panelId: string; readonly kind: 'tls-unknown' | 'tls-changed'; readonly tls: TlsTrust }
  | { readonly panelId: string; readonly kind: 'otp'; readonly message: string };

/**
 * Runs "Test connection" for a panel: signs in and records who we are there. A self-signed certificate or a 2FA
 * challenge becomes a prompt (the trust dialog, the code prompt) instead of an error; answering it tests again.
 * Any other failure is the panel's status line. Returns true when the panel answered.
 */
export async function testPanel(id: string, otp?: string): Promise<boolean> {
  const s = useStore.getState();
  s.setPanelStatus(id, { state: 'testing' });
  try {
    const identity = await client.call('panels.test', otp !== undefined ? { id, otp } : { id }, { expected: 'all' });
    const st = useStore.getState();
    st.setPanelStatus(id, { state: 'ok', identity, at: Date.now() });
    if (st.panelPrompt?.panelId === id) st.setPanelPrompt(null);
    return true;
  } catch (e) {
    const tls = tlsTrust(e);
    const st = useStore.getState();
    if (tls && e instanceof AppError) {
      const changed = e.code === 'HOST_KEY_CHANGED';
      st.setPanelStatus(id, {
        state: changed ? 'error' : 'waiting',
        message: changed ? 'Certificate changed: refused' : 'Certificate not trusted yet',
      });
      st.setPanelPrompt({ panelId: id, kind: changed ? 'tls-changed' : 'tls-unknown', tls });
    } else if (needsOtp(e)) {
      st.setPanelStatus(id, { state: 'waiting', message: 'Waiting for the 2FA code' });
      st.setPanelPrompt({ panelId: id, kind: 'otp', message: errorMessage(e) });
    } else {
      st.setPanelStatus(id, { state: 'error', message: errorMessage(e) });
      // A wrong code answers AUTH_FAILED without needsOtp: the prompt stays open and says so.
      const open = st.panelPrompt;
      if (open?.panelId === id && open.kind === 'otp' && otp !== undefined) {
        st.setPanelPrompt({ ...open, message: errorMessage(e) });
      }
    }
    return false;
  }
}

/** Trusts the certificate the prompt showed (panels.trust), then tests again. */
export async function trustAndRetest(panelId: string, tls: TlsTrust): Promise<void> {
  const account = await client.call(
    'panels.trust',
    { id: panelId, hostPort: tls.hostPort, fingerprint: tls.fingerprint },
    { expected: 'all' },
  );
  const s = useStore.getState();
  s.putPanel(account);
  s.setPanelPrompt(null);
  await testPanel(panelId);
}
