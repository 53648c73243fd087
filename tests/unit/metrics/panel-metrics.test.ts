import { describe, expect, it } from 'vitest';
import type { NexusMetricsStream } from '../../../src/main/drivers/nexuspanel/nexuspanel-live';
import { readCurrentMetrics, streamToSample } from '../../../src/main/drivers/nexuspanel/nexuspanel-metrics';
import {
  isPanelServerKey,
  PanelMetricsSource,
  panelSample,
  panelServerKey,
  splitCollector,
  type PanelServerRef,
} from '../../../src/main/metrics/panel-metrics';
import type { CollectorLike } from '../../../src/main/metrics/metrics.service';
import type { MetricsSample, MetricsStateChange } from '../../../src/main/metrics/metrics.types';
import { sampleToRow } from '../../../src/main/metrics/sample-mapping';
import { AppError } from '../../../src/shared/errors';
import { MetricsServerId } from '../../../src/shared/contract/metrics.contract';

const PANEL = '5d6f7a8b-0000-4000-8000-00000000a11c';
const KEY = panelServerKey(PANEL, '3');
const REF: PanelServerRef = { key: KEY, panelId: PANEL, panelName: 'Nexus', serverId: '3', serverName: 'Web 3' };

const base = readCurrentMetrics({
  memory: { total: 1000, used: 100 },
  disk: [{ device: '/dev/sda1', mount_point: '/', total: 500, used: 200, free: 300 }],
  network: { bytes_sent: 0, bytes_recv: 0 },
});
const streamed = (cpu: number) =>
  streamToSample(
    '3',
    {
      timestamp: new Date(0).toISOString(),
      cpu_percent: cpu,
      memory_percent: 50,
      disk_percent: 40,
      network_in: 10,
      network_out: 20,
    },
    base,
  );

describe('a panel server’s key and samples', () => {
  it('keys a panel server as <panel id>:<server id>, which the contract takes and an inventory id is not', () => {
    expect(KEY).toBe(`${PANEL}:3`);
    expect(isPanelServerKey(KEY)).toBe(true);
    expect(isPanelServerKey(PANEL)).toBe(false);
    expect(MetricsServerId.safeParse(KEY).success).toBe(true);
    expect(MetricsServerId.safeParse(PANEL).success).toBe(true);
    expect(MetricsServerId.safeParse(`${PANEL}:a/b`).success).toBe(false);
    expect(MetricsServerId.safeParse('x:3').success).toBe(false);
  });

  it('relabels a stream sample with the key; the disk I/O NexusPanel never reports is 0, so history stores it', () => {
    const raw = streamed(25);
    expect(sampleToRow(raw)).toBeNull(); // null disk I/O: the store would skip it
    const s = panelSample(KEY, raw);
    expect(s).toMatchObject({ serverId: KEY, cpuBp: 2500, memUsedBytes: 500, diskReadBps: 0, diskWriteBps: 0 });
    expect(sampleToRow(s)).toMatchObject({ serverId: KEY, cpuBusyPct: 25, rootFsUsedBytes: 200 });
  });
});

/** A metrics stream the test drives: push samples, end it from the panel's side. */
function fakeStreams() {
  const opened: {
    panelId: string;
    serverId: string;
    push: (s: MetricsSample) => void;
    end: () => void;
    closedByUs: boolean;
  }[] = [];
  let failWith: Error | null = null;
  const open = (
    panelId: string,
    serverId: string,
    onSample: (s: MetricsSample) => void,
  ): Promise<NexusMetricsStream> => {
    if (failWith) return Promise.reject(failWith);
    let end!: (e: { code: number; reason: string }) => void;
    const closed = new Promise<{ code: number; reason: string }>((r) => (end = r));
    const entry = { panelId, serverId, push: onSample, end: () => end({ code: 1006, reason: '' }), closedByUs: false };
    opened.push(entry);
    return Promise.resolve({
      close: () => {
        entry.closedByUs = true;
        end({ code: 1000, reason: 'closed by PanelDeck' });
      },
      closed,
    });
  };
  return { opened, open, fail: (e: Error | null) => (failWith = e) };
}

