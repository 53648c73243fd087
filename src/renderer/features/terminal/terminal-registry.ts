import { FitAddon } from '@xterm/addon-fit';
import { SearchAddon } from '@xterm/addon-search';
import { SerializeAddon } from '@xterm/addon-serialize';
import { WebLinksAddon } from '@xterm/addon-web-links';
import { WebglAddon } from '@xterm/addon-webgl';
import { Terminal, type ITerminalOptions } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import { CursorBlink } from './cursor-blink';
import './cursor-blink.css';
import { FloodGate } from './flood-gate';
import { WriteFeeder } from './write-feeder';

/** Browsers cap live WebGL contexts (~16 in Chromium) and drop the oldest past it: stay well below. */
export const MAX_WEBGL_CONTEXTS = 8;
let liveWebgl = 0;
/**
 * Set when WebGL failed once (no GPU, blocklisted driver) or would run on a software rasterizer: every pane
 * then uses the DOM renderer. Null until first asked.
 */
let webglUnavailable: boolean | null = null;

/**
 * True when WebGL would be drawn by a CPU rasterizer (SwiftShader, llvmpipe: VMs, remote desktops, headless):
 * there each frame costs ~150 ms for a full terminal and a flood renders 7-10x slower than with the DOM renderer
 * (measured by `npm run bench -- terminal-ui`), so hardware acceleration is the only reason to use it.
 */
export function isSoftwareWebgl(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return true;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(renderer);
  } catch {
    return true;
  }
}

/** The part of xterm's private RenderService that {@link skipEmptySelectionRedraws} wraps. */
interface SelectionRedrawTarget {
  handleSelectionChanged(start: unknown, end: unknown, columnSelectMode: boolean): void;
}

/**
 * Works around xterm.js issue #4633 (open): on every scroll xterm asks its renderer to redraw the selection, and
 * the DOM renderer answers by re-rendering every row, on each frame, even with no selection at all and even while
 * synchronized output holds paints back. During a flood that doubled the rows built per frame. Redraw requests
 * that go from "no selection" to "no selection" are dropped here; any real selection change still goes through.
 * Reaches into xterm's internals, so it checks the shape first and does nothing (just slower) if it changed;
 * tests/e2e/terminal.spec.ts asserts it is in place and that selections still show and clear.
 * Returns whether the workaround is installed.
 */
export function skipEmptySelectionRedraws(term: Terminal): boolean {
  const core = (term as unknown as { _core?: { _renderService?: Partial<SelectionRedrawTarget> } })._core;
  const service = core?._renderService;
  const original = service?.handleSelectionChanged;
  if (!service || typeof original !== 'function') return false;
  let hadSelection = true; // the first request always goes through
  service.handleSelectionChanged = function (start, end, columnSelectMode) {
    const has = start !== undefined && end !== undefined;
    if (!has && !hadSelection) return;
    hadSelection = has;
    original.call(this, start, end, columnSelectMode);
  };
  return true;
}

/** What a pane's terminal reports back to the session layer. */
export interface PaneTerminalHooks {
  onInput(data: string): void;
  onResize(cols: number, rows: number): void;
  /** Ctrl/Cmd+click on a URL. */
  onLink(url: string): void;
  /** Keys the terminal must not consume (app shortcuts): they bubble to the window listener instead. */
  isAppShortcut(e: KeyboardEvent): boolean;
  onSelection(text: string): void;
}

/**
 * One pane's xterm with its addons. It lives outside React (in the registry) so that splitting a pane,
 * switching tabs or leaving the Terminal section never loses scrollback: React only attaches its element.
 * WebGL is loaded while the pane is attached (visible) and dropped when it is not, so the number of live
 * contexts follows what is on screen; on context loss or failure the DOM renderer takes over.
 */
export class PaneTerminal {
  readonly term: Terminal;
  readonly element: HTMLDivElement;
  readonly search = new SearchAddon();
  readonly serialize = new SerializeAddon();
  readonly #fit = new FitAddon();
  #webgl: WebglAddon | null = null;
  #opened = false;
  #observer: ResizeObserver | null = null;
  #resizeTimer: number | undefined;
  readonly #gate: FloodGate;
  readonly #feeder: WriteFeeder;
  readonly #blink: CursorBlink;
  /** The user's blinking-cursor setting (xterm blinks itself with WebGL; {@link CursorBlink} does it otherwise). */
  #blinkWanted: boolean;
  /** Whether {@link skipEmptySelectionRedraws} is in place (set when the terminal is first opened). */
  selectionWorkaround = false;

