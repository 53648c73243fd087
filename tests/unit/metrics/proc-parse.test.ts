import { describe, expect, it } from 'vitest';
import {
  memoryInfo,
  parseBlockList,
  parseDf,
  parseDiskstats,
  parseLoadavg,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  parseUptimeMs,
  wholeDisks,
} from '../../../src/main/metrics/proc-parse';

/** A /proc/diskstats line with the given sector counters (the other fields do not matter here). */
const disk = (major: number, minor: number, name: string): string =>
  `${major} ${minor} ${name} 10 0 100 5 20 0 200 9 0 14 14 0 0 0 0`;

describe('the /proc and df parsers', () => {
  it('/proc/stat: the aggregate and per-core lines, short lines of old kernels padded with 0, btime', () => {
    const st = parseProcStat(
      'cpu  1 2 3 4 5 6 7\ncpu0 1 2 3 4\ncpu12 9 9 9 9 9 9 9 9 9 9\nintr 5 6\nbtime 1700000000\n',
    );
    expect(st.cpu).toEqual([1, 2, 3, 4, 5, 6, 7, 0, 0, 0]);
    expect([...st.cores.keys()]).toEqual([0, 12]);
    expect(st.cores.get(0)).toEqual([1, 2, 3, 4, 0, 0, 0, 0, 0, 0]);
    expect(st.btime).toBe(1_700_000_000);
  });

  it('meminfo in bytes; without MemAvailable (before Linux 3.14) available = MemFree + Buffers + Cached', () => {
    const info = parseMeminfo(
      'MemTotal: 1000 kB\nMemFree: 100 kB\nBuffers: 50 kB\nCached: 250 kB\nHugePages_Total: 3\n',
    );
    expect(info.get('MemTotal')).toBe(1_024_000);
    expect(info.get('HugePages_Total')).toBe(3);
    // 100 + 50 + 250 = 400 kB = 409 600 bytes; no swap lines → 0.
    expect(memoryInfo(info)).toEqual({
      totalBytes: 1_024_000,
      availableBytes: 409_600,
      swapTotalBytes: 0,
      swapFreeBytes: 0,
    });
    expect(memoryInfo(parseMeminfo('MemFree: 1 kB'))).toBeNull();
  });

  it('loadavg and uptime', () => {
    expect(parseLoadavg('12.05 0.58 0.00 1/123 4567\n')).toEqual({ load1: 1205, load5: 58, load15: 0 });
    expect(parseLoadavg('garbage')).toBeNull();
    expect(parseUptimeMs('10398.56 1904.50\n')).toBe(10_398_560);
    expect(parseUptimeMs('')).toBeNull();
  });

  it('/proc/net/dev, including the old layout with no space after the colon', () => {
    const text =
      'Inter-|   Receive |  Transmit\n face |bytes packets|bytes packets\n' +
      '    lo: 100 1 0 0 0 0 0 0 100 1 0 0 0 0 0 0\n' +
      '  eth0:4294967296 9 0 0 0 0 0 0 77 1 0 0 0 0 0 0\n';
    const m = parseNetDev(text);
    expect(m.get('lo')).toEqual({ rxBytes: 100, txBytes: 100 });
    expect(m.get('eth0')).toEqual({ rxBytes: 4_294_967_296, txBytes: 77 });
    expect(m.size).toBe(2);
  });

  it('whole disks: from /sys/block when listed, without partitions, dm, md, loop, ram, zram', () => {
    const all = parseDiskstats(
      [
        disk(259, 0, 'nvme0n1'),
        disk(259, 1, 'nvme0n1p1'),
        disk(259, 2, 'nvme0n1p2'),
        disk(8, 0, 'sda'),
        disk(8, 1, 'sda1'),
        disk(9, 0, 'md0'),
        disk(253, 0, 'dm-0'),
        disk(7, 0, 'loop0'),
        disk(1, 0, 'ram0'),
        disk(252, 0, 'zram0'),
        disk(179, 0, 'mmcblk0'),
        disk(179, 1, 'mmcblk0p1'),
        disk(104, 0, 'cciss/c0d0'),
      ].join('\n'),
    );
    expect(all).toHaveLength(13);
    expect(all[0]).toEqual({ major: 259, minor: 0, name: 'nvme0n1', sectorsRead: 100, sectorsWritten: 200 });
    const block = parseBlockList(
      '/sys/block/nvme0n1 /sys/block/sda /sys/block/md0 /sys/block/dm-0 /sys/block/loop0 /sys/block/ram0 ' +
        '/sys/block/zram0 /sys/block/mmcblk0 /sys/block/cciss!c0d0',
    );
    expect(wholeDisks(all, block).map((d) => d.name)).toEqual(['nvme0n1', 'sda', 'mmcblk0', 'cciss/c0d0']);
    // Without /sys/block (not mounted: the glob stays literal), known whole-disk names decide.
    expect(parseBlockList('/sys/block/*')).toBeNull();
    expect(wholeDisks(all, null).map((d) => d.name)).toEqual(['nvme0n1', 'sda', 'mmcblk0']);
  });

  it('df -kP: a container whose root is an overlay keeps "/"; pseudo and zero-sized filesystems are left out', () => {
    const fs = parseDf(
      [
        'Filesystem     1024-blocks    Used Available Capacity Mounted on',
        'overlay           61255492 9876543  48224681      18% /',
        'tmpfs                65536       0     65536       0% /dev',
        'shm                  65536       0     65536       0% /dev/shm',
        '/dev/sdb1        103081248  524288  97297696       1% /data',
        'nas:/export/home 1048576000 1024 1048574976       1% /home',
        'rpool/ROOT/pve-1  50000000 2500000  47500000       5% /rpool',
        'cgroup                   0       0         0       - /sys/fs/cgroup',
        'empty                    0       0         0       - /mnt/empty',
      ].join('\n'),
    );
    expect(fs.map((f) => f.mount)).toEqual(['/', '/data', '/home', '/rpool']);
    expect(fs[0]).toEqual({
      mount: '/',
      source: 'overlay',
      sizeBytes: 61_255_492 * 1024,
      usedBytes: 9_876_543 * 1024,
      availBytes: 48_224_681 * 1024,
    });
  });
});