function source(now: { t: number }) {
  const streams = fakeStreams();
  const samples: MetricsSample[] = [];
  const states: MetricsStateChange[] = [];
  const waiters = new Set<() => void>();
  const src = new PanelMetricsSource({
    open: streams.open,
    refs: (k) => (k === KEY ? REF : undefined),
    onSample: (s) => samples.push(s),
    onState: (c) => {
      states.push(c);
      for (const w of [...waiters]) w();
    },
    now: () => now.t,
  });
  /** Resolves with the first state change at index ≥ from in `state` (recorded or future). */
  const stateAfter = (from: number, state: MetricsStateChange['state']): Promise<MetricsStateChange> =>
    new Promise((resolve) => {
      const check = (): void => {
        const hit = states.slice(from).find((c) => c.state === state);
        if (hit === undefined) return;
        waiters.delete(check);
        resolve(hit);
      };
      waiters.add(check);
      check();
    });
  return { src, streams, samples, states, stateAfter };
}

describe('the panel sample source', () => {
  it('opens the server’s stream, is up with its first sample, keeps one sample per interval, closes on stop', async () => {
    const now = { t: 1000 };
    const { src, streams, samples, states } = source(now);
    await src.start(KEY, { intervalMs: 1000 });
    // The stream is asked for at once (the driver resolves when it is open).
    expect(streams.opened.map((o) => [o.panelId, o.serverId])).toEqual([[PANEL, '3']]);
    const s = streams.opened[0]!;
    s.push(streamed(10));
    now.t += 500;
    s.push(streamed(20)); // too soon: dropped
    now.t += 500;
    s.push(streamed(30));
    expect(samples.map((x) => [x.serverId, x.cpuBp])).toEqual([
      [KEY, 1000],
      [KEY, 3000],
    ]);
    expect(states.map((c) => c.state)).toEqual(['connecting', 'up']);
    await src.stop(KEY);
    expect(s.closedByUs).toBe(true);
    s.push(streamed(40));
    expect(samples).toHaveLength(2);
    expect(states.map((c) => c.state)).toEqual(['connecting', 'up']);
  });

  it('a stream the panel ends, or one that does not open, makes the server unreachable (auth_failed for a refused sign-in)', async () => {
    const now = { t: 0 };
    const { src, streams, states, stateAfter } = source(now);
    await src.start(KEY, { intervalMs: 1000 });
    streams.opened[0]!.end();
    expect(await stateAfter(0, 'unreachable')).toMatchObject({ error: { code: 'PANEL_STREAM_CLOSED' } });

    streams.fail(new AppError('AUTH_FAILED', 'NexusPanel: Invalid credentials'));
    let from = states.length;
    await src.start(KEY, { intervalMs: 1000 });
    expect(await stateAfter(from, 'auth_failed')).toMatchObject({ error: { code: 'AUTH_FAILED' } });
    streams.fail(new Error('ECONNREFUSED 127.0.0.1'));
    from = states.length;
    await src.start(KEY, { intervalMs: 1000 });
    // Not an AppError: a generic message, never the raw error's text.
    expect(await stateAfter(from, 'unreachable')).toMatchObject({
      error: { code: 'UNREACHABLE', message: 'The panel’s metrics stream did not open.' },
    });
    // An unknown key starts nothing.
    const before = states.length;
    await src.start(`${PANEL}:99`, { intervalMs: 1000 });
    expect(states).toHaveLength(before);
  });

  it('routes panel keys to the panel source and other ids to the SSH collector', async () => {
    const calls: string[] = [];
    const rec = (name: string): CollectorLike => ({
      start: (id) => (calls.push(`${name} start ${id}`), Promise.resolve()),
      stop: (id) => (calls.push(`${name} stop ${id}`), Promise.resolve()),
      stopAll: () => (calls.push(`${name} stopAll`), Promise.resolve()),
    });
    const both = splitCollector(rec('ssh'), rec('panel'));
    await both.start(PANEL, { intervalMs: 1000 });
    await both.start(KEY, { intervalMs: 1000 });
    await both.stop(KEY);
    await both.stopAll();
    expect(calls).toEqual([
      `ssh start ${PANEL}`,
      `panel start ${KEY}`,
      `panel stop ${KEY}`,
      'ssh stopAll',
      'panel stopAll',
    ]);
  });
});
