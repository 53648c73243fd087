import { describe, expect, it } from 'vitest';
import {
  currentToSample,
  readCurrentMetrics,
  readHistory,
  readStreamSample,
  streamToSample,
} from '../../../src/main/drivers/nexuspanel/nexuspanel-metrics';
import type { MetricsSample } from '../../../src/main/metrics/metrics.types';

const seedExample = {
  timestamp: '2024-01-15T16:00:00Z',
  cpu: {
    usage_percent: 35.5,
    cores: [
      { core: 1, usage_percent: 40.8 },
      { core: 0, usage_percent: 30.2 },
    ],
  },
  memory: { total: 8589934592, used: 4294967296, free: 4294967296, usage_percent: 50.0 },
  disk: [
    {
      device: '/dev/sda1',
      mount_point: '/',
      total: 107374182400,
      used: 53687091200,
      free: 53687091200,
      usage_percent: 50.0,
    },
  ],
  network: { bytes_sent: 1073741824, bytes_recv: 2147483648, packets_sent: 1000000, packets_recv: 2000000 },
};

describe('NexusPanel metrics → MetricsSample', () => {
  it("maps the seed's current-metrics example (cores in order, basis points, bytes, filesystems)", () => {
    const sample: MetricsSample = currentToSample('7', readCurrentMetrics(seedExample));
    expect(sample).toMatchObject({
      serverId: '7',
      at: Date.parse('2024-01-15T16:00:00Z'),
      intervalMs: null,
      cpuBp: 3550,
      cpuCoresBp: [3020, 4080],
      memTotalBytes: 8589934592,
      memUsedBytes: 4294967296,
      memAvailableBytes: 4294967296,
      netRxBps: null,
      netTxBps: null,
      diskReadBps: null,
      filesystems: [
        { mount: '/', source: '/dev/sda1', sizeBytes: 107374182400, usedBytes: 53687091200, availBytes: 53687091200 },
      ],
    });
  });

  it('computes network rates from two readings, and none from a counter that went backwards', () => {
    const a = readCurrentMetrics(seedExample);
    const b = readCurrentMetrics({
      ...seedExample,
      timestamp: '2024-01-15T16:00:10Z',
      network: { bytes_sent: 1073741824 + 50_000, bytes_recv: 2147483648 + 100_000 },
    });
    const s = currentToSample('7', b, a);
    expect([s.intervalMs, s.netRxBps, s.netTxBps]).toEqual([10_000, 10_000, 5_000]);
    const rebooted = readCurrentMetrics({
      ...seedExample,
      timestamp: '2024-01-15T16:00:20Z',
      network: { bytes_sent: 10, bytes_recv: 10 },
    });
    expect(currentToSample('7', rebooted, b).netRxBps).toBeNull();
  });

  it('maps a stream message with the sizes of the last reading', () => {
    const raw = readStreamSample({
      timestamp: '2024-01-15T18:00:00Z',
      cpu_percent: 35.5,
      memory_percent: 25,
      disk_percent: 45.2,
      network_in: 1024000,
      network_out: 512000,
    });
    expect(raw).not.toBeNull();
    if (raw === null) return;
    const s: MetricsSample = streamToSample('7', raw, readCurrentMetrics(seedExample));
    expect(s).toMatchObject({
      cpuBp: 3550,
      memUsedBytes: 2147483648,
      memAvailableBytes: 6442450944,
      netRxBps: 1024000,
      netTxBps: 512000,
      filesystems: [expect.objectContaining({ mount: '/' })],
    });
    expect(readStreamSample({ type: 'ping' })).toBeNull();
  });

  it('reads history points, dropping unreadable timestamps', () => {
    const h = readHistory(
      {
        metric_type: 'cpu',
        interval: '5m',
        data_points: [
          { timestamp: '2024-01-15T15:00:00Z', value: 32.5 },
          { timestamp: 'nope', value: 1 },
        ],
      },
      'cpu',
    );
    expect(h).toEqual({
      metric: 'cpu',
      interval: '5m',
      points: [{ at: Date.parse('2024-01-15T15:00:00Z'), value: 32.5 }],
    });
  });
});