  constructor(
    readonly paneId: string,
    options: ITerminalOptions,
    hooks: PaneTerminalHooks,
  ) {
    this.#blinkWanted = options.cursorBlink ?? false;
    this.term = new Terminal({ ...options, cursorBlink: false, allowProposedApi: true });
    this.element = document.createElement('div');
    this.element.className = 'xterm-host';
    const host = this.element;
    this.#blink = new CursorBlink((hidden) => host.classList.toggle('cursor-off', hidden));
    const term = this.term;
    const feeder = new WriteFeeder({ write: (data, parsed) => term.write(data, parsed) });
    this.#feeder = feeder;
    this.#gate = new FloodGate({
      write: (data, parsed) => feeder.write(data, parsed),
      get syncOutput() {
        return term.modes.synchronizedOutputMode;
      },
    });
    this.term.loadAddon(this.#fit);
    this.term.loadAddon(this.search);
    this.term.loadAddon(this.serialize);
    this.term.loadAddon(
      new WebLinksAddon((event, uri) => {
        if (event.ctrlKey || event.metaKey) hooks.onLink(uri);
      }),
    );
    this.term.onData((d) => {
      this.#blink.input();
      hooks.onInput(d);
    });
    this.term.onBinary((d) => hooks.onInput(d));
    this.term.onSelectionChange(() => {
      if (this.term.hasSelection()) hooks.onSelection(this.term.getSelection());
    });
    this.term.onResize(({ cols, rows }) => {
      window.clearTimeout(this.#resizeTimer);
      this.#resizeTimer = window.setTimeout(() => hooks.onResize(cols, rows), 120);
    });
    this.term.attachCustomKeyEventHandler((e) => {
      if (hooks.isAppShortcut(e)) return false;
      // Ctrl+L belongs to the shell (clear screen) inside a terminal, not to the app's lock shortcut.
      if (e.type === 'keydown' && e.ctrlKey && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'l') {
        e.stopPropagation();
      }
      return true;
    });
  }

  /** Puts the terminal into `parent` (opening it the first time), loads WebGL if allowed, and fits. */
  attach(parent: HTMLElement): void {
    parent.appendChild(this.element);
    if (!this.#opened) {
      this.term.open(this.element);
      this.#opened = true;
      this.selectionWorkaround = skipEmptySelectionRedraws(this.term);
      const textarea = this.term.textarea;
      textarea?.addEventListener('focus', () => this.#blink.focus(true));
      textarea?.addEventListener('blur', () => this.#blink.focus(false));
      this.#blink.focus(textarea !== undefined && document.activeElement === textarea);
    }
    this.#enableWebgl();
    this.#observer = new ResizeObserver(() => this.fit());
    this.#observer.observe(parent);
    this.fit();
  }

  /** Takes the terminal off screen (it keeps parsing output) and frees its WebGL context. */
  detach(): void {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#disableWebgl();
    this.element.remove();
  }

  /** How many output floods had their repaints capped (see {@link FloodGate}). */
  get floods(): number {
    return this.#gate.floods;
  }

  /** Session output: into xterm through the flood gate; `parsed` runs once xterm has processed it. */
  write(data: Uint8Array | string, parsed: () => void): void {
    this.#gate.write(data, parsed);
  }

  /** Applies changed options (font, theme, scrollback, cursor blink). */
  setOptions(options: ITerminalOptions): void {
    this.#blinkWanted = options.cursorBlink ?? false;
    this.term.options = { ...options, cursorBlink: false };
    this.#applyBlink();
  }

  /** Whether the cursor blinks with the timer-driven {@link CursorBlink} (DOM renderer, blinking wanted). */
  get timerBlink(): boolean {
    return this.#blink.enabled;
  }

  /** xterm's WebGL renderer blinks from its own timer; the DOM renderer's blink is a CSS animation, so not that one. */
  #applyBlink(): void {
    const webgl = this.#webgl !== null;
    this.term.options.cursorBlink = this.#blinkWanted && webgl;
    this.#blink.enabled = this.#blinkWanted && !webgl;
  }

  /** Fits cols/rows to the element's size; a no-op while detached or hidden. */
  fit(): void {
    if (!this.element.isConnected || this.element.clientWidth === 0 || this.element.clientHeight === 0) return;
    this.#fit.fit();
  }

  /** True while the WebGL renderer is in use (else the DOM renderer). */
  get webgl(): boolean {
    return this.#webgl !== null;
  }

  dispose(): void {
    window.clearTimeout(this.#resizeTimer);
    this.#gate.dispose();
    this.#feeder.dispose();
    this.detach();
    this.#blink.dispose();
    this.term.dispose();
  }

  #enableWebgl(): void {
    webglUnavailable ??= isSoftwareWebgl();
    if (this.#webgl || webglUnavailable || liveWebgl >= MAX_WEBGL_CONTEXTS) return this.#applyBlink();
    try {
      const addon = new WebglAddon();
      addon.onContextLoss(() => this.#disableWebgl());
      this.term.loadAddon(addon);
      this.#webgl = addon;
      liveWebgl++;
    } catch (e) {
      webglUnavailable = true;
      console.warn('WebGL renderer unavailable, using the DOM renderer', e);
    }
    this.#applyBlink();
  }

  #disableWebgl(): void {
    if (!this.#webgl) return;
    this.#webgl.dispose();
    this.#webgl = null;
    liveWebgl--;
    this.#applyBlink();
  }
}

const terminals = new Map<string, PaneTerminal>();

/** The pane's terminal, or undefined before it was created / after it was disposed. */
export function getPaneTerminal(paneId: string): PaneTerminal | undefined {
  return terminals.get(paneId);
}

/** The pane's terminal, created on first use. */
export function ensurePaneTerminal(paneId: string, options: ITerminalOptions, hooks: PaneTerminalHooks): PaneTerminal {
  let t = terminals.get(paneId);
  if (!t) {
    t = new PaneTerminal(paneId, options, hooks);
    terminals.set(paneId, t);
  }
  return t;
}

/** Disposes a pane's terminal for good. */
export function disposePaneTerminal(paneId: string): void {
  terminals.get(paneId)?.dispose();
  terminals.delete(paneId);
}

/** Applies changed options (font, theme, scrollback) to every terminal and refits. */
export function applyOptionsToAll(options: ITerminalOptions): void {
  for (const t of terminals.values()) {
    t.setOptions(options);
    t.fit();
  }
}
