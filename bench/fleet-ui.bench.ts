import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';
import { build } from 'vite';
import { startSshd } from '../tests/integration/peers';
import type { BenchFigure } from './run';
import { CdpPage } from './support/cdp-page';
import { benchCore } from './support/fleet';

const SERVERS = 1000;
/** Pixels scrolled per frame: a brisk wheel/flick scroll (~3,600 px/s at 60 Hz, about 80 rows a second). */
const STEP_PX = 60;

/** A loopback port nothing listens on (bound, then released): the unreachable servers point there. */
async function closedPort(): Promise<number> {
  const srv = net.createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as net.AddressInfo;
  srv.close();
  await once(srv, 'close');
  return port;
}

/** What a scroll run measured in the page: every frame's interval (ms). */
interface FrameRun {
  readonly intervals: number[];
  readonly rowsInDom: number;
}

/** Cumulative main-thread times of the page (ms), from the DevTools protocol's Performance domain. */
interface MainThread {
  task: number;
  script: number;
  styleLayout: number;
}

async function mainThread(page: CdpPage): Promise<MainThread> {
  const reply = (await page.send('Performance.getMetrics')) as {
    result?: { metrics?: { name: string; value: number }[] };
  };
  const m = new Map((reply.result?.metrics ?? []).map((x) => [x.name, x.value * 1000]));
  const get = (k: string): number => m.get(k) ?? 0;
  return {
    task: get('TaskDuration'),
    script: get('ScriptDuration'),
    styleLayout: get('RecalcStyleDuration') + get('LayoutDuration'),
  };
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}

/** Frames that should have been drawn but were not: each interval of k frame periods hides k − 1 frames. */
function dropped(intervals: readonly number[], period: number): number {
  return intervals.reduce((n, dt) => n + Math.max(0, Math.round(dt / period) - 1), 0);
}

/**
 * The fleet overview with 1,000 servers in Chromium through the WebSocket host (the core in its own process):
 * one real sshd (collected, so its row has figures and sparklines) and 999 servers nobody answers for (their
 * state "unreachable"). Time to first render: from the click on "Metrics" to the first frame showing the rows.
 * Then the list is scrolled to the end and back at a steady speed, one step per animation frame, and every
 * frame's interval is recorded: a frame that took k periods dropped k − 1.
 */
