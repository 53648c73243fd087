import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MetricsSample } from '../../../src/main/metrics/metrics.types';
import {
  computeSample,
  cpuDelta,
  parseSnapshot,
  type Snapshot,
  type SnapshotSections,
} from '../../../src/main/metrics/sample-compute';
import { SnapshotFramer } from '../../../src/main/metrics/snapshot-framer';

/**
 * Recorded snapshots (tests/unit/metrics/fixtures/*.txt) in the exact form the remote loop prints them (tag
 * feedc0de), fed through the framer in small chunks, then through parseSnapshot and computeSample. Every expected
 * figure is worked out by hand in the comments from the fixture's numbers.
 */
function samples(file: string, chunk = 97): MetricsSample[] {
  const text = readFileSync(join(__dirname, 'fixtures', file), 'utf8');
  const snaps: SnapshotSections[] = [];
  const framer = new SnapshotFramer('feedc0de', { snapshot: (_seq, s) => snaps.push(s) });
  for (let i = 0; i < text.length; i += chunk) framer.push(text.slice(i, i + chunk));
  const out: MetricsSample[] = [];
  let prev: Snapshot | null = null;
  snaps.forEach((sections, i) => {
    const { snapshot, missing } = parseSnapshot(sections);
    expect(missing).toEqual([]);
    if (snapshot === null) throw new Error('no snapshot');
    out.push(computeSample(prev, snapshot, 'srv-1', 1_000 + i));
    prev = snapshot;
  });
  return out;
}

