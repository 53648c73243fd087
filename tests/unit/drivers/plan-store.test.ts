import { describe, expect, it } from 'vitest';
import { parseProbe } from '../../../src/main/drivers/linux-ssh/probe';
import type { Plan } from '../../../src/main/operations/operation.types';
import { PlanStore } from '../../../src/main/plans/plan-store';

const plan = (title: string): Plan => ({
  title,
  serverId: '11111111-1111-4111-8111-111111111111',
  kind: 'site.create',
  steps: [{ id: 'a', title: 'A', kind: 'exec', run: () => Promise.resolve() }],
  commands: ["'nginx' '-t'"],
  diffs: [{ path: '/etc/x', before: null, after: 'x\n', unifiedDiff: '+x' }],
});

describe('plan store', () => {
  it('applies exactly the previewed plan once; a second apply or an expired plan is NOT_FOUND', async () => {
    let now = 1_000;
    const applied: string[] = [];
    const store = new PlanStore({
      now: () => now,
      runner: { apply: (p) => (applied.push(p.title), { id: `op-${applied.length}` }) },
      ttlMs: 60_000,
    });
    const a = store.put(plan('first'));
    expect(a).toMatchObject({ title: 'first', steps: [{ id: 'a', kind: 'exec' }], commands: ["'nginx' '-t'"] });
    expect(await store.apply(a.planId)).toEqual({ operationId: 'op-1' });
    await expect(store.apply(a.planId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const b = store.put(plan('second'));
    now += 60_001;
    await expect(store.apply(b.planId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(applied).toEqual(['first']);
  });

  it('dryRun only plans; without it the plan is applied at once', async () => {
    const store = new PlanStore({ now: () => 0, runner: { apply: () => ({ id: 'op' }) } });
    expect((await store.planAndMaybeApply(plan('p'), true)).operationId).toBeNull();
    expect((await store.planAndMaybeApply(plan('p'), false)).operationId).toBe('op');
  });
});

describe('linux probe', () => {
  it('reads versions, PHP-FPM versions, databases and privilege from the probe lines', () => {
    const p = parseProbe(
      [
        'os=Debian GNU/Linux 12 (bookworm)',
        'nginx=1.22.1',
        'php=8.2',
        'php=7.4',
        'php=8.2',
        'php=garbage',
        'mariadb=10.11.6',
        'postgresql=15',
        'sudo=1',
        'root=1',
      ].join('\n'),
      5,
    );
    expect(p).toEqual({
      at: 5,
      os: 'Debian GNU/Linux 12 (bookworm)',
      webServer: { name: 'nginx', version: '1.22.1' },
      php: ['7.4', '8.2'],
      databases: [
        { engine: 'mariadb', version: '10.11.6' },
        { engine: 'postgresql', version: '15' },
      ],
      tools: { certbot: false, clpctl: false, hestia: false, sudo: true },
      privileged: true,
    });
    expect(parseProbe('sudo=1\n', 0).privileged).toBe(false);
  });
});
