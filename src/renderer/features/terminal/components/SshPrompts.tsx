import { useState } from 'react';
import { client } from '../../../lib/client';
import { useCountdown } from '../../../lib/use-countdown';
import { useStore } from '../../../store';
import { Dialog } from '../../../ui/Dialog';
import type { HostKeyPrompt, KeyboardPrompt } from '../slice';

const hostPort = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

function HostKeyDialog({ prompt }: { prompt: HostKeyPrompt }): React.JSX.Element {
  const dropPrompt = useStore((s) => s.dropPrompt);
  const server = useStore((s) => s.servers.find((x) => x.id === prompt.serverId));
  const secs = useCountdown(prompt.expiresAt);
  const answer = (trust: boolean): void => {
    dropPrompt(prompt.promptId);
    client.call('ssh.hostKey.answer', { promptId: prompt.promptId, trust }, { expected: ['NOT_FOUND'] }).catch(() => {
      useStore.getState().pushToast({ level: 'error', title: 'Too late', message: 'That question had expired.' });
    });
  };
  return (
    <Dialog title="Trust this server?" onClose={() => answer(false)} className="host-key-dialog">
      <p>
        First connection to <strong>{server?.name ?? hostPort(prompt.host, prompt.port)}</strong> at{' '}
        <code data-testid="host-key-host">{hostPort(prompt.host, prompt.port)}</code>. Compare the fingerprint with the
        one the server&apos;s owner gives you (<code>ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub</code> on the server).
      </p>
      <dl className="fingerprints">
        <dt>Key type</dt>
        <dd className="mono">{prompt.keyType}</dd>
        <dt>Fingerprint</dt>
        <dd className="mono fingerprint" data-testid="host-key-fingerprint">
          {prompt.fingerprint}
        </dd>
      </dl>
      <p className="muted">The question expires in {secs} s.</p>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => answer(false)}>
          Cancel
        </button>
        <button type="button" className="button primary" onClick={() => answer(true)} data-autofocus>
          Trust
        </button>
      </div>
    </Dialog>
  );
}

function KeyboardDialog({ prompt }: { prompt: KeyboardPrompt }): React.JSX.Element {
  const dropPrompt = useStore((s) => s.dropPrompt);
  const server = useStore((s) => s.servers.find((x) => x.id === prompt.serverId));
  const [answers, setAnswers] = useState<string[]>(() => prompt.prompts.map(() => ''));
  const [remember, setRemember] = useState(false);
  const offer = prompt.offerRemember === true;
  const send = (value: string[] | null): void => {
    dropPrompt(prompt.promptId);
    const input = {
      promptId: prompt.promptId,
      answers: value,
      ...(offer ? { remember: value !== null && remember } : {}),
    };
    client.call('ssh.keyboard.answer', input, { expected: ['NOT_FOUND'] }).catch(() => undefined);
  };
  const where = `${prompt.user}@${hostPort(prompt.host, prompt.port)}`;
  // PanelDeck's own question (no password stored) reads differently from one the server puts.
  const title = offer
    ? `Password for ${server?.name ?? hostPort(prompt.host, prompt.port)}`
    : prompt.name || `Sign in to ${hostPort(prompt.host, prompt.port)}`;
  const description = offer
    ? `${prompt.instructions ? `${prompt.instructions} ` : ''}No password is stored for ${where}.`
    : prompt.instructions || `${where} asks:`;
  return (
    <Dialog title={title} description={description} onClose={() => send(null)}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          send(answers);
        }}
      >
        {prompt.prompts.map((p, i) => (
          <label key={`${i}-${p.prompt}`} className="field">
            <span>{p.prompt}</span>
            <input
              className="input"
              type={p.echo ? 'text' : 'password'}
              autoComplete="off"
              data-autofocus={i === 0 ? true : undefined}
              value={answers[i] ?? ''}
              onChange={(e) => setAnswers(answers.map((a, j) => (j === i ? e.target.value : a)))}
            />
          </label>
        ))}
        {offer ? (
          <label className="checkbox">
            <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} />
            <span>Remember in the vault</span>
          </label>
        ) : null}
        <div className="dialog-actions">
          <button type="button" className="button" onClick={() => send(null)}>
            Cancel
          </button>
          <button type="submit" className="button primary">
            {offer ? 'Connect' : 'Send'}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

/** The open SSH questions (host key, keyboard-interactive), one at a time; ssh.prompt.closed takes them down. */
export function SshPrompts(): React.JSX.Element | null {
  const hostKey = useStore((s) => s.hostKeyPrompts[0]);
  const keyboard = useStore((s) => s.keyboardPrompts[0]);
  if (hostKey) return <HostKeyDialog key={hostKey.promptId} prompt={hostKey} />;
  if (keyboard) return <KeyboardDialog key={keyboard.promptId} prompt={keyboard} />;
  return null;
}