describe('metrics figures from recorded /proc snapshots (issue 11, Collector)', () => {
  it('a 2-core KVM guest: CPU, per core, memory, load, whole-disk I/O, network without lo, filesystems', () => {
    const [first, s] = samples('kvm-guest.txt');
    // The first snapshot of a channel has nothing to subtract from: rates unknown, instant figures present.
    expect(first?.cpuBp).toBeNull();
    expect(first?.netRxBps).toBeNull();
    expect(first?.intervalMs).toBeNull();
    expect(first?.memTotalBytes).toBe(4_110_417_920);
    if (s === undefined) throw new Error('two samples expected');

    // uptime 1000.00 → 1005.00: 5 000 ms of the server's time.
    expect(s.intervalMs).toBe(5_000);
    // cpu deltas: user +300, nice 0, system +100, idle +500, iowait +50, irq 0, softirq +50, steal 0 → total 1000.
    // busy = 1000 − 500 − 50 = 450 → 4500 bp; user 300 → 3000; system 100 + 0 + 50 = 150 → 1500; iowait 50 → 500.
    expect(s.cpuBp).toBe(4_500);
    expect(s.cpuUserBp).toBe(3_000);
    expect(s.cpuSystemBp).toBe(1_500);
    expect(s.cpuIowaitBp).toBe(500);
    expect(s.cpuStealBp).toBe(0);
    expect(s.cpuGuestBp).toBe(0);
    // cpu0: user 250, system 50, idle 170, iowait 10, softirq 20 → total 500, busy 320 → 6400.
    // cpu1: user 50, system 50, idle 330, iowait 40, softirq 30 → total 500, busy 130 → 2600.
    expect(s.cpuCoresBp).toEqual([6_400, 2_600]);
    // MemTotal 4014080 kB × 1024 = 4 110 417 920; MemAvailable 2507040 kB = 2 567 208 960;
    // used = 4014080 − 2507040 = 1507040 kB = 1 543 208 960. Swap 1048572 kB = 1 073 737 728, used 262144 kB.
    expect(s.memTotalBytes).toBe(4_110_417_920);
    expect(s.memAvailableBytes).toBe(2_567_208_960);
    expect(s.memUsedBytes).toBe(1_543_208_960);
    expect(s.swapTotalBytes).toBe(1_073_737_728);
    expect(s.swapUsedBytes).toBe(268_435_456);
    // loadavg "0.52 0.58 0.59" × 100.
    expect([s.load1, s.load5, s.load15]).toEqual([52, 58, 59]);
    // Only vda counts: +20480 sectors read × 512 = 10 485 760 B / 5 s = 2 097 152 B/s; +10240 written → 1 048 576.
    // vda1 (its partition, +20480), dm-0 (+20000/+10000), loop0 and loop3 (+8000 each) would each add more.
    expect(s.diskReadBps).toBe(2_097_152);
    expect(s.diskWriteBps).toBe(1_048_576);
    // eth0 only: rx +5 000 000 / 5 = 1 000 000 B/s, tx +1 000 000 / 5 = 200 000 B/s. lo (+90 MB each way),
    // docker0 and the veth (+700 000 each way) are left out.
    expect(s.netRxBps).toBe(1_000_000);
    expect(s.netTxBps).toBe(200_000);
    expect(s.uptimeSec).toBe(1_005);
    expect(s.processes).toBe(181);
    // df: udev, tmpfs (/run, /dev/shm, /run/user/0), the snap loop and the docker overlay are not filesystems
    // to chart. 1024-blocks × 1024: 40581564 → 41 555 521 536, 8123456 → 8 318 418 944, 30361724 → 31 090 405 376,
    // 106858 → 109 422 592, 6186 → 6 334 464, 100672 → 103 088 128, 102626232 → 105 089 261 568,
    // 51313116 → 52 544 630 784, 46070476 → 47 176 167 424. A mount point with a space stays whole.
    expect(s.filesystems).toEqual([
      {
        mount: '/',
        source: '/dev/vda1',
        sizeBytes: 41_555_521_536,
        usedBytes: 8_318_418_944,
        availBytes: 31_090_405_376,
      },
      {
        mount: '/boot/efi',
        source: '/dev/vda15',
        sizeBytes: 109_422_592,
        usedBytes: 6_334_464,
        availBytes: 103_088_128,
      },
      {
        mount: '/srv/my data',
        source: '/dev/mapper/vg-data',
        sizeBytes: 105_089_261_568,
        usedBytes: 52_544_630_784,
        availBytes: 47_176_167_424,
      },
    ]);
  });

  it('a steal-heavy VM: stolen time stays busy', () => {
    const [, s] = samples('steal-heavy-vm.txt');
    if (s === undefined) throw new Error('two samples expected');
    // deltas: user +200, system +100, idle +200, iowait 0, steal +500 → total 1000.
    // busy = 1000 − 200 − 0 = 800 → 8000 bp, of which steal 500 → 5000, user 2000, system 1000.
    expect(s.cpuBp).toBe(8_000);
    expect(s.cpuStealBp).toBe(5_000);
    expect(s.cpuUserBp).toBe(2_000);
    expect(s.cpuSystemBp).toBe(1_000);
    // cpu0: user 50, system 50, idle 150, steal 200 → total 450, busy 300 → 6666.7 → 6667.
    // cpu1: user 150, system 50, idle 50, steal 300 → total 550, busy 500 → 9090.9 → 9091.
    expect(s.cpuCoresBp).toEqual([6_667, 9_091]);
    // Nothing moved on ens3 or sda.
    expect(s.netRxBps).toBe(0);
    expect(s.diskWriteBps).toBe(0);
  });

  it('a hypervisor host: guest time is taken out of user and nice and counted once', () => {
    const [, s] = samples('hypervisor-guest.txt');
    if (s === undefined) throw new Error('two samples expected');
    // deltas: user +600 (of which guest +400), nice +100 (of which guest_nice +50), system +100, idle +200.
    // user' = 600 − 400 + 100 − 50 = 250; guest = 450; total = 250 + 100 + 200 + 450 = 1000 (summing all ten
    // fields would give 1450 and busy 1250/1450 = 86.2 %). busy = 1000 − 200 = 800 → 8000.
    expect(s.cpuBp).toBe(8_000);
    expect(s.cpuUserBp).toBe(2_500);
    expect(s.cpuGuestBp).toBe(4_500);
    expect(s.cpuSystemBp).toBe(1_000);
    // each core: user 300 (guest 200), nice 50 (guest_nice 25), system 50, idle 100 → user' 125, guest 225,
    // total 125 + 50 + 100 + 225 = 500, busy 400 → 8000.
    expect(s.cpuCoresBp).toEqual([8_000, 8_000]);
  });

  it('a counter that goes backwards is clamped, not a spike', () => {
    const [, s] = samples('counters-backwards.txt');
    if (s === undefined) throw new Error('two samples expected');
    // iowait 4000 → 3990 (the NO_HZ iowait quirk): its delta is clamped to 0.
    // user +300, system +100, idle +550, iowait 0, softirq +50 → total 1000, busy 450 → 4500, iowait 0.
    // (Unclamped: total 990, busy 450/990 = 4545.)
    expect(s.cpuBp).toBe(4_500);
    expect(s.cpuIowaitBp).toBe(0);
    // cpu0: user 150, system 50, idle 275, softirq 25 → 500, busy 225 → 4500; cpu1 the same with iowait −10 → 0.
    expect(s.cpuCoresBp).toEqual([4_500, 4_500]);
    // eth0 rx 4 294 960 000 → 12 000 (the driver reset its counter): 0, not 858 MB/s; tx +1 000 000 / 5 = 200 000.
    expect(s.netRxBps).toBe(0);
    expect(s.netTxBps).toBe(200_000);
    // vda sectors read 800000 → 700000: 0; written +10240 × 512 / 5 = 1 048 576 B/s.
    expect(s.diskReadBps).toBe(0);
    expect(s.diskWriteBps).toBe(1_048_576);
  });

  it('a reboot between two snapshots (new btime, smaller uptime): no rates, the instant figures of the new boot', () => {
    const [, s] = samples('reboot.txt');
    if (s === undefined) throw new Error('two samples expected');
    expect(s.intervalMs).toBeNull();
    expect(s.cpuBp).toBeNull();
    expect(s.cpuCoresBp).toBeNull();
    expect(s.diskReadBps).toBeNull();
    expect(s.netTxBps).toBeNull();
    expect(s.uptimeSec).toBe(42);
    expect(s.memUsedBytes).toBe((2_014_080 - 1_007_040) * 1024);
  });

  it('cpuDelta: an interval with no ticks is 0 %, not a division by zero', () => {
    const t = [1, 2, 3, 4, 5, 6, 7, 8, 0, 0] as const;
    const d = cpuDelta(t, t);
    expect(d.total).toBe(0);
    const [, s] = samples('kvm-guest.txt');
    expect(s?.cpuBp).not.toBeNull();
  });

  it('a snapshot without its required sections gives no sample and names what is missing', () => {
    const sections = new Map([['stat', 'cpu  1 2 3 4 5 6 7 8 0 0']]);
    const { snapshot, missing } = parseSnapshot(sections);
    expect(snapshot).toBeNull();
    expect(missing).toEqual(['meminfo', 'loadavg', 'uptime', 'procs', 'netdev', 'diskstats', 'df']);
  });
});
