import { describe, expect, it } from 'vitest';
import { sshEvents } from '../../../src/shared/contract/ssh.contract';
import { UiPrompter, type PromptEmitter } from '../../../src/main/ssh/ui-prompter';

/** Records emitted events after validating them against the contract. */
function recorder(): { emit: PromptEmitter; events: { name: string; payload: { promptId: string } }[] } {
  const events: { name: string; payload: { promptId: string } }[] = [];
  const emit: PromptEmitter = (name, payload) => {
    sshEvents[name].payload.parse(payload);
    events.push({ name, payload });
  };
  return { emit, events };
}

const hk = {
  targetId: '0b7c2f7e-9a53-4a53-8d55-7d4f0e0b8f10',
  host: 'h',
  port: 22,
  keyType: 'ssh-ed25519',
  fingerprint: 'SHA256:x',
};

describe('UiPrompter', () => {
  it('turns a host key question into an event and resolves with the answer', async () => {
    const { emit, events } = recorder();
    const p = new UiPrompter({ emit, promptTimeoutMs: 1_000 });
    const answer = p.confirmHostKey(hk, new AbortController().signal);
    expect(events[0]?.name).toBe('ssh.hostKey.prompt');
    p.answerHostKey(events[0]?.payload.promptId ?? '', true);
    expect(await answer).toBe(true);
    expect(events[1]).toMatchObject({ name: 'ssh.prompt.closed', payload: { reason: 'answered' } });
    expect(() => p.answerHostKey(events[0]?.payload.promptId ?? '', true)).toThrow(/no longer open/);
  });

  it('keyboard-interactive answers, and abandoning takes the prompt down', async () => {
    const { emit, events } = recorder();
    const p = new UiPrompter({ emit, promptTimeoutMs: 1_000 });
    const q = {
      targetId: hk.targetId,
      user: 'u',
      host: 'h',
      port: 22,
      name: '',
      instructions: '',
      prompts: [{ prompt: 'Code:', echo: true }],
    };
    const a = p.keyboardInteractive(q, new AbortController().signal);
    p.answerKeyboard(events[0]?.payload.promptId ?? '', ['123456']);
    expect(await a).toEqual(['123456']);
    const ac = new AbortController();
    const b = p.keyboardInteractive(q, ac.signal);
    ac.abort();
    expect(await b).toBeNull();
    expect(events.at(-1)).toMatchObject({ name: 'ssh.prompt.closed', payload: { reason: 'abandoned' } });
  });
});
