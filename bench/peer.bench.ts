import fs from 'node:fs';
import path from 'node:path';
import { build } from 'vite';
import { startSshd, type SshdPeer } from '../tests/integration/peers';
import type { BenchFigure } from './run';
import { CdpPage } from './support/cdp-page';
import { benchCore, type BenchCore } from './support/fleet';
import { asPtyOutput, FLOOD_MIB, floodText, otherChromiumPids, rendererPids } from './support/flood';
import { installKeyTimer, percentile, typeInPage, typeThroughDevtools } from './support/key-latency';
import { cpuDuring, type ProcessGroups } from './support/proc-cpu';
import { descendants } from './support/proc-memory';
import { ensureWetty, startWetty, WETTY_VERSION, type WettyServer } from './support/wetty';

/** Both products' ssh connections use this cipher (the bench's sshd offers only it). */
const CIPHER = 'aes128-gcm@openssh.com';
const ROUNDS = 3;
/** x/Backspace pairs per way of sending keys, per product (twice as many samples). */
const KEY_PAIRS = 100;
/** A typist's pause before each key (the page is idle when the key arrives). */
const KEY_GAP_MS = 30;

type Probe = NonNullable<Window['__paneldeckTerminals']>;
type PdClient = { call(m: string, i: unknown): Promise<unknown> };
type XtermLike = {
  input(data: string): void;
  resize(cols: number, rows: number): void;
  onWriteParsed(fn: () => void): { dispose(): void };
  rows: number;
  cols: number;
  options: { scrollback?: number; fontSize?: number; fontFamily?: string };
  buffer: { active: { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined } };
};
/** What the functions evaluated in the pages see (they run there: no closures, only their argument). */
type PageWindow = Window & {
  __paneldeckTerminals: Probe;
  __paneldeck: PdClient;
  wetty_term: XtermLike;
  __flood?: Uint8Array;
};

/** One terminal page under test: how to run a command in it and wait for text on its screen. */
interface Side {
  readonly name: string;
  readonly page: CdpPage;
  /** Types `command` + Enter and resolves with the ms until `marker` is on screen (parsed). */
  run(command: string, marker: string): Promise<number>;
  /** Process groups whose CPU is reported per MiB. */
  readonly groups: ProcessGroups;
  /** 'DOM' or 'WebGL'. */
  renderer: string;
}

const sshdPids = (peer: SshdPeer) => (): number[] => [
  peer.pid,
  ...descendants(peer.pid)
    .filter((p) => /^sshd/.test(p.cmdline))
    .map((p) => p.pid),
];

async function rendererOf(page: CdpPage): Promise<string> {
  return page.evaluate(() => (document.querySelector('.xterm-screen canvas') ? 'WebGL' : 'DOM'), null);
}

async function paneldeckSide(core: BenchCore, peer: SshdPeer): Promise<Side & { paneId: string }> {
  const page = await CdpPage.launch(core.address.url);
  await page.waitFor(() => {
    const button = document.querySelector<HTMLButtonElement>('button[aria-label="Connect to bench"]');
    button?.click();
    return Boolean(button);
  }, null);
  const pane = await page.waitFor(() => {
    const probe = (window as unknown as PageWindow).__paneldeckTerminals;
    const p = probe?.panes()[0];
    return p?.sessionId && probe.statuses(p.paneId).at(-1) === 'connected'
      ? { paneId: p.paneId, sessionId: p.sessionId }
      : null;
  }, null);
  core.client.close(); // the host key is trusted now; a second client would receive every output event too
  const run = (command: string, marker: string): Promise<number> =>
    page.evaluate(
      async ({ paneId, sessionId, command, marker }) => {
        const w = window as unknown as PageWindow;
        const done = w.__paneldeckTerminals.whenText(paneId, marker);
        const t0 = performance.now();
        await w.__paneldeck.call('terminal.write', { sessionId, data: `${command}\n` });
        return (await done) - t0;
      },
      { ...pane, command, marker },
    );
  return {
    name: 'PanelDeck',
    page,
    paneId: pane.paneId,
    run,
    renderer: await rendererOf(page),
    groups: {
      'page renderer': () => rendererPids(page.pid),
      'other Chromium processes': () => otherChromiumPids(page),
      'server (PanelDeck core, ssh2 inside)': () => [core.pid],
      sshd: sshdPids(peer),
    },
  };
}

