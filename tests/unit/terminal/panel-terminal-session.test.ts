import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { PanelTerminalSession, type PanelTerminal } from '../../../src/main/terminal/panel-terminal-session';
import type { SessionState } from '../../../src/main/ssh/reconnecting-session';

/** A panel terminal in memory: records what the session sends and lets the test speak and close for the panel. */
function fakeTerminal() {
  const data = new Set<(d: string) => void>();
  const closes = new Set<(e: { code: number; reason: string }) => void>();
  const sent: string[] = [];
  const calls: string[] = [];
  const term: PanelTerminal = {
    write: (d) => void sent.push(d),
    resize: (c, r) => void calls.push(`resize ${c}x${r}`),
    onData: (cb) => (data.add(cb), () => data.delete(cb)),
    onClose: (cb) => (closes.add(cb), () => closes.delete(cb)),
    pause: () => void calls.push('pause'),
    resume: () => void calls.push('resume'),
    close: () => void calls.push('close'),
  };
  return {
    term,
    sent,
    calls,
    say: (text: string) => data.forEach((cb) => cb(text)),
    end: (code: number) => closes.forEach((cb) => cb({ code, reason: '' })),
  };
}

function states(s: PanelTerminalSession): SessionState[] {
  const seen: SessionState[] = [];
  s.onState((x) => seen.push(x));
  return seen;
}

describe('PanelTerminalSession', () => {
  it('connects, passes input and output, pauses the socket above the high-water mark and resumes on ack', async () => {
    const f = fakeTerminal();
    const s = new PanelTerminalSession(
      () => Promise.resolve(f.term),
      { cols: 80, rows: 24 },
      {
        highWaterBytes: 10,
        lowWaterBytes: 4,
      },
    );
    const seen = states(s);
    const out: string[] = [];
    s.onData((d) => out.push(d.toString('utf8')));
    expect(s.write('early')).toBe(false); // nothing attached yet
    expect(await s.start()).toEqual({ state: 'connected', reconnected: false });
    expect(seen.map((x) => x.state)).toEqual(['connecting', 'connected']);
    expect(s.live).toBe(true);
    expect(s.write('ls\r')).toBe(true);
    expect(f.sent).toEqual(['ls\r']);

    f.say('12345');
    f.say('678901'); // 11 unacknowledged bytes ≥ 10
    expect(out).toEqual(['12345', '678901']);
    expect(f.calls.filter((c) => c === 'pause')).toHaveLength(1);
    s.ack(5); // 6 left: still above the low-water mark
    expect(f.calls).not.toContain('resume');
    s.ack(2); // 4 left
    expect(f.calls.filter((c) => c === 'resume')).toHaveLength(1);

    s.resize(100, 40);
    expect(f.calls).toContain('resize 100x40');
    s.close();
    expect(f.calls).toContain('close');
    expect(seen.at(-1)).toEqual({ state: 'closed', reason: 'closed', code: null, error: null });
    expect(s.write('x')).toBe(false);
  });

  it('the panel ending the socket ends the session: 1000 is an exit, anything else a failure', async () => {
    const a = fakeTerminal();
    const exited = new PanelTerminalSession(() => Promise.resolve(a.term), { cols: 80, rows: 24 });
    await exited.start();
    a.end(1000);
    expect(exited.state).toEqual({ state: 'closed', reason: 'exit', code: null, error: null });

    const b = fakeTerminal();
    const dropped = new PanelTerminalSession(() => Promise.resolve(b.term), { cols: 80, rows: 24 });
    await dropped.start();
    b.end(1006);
    expect(dropped.state).toMatchObject({ state: 'closed', reason: 'failed' });
    expect(dropped.state.state === 'closed' && dropped.state.error?.code).toBe('CONNECTION_FAILED');
  });

  it('a failed open closes it with the cause; a close while opening closes the socket once it opens', async () => {
    const refused = new PanelTerminalSession(
      () => Promise.reject(new AppError('NOT_FOUND', 'NexusPanel: Server not found')),
      { cols: 80, rows: 24 },
    );
    expect(await refused.start()).toMatchObject({ state: 'closed', reason: 'failed' });
    expect(refused.state.state === 'closed' && refused.state.error?.message).toBe('NexusPanel: Server not found');

    const f = fakeTerminal();
    let open!: (t: PanelTerminal) => void;
    const late = new PanelTerminalSession(() => new Promise((resolve) => (open = resolve)), { cols: 80, rows: 24 });
    const started = late.start();
    late.close();
    open(f.term);
    expect(await started).toMatchObject({ state: 'closed', reason: 'closed' });
    expect(f.calls).toEqual(['close']);
  });
});
