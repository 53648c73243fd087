import type { CdpPage } from './cdp-page';

/**
 * Keystroke → echo parsed by xterm, timed inside the page, the same way for any xterm.js-based terminal page.
 * Start: the key's keydown event (its timeStamp, read by a capture listener on the window, so before the
 * terminal's own handler). End: `performance.now()` in xterm's onWriteParsed once the cursor moved to where the
 * echo puts it (a typed `x` moves it one column right, the Backspace that erases it one column back).
 * Keys come one at a time, each after the previous echo and a pause like a typist's, from an idle page.
 */

/** How the page under test exposes its terminal to the timer. */
export type KeyTarget = { kind: 'paneldeck'; paneId: string } | { kind: 'wetty' };

/** The in-page side (runs in the page: no closures, only its argument). */
interface KeyTimer {
  /** The next key's echo is expected to leave the cursor at base + dx; resolves with its latency (ms). */
  arm(dx: number): void;
  wait(): Promise<number>;
  /** Types `n` x/Backspace pairs with synthetic keydown events on xterm's textarea; latencies of both keys. */
  typeInPage(n: number, gapMs: number): Promise<number[]>;
}

type TimerWindow = Window & { __keyTimer?: KeyTimer };

/** Installs the timer in the page and finds the cursor's resting column (one x typed and erased). */
export async function installKeyTimer(page: CdpPage, target: KeyTarget): Promise<void> {
  await page.evaluate(async (t) => {
    type Term = {
      textarea: HTMLTextAreaElement;
      onWriteParsed(fn: () => void): { dispose(): void };
      buffer: { active: { cursorX: number } };
    };
    const w = window as unknown as TimerWindow & {
      wetty_term?: Term;
      __paneldeckTerminals?: { onParsed(paneId: string, fn: (x: number) => void): () => void };
    };
    let textarea: HTMLTextAreaElement;
    let onParsed: (fn: (x: number) => void) => void;
    if (t.kind === 'wetty') {
      const term = w.wetty_term!;
      textarea = term.textarea;
      onParsed = (fn) => term.onWriteParsed(() => fn(term.buffer.active.cursorX));
    } else {
      textarea =
        document.querySelector<HTMLTextAreaElement>(`[data-pane-id="${t.paneId}"] .xterm-helper-textarea`) ??
        document.querySelector<HTMLTextAreaElement>('.xterm-helper-textarea')!;
      onParsed = (fn) => w.__paneldeckTerminals!.onParsed(t.paneId, fn);
    }
    let keyAt = 0;
    let handlerAt = 0;
    let sentAt = 0;
    const parts: number[][] = [];
    window.addEventListener(
      'keydown',
      (e) => {
        keyAt = e.timeStamp;
        handlerAt = performance.now();
        sentAt = 0;
      },
      true,
    );
    type Send = (this: WebSocket, d: Parameters<WebSocket['send']>[0]) => void;
    const send = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'send')!.value as Send;
    WebSocket.prototype.send = function (this: WebSocket, d: Parameters<WebSocket['send']>[0]) {
      sentAt ||= performance.now();
      send.call(this, d);
    };
    (w as unknown as { __keyParts: number[][] }).__keyParts = parts;
    let base = -1;
    let want = -1;
    let settle: ((ms: number) => void) | null = null;
    onParsed((x) => {
      if (settle && x === want) {
        const s = settle;
        settle = null;
        const now = performance.now();
        parts.push([handlerAt - keyAt, sentAt - handlerAt, now - sentAt]);
        s(now - keyAt);
      }
    });
    const press = (key: string, keyCode: number): void => {
      textarea.dispatchEvent(new KeyboardEvent('keydown', { key, keyCode, bubbles: true, cancelable: true }));
    };
    let pending: Promise<number> = Promise.resolve(0);
    const arm = (dx: number): Promise<number> =>
      (pending = new Promise<number>((resolve) => {
        want = base + dx;
        settle = resolve;
      }));
    textarea.focus();
    // Where the cursor rests: type one x, read the column, erase it.
    await new Promise<void>((resolve) => {
      want = -2;
      const first = (x: number): void => {
        if (base === -1) {
          base = x - 1;
          resolve();
        }
      };
      onParsed(first);
      press('x', 88);
    });
    const erased = arm(0);
    press('Backspace', 8);
    await erased;
    const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
    w.__keyTimer = {
      arm: (dx) => void arm(dx),
      wait: () => pending,
      async typeInPage(n, gapMs) {
        const out: number[] = [];
        for (let i = 0; i < n; i++) {
          for (const [key, code, dx] of [
            ['x', 88, 1],
            ['Backspace', 8, 0],
          ] as const) {
            await sleep(gapMs);
            const echoed = arm(dx);
            press(key, code);
            out.push(await echoed);
          }
        }
        return out;
      },
    };
  }, target);
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `n` x/Backspace pairs sent as DevTools input events (the browser's own key path into the page). */
export async function typeThroughDevtools(page: CdpPage, n: number, gapMs: number): Promise<number[]> {
  const out: number[] = [];
  const keys = [
    { key: 'x', code: 'KeyX', text: 'x', windowsVirtualKeyCode: 88, dx: 1 },
    { key: 'Backspace', code: 'Backspace', text: '', windowsVirtualKeyCode: 8, dx: 0 },
  ];
  for (let i = 0; i < n; i++) {
    for (const { dx, ...k } of keys) {
      await pause(gapMs);
      await page.evaluate((d) => (window as unknown as TimerWindow).__keyTimer!.arm(d), dx);
      await page.send('Input.dispatchKeyEvent', { type: k.text ? 'keyDown' : 'rawKeyDown', ...k });
      await page.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code });
      out.push(await page.evaluate(() => (window as unknown as TimerWindow).__keyTimer!.wait(), null));
    }
  }
  return out;
}

/** `n` x/Backspace pairs as synthetic keydown events dispatched inside the page. */
export function typeInPage(page: CdpPage, n: number, gapMs: number): Promise<number[]> {
  return page.evaluate(({ n, gapMs }) => (window as unknown as TimerWindow).__keyTimer!.typeInPage(n, gapMs), {
    n,
    gapMs,
  });
}

/** The p-th percentile (nearest rank) of `xs`. */
export function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}