async function wettySide(server: WettyServer, peer: SshdPeer, like: { cols: number; rows: number }): Promise<Side> {
  const page = await CdpPage.launch(server.url);
  // The same font, size and scrollback as PanelDeck's pane (WeTTY keeps its options in localStorage), no fitting
  // to the window: the terminal gets PanelDeck's columns and rows.
  await page.waitFor(() => document.readyState === 'complete' && location.protocol === 'http:', null);
  // WeTTY would draw with WebGL; here that is a software rasterizer (PanelDeck falls back to its DOM renderer on
  // one): withhold WebGL from its page so both draw with xterm's DOM renderer, as the side-by-side intends.
  await page.send('Page.enable');
  await page.send('Page.addScriptToEvaluateOnNewDocument', {
    source: `{ const get = HTMLCanvasElement.prototype.getContext;
      HTMLCanvasElement.prototype.getContext = function (type, ...rest) {
        return /webgl/.test(type) ? null : get.call(this, type, ...rest);
      }; }`,
  });
  await page.evaluate(
    (o) => {
      localStorage.options = JSON.stringify({
        xterm: { fontSize: o.fontSize, fontFamily: o.fontFamily, scrollback: o.scrollback },
        wettyFitTerminal: false,
      });
      location.reload();
    },
    { fontSize: 13, fontFamily: "'DejaVu Sans Mono', ui-monospace, Menlo, Consolas, monospace", scrollback: 10_000 },
  );
  await page.waitFor(() => {
    const t = (window as unknown as PageWindow).wetty_term as XtermLike | undefined;
    if (!t) return false;
    for (let i = 0; i < t.buffer.active.length; i++)
      if (t.buffer.active.getLine(i)?.translateToString(true).includes('$')) return true;
    return false;
  }, null);
  await page.evaluate((s) => (window as unknown as PageWindow).wetty_term.resize(s.cols, s.rows), like);
  const run = (command: string, marker: string): Promise<number> =>
    page.evaluate(
      ({ command, marker }) =>
        new Promise<number>((resolve) => {
          const term = (window as unknown as PageWindow).wetty_term;
          const sub = term.onWriteParsed(() => {
            const b = term.buffer.active;
            for (let i = Math.max(0, b.length - term.rows); i < b.length; i++) {
              if (b.getLine(i)?.translateToString(true).includes(marker)) {
                sub.dispose();
                return resolve(performance.now() - t0);
              }
            }
          });
          const t0 = performance.now();
          term.input(`${command}\r`);
        }),
      { command, marker },
    );
  const sshClient = (): number[] =>
    descendants(server.pid)
      .filter((p) => /(^|\/)ssh /.test(p.cmdline))
      .map((p) => p.pid);
  return {
    name: 'WeTTY',
    page,
    run,
    renderer: await rendererOf(page),
    groups: {
      'page renderer': () => rendererPids(page.pid),
      'other Chromium processes': () => otherChromiumPids(page),
      'server (WeTTY: Node + node-pty)': () => [server.pid],
      'ssh client (OpenSSH)': sshClient,
      sshd: sshdPids(peer),
    },
  };
}

/** `BENCH_KEY_PARTS=1`: medians of keydown queueing, keydown → WebSocket send, send → parsed since last call. */
async function printParts(s: Side, way: string): Promise<void> {
  const parts = await s.page.evaluate(() => {
    const w = window as unknown as { __keyParts: number[][] };
    return w.__keyParts.splice(0);
  }, null);
  const med = (i: number): string =>
    percentile(
      parts.map((p) => p[i] ?? NaN),
      50,
    ).toFixed(2);
  console.log(`  ${s.name} ${way}: queued ${med(0)} ms, key → send ${med(1)} ms, send → parsed ${med(2)} ms`);
}

/**
 * PanelDeck's page renderer CPU for the 16 MiB flood (all its threads: what the transport costs there), best of
 * three each: through the pipeline; the same bytes written in the page in 64 KiB messages through the pane's output
 * path (flood gate and feeder, as session output takes) all queued at once; and the same messages written at the
 * pipeline's own pace. At once finishes in a third of the time and so paints a third of the frames; at the
 * pipeline's pace the difference left is the transport's own work (WebSocket, decoding, dispatch, acks).
 */
