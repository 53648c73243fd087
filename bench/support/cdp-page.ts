import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { CHROMIUM_FLAGS } from '../../tests/e2e/chromium-flags';

/** The tests' Chromium flags, headless, and: */
export const CHROMIUM_ARGS = [
  '--headless',
  ...CHROMIUM_FLAGS,
  // No spare renderer kept warm for the next tab: the bench measures the page's renderer, and Electron keeps none.
  '--disable-features=SpareRendererForSitePerProcess',
] as const;

interface CdpReply {
  id?: number;
  result?: {
    result?: { value?: unknown };
    exceptionDetails?: { text?: string; exception?: { description?: string } };
  };
  error?: { message: string };
}

/**
 * One Chromium page driven over the DevTools protocol with the Runtime domain only.
 * Why not Playwright here: Playwright enables the Network domain on every page it drives, and Chromium then copies
 * each WebSocket frame, base64-encoded, to the test process. For the terminal pipeline that doubled the browser
 * process's work and cut the measured throughput roughly in half — a cost the app in Electron never pays.
 */
export class CdpPage {
  readonly #child: ChildProcess;
  readonly #ws: WebSocket;
  readonly #dir: string;
  readonly #waiting = new Map<number, (r: CdpReply) => void>();
  #nextId = 0;

  private constructor(child: ChildProcess, ws: WebSocket, dir: string) {
    this.#child = child;
    this.#ws = ws;
    this.#dir = dir;
    ws.on('message', (m: Buffer) => {
      const reply = JSON.parse(m.toString('utf8')) as CdpReply;
      if (reply.id !== undefined) this.#waiting.get(reply.id)?.(reply);
    });
  }

  /** Starts Chromium (a fresh profile, a 1400x900 window) and opens `url`. */
  static async launch(url: string, executable = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'): Promise<CdpPage> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pd-bench-chromium-'));
    const child = spawn(
      executable,
      [...CHROMIUM_ARGS, `--user-data-dir=${dir}`, '--remote-debugging-port=0', '--window-size=1400,900', url],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    // Chromium prints "DevTools listening on ws://..." once the protocol is up.
    const browserUrl = await new Promise<string>((resolve, reject) => {
      let err = '';
      child.stderr?.on('data', (d: Buffer) => {
        err += d.toString('utf8');
        const m = /DevTools listening on (ws:\/\/\S+)/.exec(err);
        if (m?.[1]) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`chromium exited (${code}): ${err.slice(-500)}`)));
    });
    child.stderr?.resume();
    const port = new URL(browserUrl).port;
    type Target = { type: string; url: string; webSocketDebuggerUrl: string };
    let target: Target | undefined;
    while (!target) {
      const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Target[];
      target = list.find((t) => t.type === 'page' && t.url.startsWith(url.split('#')[0] ?? url));
      if (!target) await new Promise((r) => setImmediate(r));
    }
    const ws = new WebSocket(target.webSocketDebuggerUrl, { perMessageDeflate: false });
    await once(ws, 'open');
    return new CdpPage(child, ws, dir);
  }

  /** Chromium's own process id (its helpers are its descendants). */
  get pid(): number {
    return this.#child.pid ?? 0;
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<CdpReply> {
    const id = ++this.#nextId;
    return new Promise((resolve) => {
      this.#waiting.set(id, (r) => {
        this.#waiting.delete(id);
        resolve(r);
      });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  /** Runs `fn(arg)` in the page (awaiting a returned promise) and returns its JSON value. */
  evaluate<A, R>(fn: (arg: A) => R | Promise<R>, arg: A): Promise<Awaited<R>> {
    return this.#run(`(${fn.toString()})(${JSON.stringify(arg)})`);
  }

  /** Checks `fn(arg)` in the page on each animation frame until it is truthy, and resolves with that value. */
  async waitFor<A, R>(fn: (arg: A) => R, arg: A): Promise<NonNullable<R>> {
    for (;;) {
      try {
        return await this.#waitOnce(fn, arg);
      } catch (e) {
        // The page navigated (first load, or the app replacing its URL): wait in the new document.
        if (!/context was destroyed|Cannot find (default execution )?context|target navigated/.test(String(e))) throw e;
      }
    }
  }

  #waitOnce<A, R>(fn: (arg: A) => R, arg: A): Promise<NonNullable<R>> {
    return this.#run(`new Promise((resolve) => {
      const f = (${fn.toString()});
      const tick = () => { const v = f(${JSON.stringify(arg)}); if (v) resolve(v); else requestAnimationFrame(tick); };
      tick();
    })`);
  }

  async #run<R>(expression: string): Promise<R> {
    // tsx (esbuild's keepNames) wraps named inner functions in `__name(...)`: give the page that helper too.
    const reply = await this.send('Runtime.evaluate', {
      expression: `var __name = globalThis.__name ?? ((f) => f); ${expression}`,
      awaitPromise: true,
      returnByValue: true,
    });
    if (reply.error) throw new Error(reply.error.message);
    const ex = reply.result?.exceptionDetails;
    if (ex) throw new Error(ex.exception?.description ?? ex.text ?? 'evaluation failed');
    return reply.result?.result?.value as R;
  }

  /** A trusted key press, as the user's keyboard would send it (Ctrl/Shift as modifiers). */
  async press(key: string, code: string, modifiers: { ctrl?: boolean; shift?: boolean } = {}): Promise<void> {
    const m = (modifiers.ctrl ? 2 : 0) | (modifiers.shift ? 8 : 0);
    const keyCode = key.toUpperCase().charCodeAt(0);
    for (const type of ['rawKeyDown', 'keyUp'])
      await this.send('Input.dispatchKeyEvent', { type, key, code, modifiers: m, windowsVirtualKeyCode: keyCode });
  }

  async close(): Promise<void> {
    this.#ws.close();
    const exited = once(this.#child, 'exit');
    this.#child.kill();
    await exited;
    fs.rmSync(this.#dir, { recursive: true, force: true });
  }
}