export async function runFleetUiBench(): Promise<BenchFigure[]> {
  process.env.PANELDECK_TEST_HOOKS = '1';
  await build({ configFile: path.resolve('vite.web.config.ts'), logLevel: 'silent' });
  const peer = await startSshd();
  const core = await benchCore(peer);
  let page: CdpPage | null = null;
  try {
    const { client } = core;
    const cred = await client.call('credentials.create', { name: 'fleet', kind: 'password', secret: 'unused' });
    const port = await closedPort();
    for (let i = 1; i < SERVERS; i += 50) {
      const batch = [];
      for (let j = i; j < Math.min(SERVERS, i + 50); j++) {
        batch.push(
          client.call('servers.create', {
            name: `node-${String(j).padStart(4, '0')}`,
            host: '127.0.0.1',
            port,
            user: 'root',
            auth: 'password',
            credentialId: cred.id,
            tags: [j % 3 === 0 ? 'db' : 'web'],
            group: j % 2 === 0 ? 'eu' : 'us',
          }),
        );
      }
      await Promise.all(batch);
    }
    // Collection on: the sshd comes up (benchCore's client trusts its host key), the rest become unreachable.
    const up = new Promise<void>((resolve) =>
      client.on((name, p) => {
        if (name === 'metrics.state' && p.serverId === core.serverId && p.state === 'up') resolve();
      }),
    );
    await client.call('metrics.settings.set', { enabled: true, intervalSec: 5 });
    await up;

    page = await CdpPage.launch(core.address.url);
    await page.waitFor(() => document.querySelector('nav[aria-label="Sections"]') !== null, null);
    // tsx compiles with keepNames: the functions sent to the page call its `__name` helper, which the page lacks.
    await page.send('Runtime.evaluate', { expression: 'globalThis.__name = (f) => f' });
    const firstRender = await page.evaluate(async () => {
      const t0 = performance.now();
      const button = [...document.querySelectorAll<HTMLButtonElement>('nav[aria-label="Sections"] button')].find((b) =>
        b.textContent?.includes('Metrics'),
      );
      button?.click();
      await new Promise<void>((resolve) => {
        const tick = (): void => {
          const count = document.querySelector('[data-testid="fleet-count"]')?.textContent ?? '';
          if (document.querySelector('[data-testid="fleet-row"]') && count.startsWith('1000 servers')) resolve();
          else requestAnimationFrame(tick);
        };
        tick();
      });
      // The frame after the one that had the rows: they are painted by then.
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    }, null);
    // Every server's state has arrived (the count line names them), so the scroll measures a settled list.
    await page.waitFor(() => {
      const t = document.querySelector('[data-testid="fleet-count"]')?.textContent ?? '';
      return /· 1 up · 999 unreachable|· 999 unreachable · 1 up/.test(t);
    }, null);

    const run = (step: number): Promise<FrameRun> =>
      page!.evaluate(async (step) => {
        const el = document.querySelector<HTMLElement>('[data-testid="fleet-rows"]');
        if (!el) throw new Error('no fleet rows');
        el.scrollTop = 0;
        const intervals: number[] = [];
        let rowsInDom = 0;
        await new Promise<void>((resolve) => {
          let last = -1;
          let dir = step === 0 ? 0 : 1;
          let frames = 0;
          const tick = (t: number): void => {
            if (last >= 0) intervals.push(t - last);
            last = t;
            rowsInDom = Math.max(rowsInDom, el.querySelectorAll('[data-testid="fleet-row"]').length);
            if (step === 0) {
              if (++frames >= 120) return resolve();
            } else if (dir === 1) {
              el.scrollTop += step;
              if (el.scrollTop + el.clientHeight >= el.scrollHeight - 1) dir = -1;
            } else {
              el.scrollTop -= step;
              if (el.scrollTop <= 0) return resolve();
            }
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        return { intervals, rowsInDom };
      }, step);

    const idle = await run(0); // the page's frame cadence with nothing to do (headless paces frames itself)
    const period = percentile(idle.intervals, 50);
    // Main-thread time the page spent (tasks, script, style, layout) per scrolled frame: what the UI costs, less
    // at the mercy of other processes on the machine than the frame intervals are.
    await page.send('Performance.enable', { timeDomain: 'threadTicks' });
    const before = await mainThread(page);
    const scroll = await run(STEP_PX);
    const after = await mainThread(page);
    const perFrame = (k: keyof MainThread): number => (after[k] - before[k]) / Math.max(1, scroll.intervals.length);
    const drops = dropped(scroll.intervals, period);
    return [
      {
        name: `time to first render, ${SERVERS} servers (click → rows painted)`,
        value: firstRender,
        unit: 'ms',
        goal: '-',
      },
      { name: 'frame period when idle (median, the reference)', value: period, unit: 'ms', goal: '-' },
      {
        name: `scroll to the end and back, ${STEP_PX} px/frame: frames`,
        value: scroll.intervals.length,
        unit: '',
        goal: '-',
      },
      { name: 'dropped frames while scrolling', value: drops, unit: '', goal: '-' },
      {
        name: 'dropped frames / frames drawn',
        value: (100 * drops) / Math.max(1, scroll.intervals.length),
        unit: '%',
        goal: '< 5 %',
      },
      { name: 'frame interval while scrolling, p95', value: percentile(scroll.intervals, 95), unit: 'ms', goal: '-' },
      { name: 'frame interval while scrolling, max', value: Math.max(...scroll.intervals), unit: 'ms', goal: '-' },
      { name: 'main-thread task time per scrolled frame', value: perFrame('task'), unit: 'ms', goal: '< 16.7 ms' },
      { name: '  of which script', value: perFrame('script'), unit: 'ms', goal: '-' },
      { name: '  of which style + layout', value: perFrame('styleLayout'), unit: 'ms', goal: '-' },
      { name: 'rows in the DOM at most (windowed)', value: scroll.rowsInDom, unit: '', goal: '-' },
    ];
  } finally {
    await page?.close();
    await core.close();
    await peer.stop();
  }
}