async function rendererOwnCost(
  pd: Side & { paneId: string },
  text: Buffer,
  file: string,
): Promise<{ pipeline: number; atOnce: number; paced: number; paceMs: number }> {
  await pd.page.evaluate((data) => {
    (window as unknown as PageWindow).__flood = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
  }, asPtyOutput(text).toString('base64'));
  const renderer = { 'page renderer': pd.groups['page renderer']! };
  const best = async (work: () => Promise<number>): Promise<{ cpu: number; ms: number }> => {
    let out = { cpu: Infinity, ms: 0 };
    for (let r = 0; r < ROUNDS; r++) {
      const { result: ms, cpuMs } = await cpuDuring(renderer, work);
      const cpu = cpuMs['page renderer'] ?? Infinity;
      if (cpu < out.cpu) out = { cpu, ms };
    }
    return out;
  };
  let round = 0;
  const pipeline = await best(() => {
    const r = 52 + round++;
    return pd.run(`cat ${file}; echo DONE-$((${r}+0))`, `DONE-${r}`);
  });
  const inPage = (paceMs: number): Promise<number> =>
    pd.page.evaluate(
      async ({ paneId, paceMs }) => {
        const w = window as unknown as PageWindow;
        const bytes = w.__flood!;
        const size = 64 * 1024;
        const n = Math.ceil(bytes.length / size);
        const t0 = performance.now();
        let last: Promise<number> = Promise.resolve(0);
        for (let i = 0; i < n; i++) {
          const wait = t0 + (i * paceMs) / n - performance.now();
          if (wait >= 1) await new Promise((r) => setTimeout(r, wait));
          last = w.__paneldeckTerminals.writeLocal(paneId, bytes.subarray(i * size, (i + 1) * size), size);
        }
        await last;
        return performance.now() - t0;
      },
      { paneId: pd.paneId, paceMs },
    );
  const atOnce = await best(() => inPage(0));
  const paced = await best(() => inPage(pipeline.ms));
  return { pipeline: pipeline.cpu, atOnce: atOnce.cpu, paced: paced.cpu, paceMs: pipeline.ms };
}

/** Keystroke latency, both ways of sending keys, in blocks alternating between the two sides. */
async function keyLatency(sides: Side[]): Promise<Map<string, { inPage: number[]; devtools: number[] }>> {
  const out = new Map(sides.map((s) => [s.name, { inPage: [] as number[], devtools: [] as number[] }]));
  const blocks = 4;
  for (let b = 0; b < blocks; b++) {
    for (const s of sides) {
      const r = out.get(s.name)!;
      r.inPage.push(...(await typeInPage(s.page, KEY_PAIRS / blocks, KEY_GAP_MS)));
      if (process.env.BENCH_KEY_PARTS) await printParts(s, 'in page');
      r.devtools.push(...(await typeThroughDevtools(s.page, KEY_PAIRS / blocks, KEY_GAP_MS)));
      if (process.env.BENCH_KEY_PARTS) await printParts(s, 'devtools');
    }
  }
  return out;
}

/**
 * `npm run bench -- peer`: PanelDeck beside WeTTY (the closest product that runs here) against the same sshd, in
 * the same Chromium with the same flags, same cipher, terminal size, font and scrollback: the 16 MiB flood's
 * throughput and CPU per MiB per process, and keystroke → echo parsed latency inside the page, keys sent both
 * through DevTools input events and as keydown events dispatched in the page. Then PanelDeck's page renderer
 * CPU per MiB for the pipeline against xterm fed the same bytes in 64 KiB messages in the page.
 */
