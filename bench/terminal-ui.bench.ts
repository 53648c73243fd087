import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { build } from 'vite';
import { startSshd } from '../tests/integration/peers';
import type { BenchFigure } from './run';
import { benchCore } from './support/fleet';
import { descendants, memoryOf, type ProcInfo } from './support/proc-memory';

const MIB = 1024 * 1024;
const SIZE_MIB = 16;
const ROUNDS = 3;
const TABS = 10;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** 16 MiB of terminal-like text: numbered lines with words and a few SGR colours. */
function sampleText(): Buffer {
  const lines: string[] = [];
  let size = 0;
  for (let i = 0; size < SIZE_MIB * MIB; i++) {
    const l = `${String(i).padStart(7, '0')} \u001b[32mok\u001b[0m GET /api/v1/servers/${i % 977}/metrics 200 ${i % 1000}ms lorem ipsum dolor sit amet\n`;
    lines.push(l);
    size += Buffer.byteLength(l);
  }
  return Buffer.from(lines.join(''));
}

type Probe = NonNullable<Window['__paneldeckTerminals']>;

/** Chromium processes started by this bench. */
function chromiumPids(): ProcInfo[] {
  return descendants(process.pid).filter((p) => p.cmdline.includes('chromium'));
}

/** Its renderer processes (the page's, plus any spare one Chromium keeps warm). */
function rendererPids(): number[] {
  return chromiumPids()
    .filter((p) => p.cmdline.includes('--type=renderer'))
    .map((p) => p.pid);
}
type PdClient = { call(m: string, i: unknown): Promise<unknown> };

async function connectedPanes(page: Page, n: number): Promise<{ paneId: string; sessionId: string }[]> {
  await page.waitForFunction(
    (count) => {
      const probe = (window as unknown as { __paneldeckTerminals?: Probe }).__paneldeckTerminals;
      const panes = probe?.panes() ?? [];
      return (
        panes.length >= count && panes.every((p) => p.sessionId && probe?.statuses(p.paneId).at(-1) === 'connected')
      );
    },
    n,
    { timeout: 60_000 },
  );
  return page.evaluate(() =>
    (window as unknown as { __paneldeckTerminals: Probe }).__paneldeckTerminals
      .panes()
      .map((p) => ({ paneId: p.paneId, sessionId: p.sessionId ?? '' })),
  );
}

/**
 * The terminal pipeline in the real UI (sshd → core process → WebSocket → renderer → xterm, with acks) vs
 * xterm's own `term.write` of the same bytes in the same pane; then core + renderer memory with 10 tabs open.
 */
export async function runTerminalUiBench(): Promise<BenchFigure[]> {
  await build({ configFile: path.resolve('vite.web.config.ts'), logLevel: 'silent' });
  const peer = await startSshd();
  const text = sampleText();
  const file = path.join(peer.home, 'flood.txt');
  fs.writeFileSync(file, text, { mode: 0o644 });
  const core = await benchCore(peer);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
  try {
    // Chromium's own floor: the renderer of an empty page, measured before the app loads.
    const blankPage = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await blankPage.setContent('<!doctype html><title>blank</title>');
    const blank = memoryOf(rendererPids());
    await blankPage.close();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(core.address.url);
    await page.getByRole('button', { name: 'Connect to bench' }).click();
    const [first] = await connectedPanes(page, 1);
    if (!first) throw new Error('no pane');

    // 10 tabs on the same server (Ctrl+Shift+T opens one on the current server).
    await page.locator('.xterm-helper-textarea').first().focus();
    for (let i = 1; i < TABS; i++) {
      await page.keyboard.press('Control+Shift+T');
      await connectedPanes(page, i + 1);
    }
    // Some realistic scrollback in every tab (2,000 lines each), then measure.
    for (const p of await connectedPanes(page, TABS)) {
      await page.evaluate(async ({ paneId, sessionId }) => {
        const w = window as unknown as { __paneldeckTerminals: Probe; __paneldeck: PdClient };
        const done = w.__paneldeckTerminals.whenText(paneId, 'SEQ-42');
        await w.__paneldeck.call('terminal.write', {
          sessionId,
          data: 'seq -f "line %g of some output" 2000; echo SEQ-$((6*7))\n',
        });
        await done;
      }, p);
    }
    const coreMem = memoryOf([core.pid]);
    const allChromium = memoryOf(chromiumPids().map((p) => p.pid));
    const renderer = memoryOf(rendererPids());

    // Throughput, in the first tab.
    await page.getByRole('tab').first().click();
    const pane = first;
    const pipeline: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      pipeline.push(
        await page.evaluate(
          async ({ paneId, sessionId, file, r }) => {
            const w = window as unknown as { __paneldeckTerminals: Probe; __paneldeck: PdClient };
            const done = w.__paneldeckTerminals.whenText(paneId, `DONE-${42 + r}`);
            const t0 = performance.now();
            await w.__paneldeck.call('terminal.write', { sessionId, data: `cat ${file}; echo DONE-$((42+${r}))\n` });
            return (await done) - t0;
          },
          { ...pane, file, r },
        ),
      );
    }
    // What the PTY delivered: the same bytes with onlcr's \r before every \n.
    const crlf = Buffer.from(text.toString('latin1').replaceAll('\n', '\r\n'), 'latin1').toString('base64');
    const local: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      local.push(
        await page.evaluate(
          async ({ paneId, b64 }) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            return (window as unknown as { __paneldeckTerminals: Probe }).__paneldeckTerminals.writeLocal(
              paneId,
              bytes,
            );
          },
          { paneId: pane.paneId, b64: crlf },
        ),
      );
    }

    const best = (xs: number[]): number => Math.min(...xs);
    const rate = (ms: number): number => SIZE_MIB / (ms / 1000);
    return [
      {
        name: `pipeline: cat ${SIZE_MIB} MiB → xterm, best of ${ROUNDS}`,
        value: rate(best(pipeline)),
        unit: 'MiB/s',
        goal: '-',
      },
      { name: `in-page term.write of the same bytes`, value: rate(best(local)), unit: 'MiB/s', goal: '-' },
      { name: 'pipeline / term.write throughput', value: best(local) / best(pipeline), unit: 'x', goal: '>= 0.9x' },
      { name: `core process RSS with ${TABS} tabs`, value: coreMem.rssMiB, unit: 'MiB', goal: '-' },
      { name: `renderer process(es) PSS with ${TABS} tabs`, value: renderer.pssMiB, unit: 'MiB', goal: '-' },
      {
        name: `core RSS + renderer PSS with ${TABS} tabs`,
        value: coreMem.rssMiB + renderer.pssMiB,
        unit: 'MiB',
        goal: '<= 300 MB',
      },
      { name: `all Chromium processes PSS (for reference)`, value: allChromium.pssMiB, unit: 'MiB', goal: '-' },
      { name: 'renderer PSS of an empty page (Chromium floor)', value: blank.pssMiB, unit: 'MiB', goal: '-' },
    ];
  } finally {
    await browser.close();
    await core.close();
    fs.rmSync(file, { force: true });
    await peer.stop();
  }
}
