import { describe, expect, it } from 'vitest';
import type { Server } from '../../../src/shared/contract/inventory.contract';
import { describeRule } from '../../../src/renderer/features/alerts/alert-view';
import { fleetRows, viewRows, type FleetView } from '../../../src/renderer/features/metrics/fleet-view';
import { formatBytes, formatPct } from '../../../src/renderer/features/metrics/format';
import type { FleetEntry } from '../../../src/renderer/features/metrics/metrics-types';
import { samplePoint, seriesPoints } from '../../../src/renderer/features/metrics/series-points';

function server(id: string, name: string, tags: string[] = [], group: string | null = null): Server {
  return {
    id,
    name,
    host: `${name}.example.com`,
    port: 22,
    user: 'root',
    auth: 'agent',
    credentialId: null,
    jumpHostIds: [],
    tags,
    group,
    notes: '',
    panels: [],
    createdAt: 0,
    updatedAt: 0,
  };
}

function entry(serverId: string, cpu: number, memUsed: number, rootUsed: number): FleetEntry {
  return {
    serverId,
    state: 'up',
    at: 1,
    values: {
      cpuBusyPct: cpu,
      memUsedBytes: memUsed,
      memTotalBytes: 100,
      rootFsUsedBytes: rootUsed,
      rootFsSizeBytes: 200,
      load1: 0.5,
    },
    spark: { t: [0, 1], cpu: [cpu, cpu], mem: [memUsed, memUsed] },
  };
}

const VIEW: FleetView = { sort: 'name', desc: false, tag: '', group: '', query: '' };

describe('fleet overview rows', () => {
  const servers = [
    server('a', 'alpha', ['web'], 'eu'),
    server('b', 'bravo', ['db'], 'us'),
    server('c', 'charlie', ['web'], 'us'),
  ];
  const entries = new Map([
    ['a', entry('a', 10, 90, 20)],
    ['b', entry('b', 70, 10, 180)],
  ]);
  const rows = fleetRows(servers, entries, { c: 'unreachable' });

  it('joins the inventory with the fleet figures; a server without figures keeps its state and nulls', () => {
    expect(rows.map((r) => [r.server.name, r.state, r.cpu, r.memory, r.disk])).toEqual([
      ['alpha', 'up', 10, 90, 10],
      ['bravo', 'up', 70, 10, 90],
      ['charlie', 'unreachable', null, null, null],
    ]);
  });

  it('sorts by a figure, unknown figures last in both directions', () => {
    const names = (v: Partial<FleetView>): string[] => viewRows(rows, { ...VIEW, ...v }).map((r) => r.server.name);
    expect(names({ sort: 'cpu', desc: true })).toEqual(['bravo', 'alpha', 'charlie']);
    expect(names({ sort: 'cpu', desc: false })).toEqual(['alpha', 'bravo', 'charlie']);
    expect(names({ sort: 'memory', desc: true })).toEqual(['alpha', 'bravo', 'charlie']);
    expect(names({ sort: 'disk', desc: true })).toEqual(['bravo', 'alpha', 'charlie']);
    expect(names({ sort: 'state' })).toEqual(['charlie', 'alpha', 'bravo']);
    expect(names({ sort: 'name', desc: true })).toEqual(['charlie', 'bravo', 'alpha']);
  });

  it('filters by tag (any case), group and text', () => {
    const names = (v: Partial<FleetView>): string[] => viewRows(rows, { ...VIEW, ...v }).map((r) => r.server.name);
    expect(names({ tag: 'WEB' })).toEqual(['alpha', 'charlie']);
    expect(names({ group: 'us' })).toEqual(['bravo', 'charlie']);
    expect(names({ tag: 'web', group: 'us' })).toEqual(['charlie']);
    expect(names({ query: 'brav' })).toEqual(['bravo']);
  });
});

describe('panel servers in the fleet overview', () => {
  it('adds a row per panel server, named "panel / server", found by the panel’s name and sorted with the rest', () => {
    const key = 'p1:3';
    const entries = new Map([
      ['a', entry('a', 10, 90, 20)],
      [
        key,
        {
          ...entry(key, 50, 40, 100),
          source: { kind: 'panel' as const, panelId: 'p1', panelName: 'Nexus prod', serverName: 'Web 3' },
        },
      ],
    ]);
    const rows = fleetRows([server('a', 'alpha')], entries, {});
    const panel = rows.find((r) => r.server.id === key);
    expect(panel?.server).toMatchObject({ name: 'Nexus prod / Web 3', panel: 'Nexus prod', tags: [], group: null });
    expect([panel?.cpu, panel?.memory, panel?.disk]).toEqual([50, 40, 50]);
    const names = (v: Partial<FleetView>): string[] => viewRows(rows, { ...VIEW, ...v }).map((r) => r.server.name);
    expect(names({ sort: 'cpu', desc: true })).toEqual(['Nexus prod / Web 3', 'alpha']);
    expect(names({ query: 'nexus' })).toEqual(['Nexus prod / Web 3']);
    expect(names({ tag: 'web' })).toEqual([]);
  });
});

describe('chart points', () => {
  it('takes the bucket averages of a series, null where a metric is missing', () => {
    const points = seriesPoints({
      serverId: 'a',
      from: 0,
      to: 2,
      tier: 'raw',
      stepMs: 1,
      t: [0, 1],
      values: { cpuBusyPct: { avg: [5, 6], min: [1, 2], max: [9, 9] } },
    });
    expect(points).toEqual([
      expect.objectContaining({ t: 0, cpuBusyPct: 5, memUsedBytes: null }),
      expect.objectContaining({ t: 1, cpuBusyPct: 6, netRxBps: null }),
    ]);
  });

  it('turns a live sample into one point', () => {
    const p = samplePoint({
      serverId: 'a',
      at: 7,
      values: { cpuBusyPct: 42, load1: null },
      cores: null,
      filesystems: [],
    });
    expect(p).toMatchObject({ t: 7, cpuBusyPct: 42, load1: null });
  });
});

describe('words and units', () => {
  it('formats bytes and percentages', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(3.25 * 1024 ** 3)).toBe('3.25 GiB');
    expect(formatBytes(null)).toBe('–');
    expect(formatPct(42.345)).toBe('42.3 %');
  });

  it('describes a rule the way the rules table shows it', () => {
    expect(describeRule({ metric: 'cpu', condition: '>', threshold: 80, forSeconds: 300 })).toBe(
      'CPU busy > 80 % for 5 min',
    );
    expect(describeRule({ metric: 'load1', condition: '<', threshold: 0.5, forSeconds: 30 })).toBe(
      'Load (1 min) < 0.5 for 30 s',
    );
    expect(describeRule({ metric: 'unreachable', condition: '>', threshold: 0, forSeconds: 0 })).toBe(
      'Server unreachable at once',
    );
    expect(describeRule({ metric: 'certificate-expiry', condition: '<', threshold: 14, forSeconds: 0 })).toBe(
      'Certificate expires within 14 days',
    );
  });
});