export async function runPeerBench(): Promise<BenchFigure[]> {
  const wetty = ensureWetty();
  if ('skipped' in wetty) {
    console.log(`  skipped: ${wetty.skipped}`);
    return [];
  }
  process.env.PANELDECK_TEST_HOOKS = '1'; // the bench drives the page through the test hooks
  await build({ configFile: path.resolve('vite.web.config.ts'), logLevel: 'silent' });
  const peer = await startSshd({ extraConfig: `Ciphers ${CIPHER}\n` });
  const text = floodText();
  const file = path.join(peer.home, 'flood.txt');
  fs.writeFileSync(file, text, { mode: 0o644 });
  const core = await benchCore(peer);
  const server = await startWetty(wetty.main, peer);
  const sides: Side[] = [];
  try {
    const pd = await paneldeckSide(core, peer);
    sides.push(pd);
    const size = await pd.page.evaluate(
      (paneId) => (window as unknown as PageWindow).__paneldeckTerminals.size(paneId),
      pd.paneId,
    );
    if (!size) throw new Error('no pane size');
    const wt = await wettySide(server, peer, size);
    sides.push(wt);
    for (const s of sides) await s.run("PS1='$ '; clear; echo READY-$((6*7))", 'READY-42');
    await installKeyTimer(pd.page, { kind: 'paneldeck', paneId: pd.paneId });
    await installKeyTimer(wt.page, { kind: 'wetty' });
    const keys = await keyLatency(sides);

    // Flood rounds alternate between the sides; each side keeps its best round, with that round's CPU.
    const floods = new Map<string, { ms: number; cpuMs: Record<string, number> }>();
    for (let r = 0; r < ROUNDS; r++) {
      for (const s of sides) {
        const { result: ms, cpuMs } = await cpuDuring(s.groups, () =>
          s.run(`cat ${file}; echo DONE-$((42+${r}))`, `DONE-${42 + r}`),
        );
        const best = floods.get(s.name);
        if (!best || ms < best.ms) floods.set(s.name, { ms, cpuMs });
      }
    }

    const own = await rendererOwnCost(pd, text, file);
    console.log(
      `  xterm renderers: PanelDeck ${pd.renderer}, WeTTY ${wt.renderer}; cipher ${CIPHER}; ${size.cols}x${size.rows}`,
    );
    const figures: BenchFigure[] = [];
    const rate = (ms: number): number => FLOOD_MIB / (ms / 1000);
    const p = floods.get('PanelDeck')!;
    const w = floods.get('WeTTY')!;
    figures.push(
      {
        name: `PanelDeck: cat ${FLOOD_MIB} MiB → xterm, best of ${ROUNDS}`,
        value: rate(p.ms),
        unit: 'MiB/s',
        goal: '-',
      },
      { name: `WeTTY ${WETTY_VERSION}: the same, best of ${ROUNDS}`, value: rate(w.ms), unit: 'MiB/s', goal: '-' },
      { name: 'flood throughput PanelDeck / WeTTY', value: w.ms / p.ms, unit: 'x', goal: '-' },
    );
    for (const s of sides) {
      for (const [group, ms] of Object.entries(floods.get(s.name)!.cpuMs))
        figures.push({ name: `${s.name} CPU per MiB: ${group}`, value: ms / FLOOD_MIB, unit: 'ms', goal: '-' });
    }
    for (const way of ['inPage', 'devtools'] as const) {
      const label = way === 'inPage' ? 'keydown dispatched in the page' : 'DevTools input events';
      for (const s of sides) {
        const xs = keys.get(s.name)![way];
        const goal = s.name === 'PanelDeck';
        figures.push(
          {
            name: `${s.name} key → parsed p50 (${label})`,
            value: percentile(xs, 50),
            unit: 'ms',
            goal: goal ? '<= 5 ms' : '-',
          },
          {
            name: `${s.name} key → parsed p95 (${label})`,
            value: percentile(xs, 95),
            unit: 'ms',
            goal: goal ? '<= 8 ms' : '-',
          },
        );
      }
      const ours = keys.get('PanelDeck')![way];
      const theirs = keys.get('WeTTY')![way];
      figures.push(
        {
          name: `p50 PanelDeck / WeTTY (${label})`,
          value: percentile(ours, 50) / percentile(theirs, 50),
          unit: 'x',
          goal: '<= 1x',
        },
        {
          name: `p95 PanelDeck / WeTTY (${label})`,
          value: percentile(ours, 95) / percentile(theirs, 95),
          unit: 'x',
          goal: '<= 1x',
        },
      );
    }
    figures.push(
      { name: 'PanelDeck page renderer CPU per MiB: pipeline', value: own.pipeline / FLOOD_MIB, unit: 'ms', goal: '-' },
      {
        name: 'the same bytes written in the page, 64 KiB at once',
        value: own.atOnce / FLOOD_MIB,
        unit: 'ms',
        goal: '-',
      },
      {
        name: `the same, 64 KiB at the pipeline's pace (${own.paceMs.toFixed(0)} ms)`,
        value: own.paced / FLOOD_MIB,
        unit: 'ms',
        goal: '-',
      },
      {
        name: 'renderer CPU pipeline / in-page, at once',
        value: own.pipeline / own.atOnce,
        unit: 'x',
        goal: '<= 1.3x',
      },
      {
        name: "renderer CPU pipeline / in-page, at the pipeline's pace",
        value: own.pipeline / own.paced,
        unit: 'x',
        goal: '-',
      },
    );
    return figures;
  } finally {
    for (const s of sides) await s.page.close();
    await server.close();
    await core.close();
    fs.rmSync(file, { force: true });
    await peer.stop();
  }
}
