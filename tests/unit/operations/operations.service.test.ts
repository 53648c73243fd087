import { afterEach, describe, expect, test } from 'vitest';
import type { Plan, PlanStep, StepContext } from '../../../src/main/operations';
import { gate, harness, type Harness } from './helpers';

const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});
async function setup(): Promise<Harness> {
  const h = await harness();
  open.push(h);
  return h;
}

/** A fake step (nothing remote): appends to `trace` on run and rollback, optionally failing or waiting. */
function step(
  id: string,
  trace: string[],
  opts: {
    fail?: string;
    rollbackFails?: string;
    wait?: Promise<void>;
    noRollback?: boolean;
    body?: (ctx: StepContext) => void;
  } = {},
): PlanStep {
  return {
    id,
    title: `Step ${id}`,
    kind: 'exec',
    async run(ctx) {
      trace.push(`run ${id}`);
      opts.body?.(ctx);
      if (opts.wait) await opts.wait;
      if (opts.fail) throw new Error(opts.fail);
      return { summary: `${id} done`, data: { id } };
    },
    ...(opts.noRollback
      ? {}
      : {
          rollback(ctx) {
            trace.push(`rollback ${id} (${JSON.stringify(ctx.result.data)})`);
            return opts.rollbackFails ? Promise.reject(new Error(opts.rollbackFails)) : Promise.resolve();
          },
        }),
  };
}

function plan(serverId: string, steps: PlanStep[], extra: Partial<Plan> = {}): Plan {
  return { title: 'Test change', serverId, kind: 'test.fake', steps, commands: ['true'], diffs: [], ...extra };
}

describe('OperationsService (fake steps, nothing remote)', () => {
  test('success: steps run in order, the journal and events follow to succeeded with progress 1', async () => {
    const h = await setup();
    const trace: string[] = [];
    const op = h.mod.service.apply(
      plan('srv-1', [
        step('a', trace, { body: (ctx) => ctx.log('hello from a') }),
        step('b', trace, { body: (ctx) => ctx.record('echo hi', 0, 'hi\n') }),
        step('c', trace, { noRollback: true }),
      ]),
    );
    expect(op.state).toBe('queued');
    const done = await h.mod.service.wait(op.id);
    expect(trace).toEqual(['run a', 'run b', 'run c']);
    expect(done.state).toBe('succeeded');
    expect(done.progress).toBe(1);
    const got = h.mod.service.get(op.id);
    expect(got.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(got.steps[0]!.log).toEqual(['hello from a']);
    expect(got.steps[1]!.commands).toMatchObject([{ command: 'echo hi', exitCode: 0, output: 'hi\n' }]);
    expect(got.plannedCommands).toEqual(['true']);
    const states = h.seen
      .filter((e) => e.name === 'operations.changed')
      .map((e) => (e.payload as { state: string }).state);
    expect(states[0]).toBe('queued');
    expect(states).toContain('running');
    expect(states.at(-1)).toBe('succeeded');
    const lines = h.seen
      .filter((e) => e.name === 'operations.step')
      .flatMap((e) => (e.payload as { lines: string[] }).lines);
    expect(lines).toEqual(['hello from a', '$ echo hi (exit 0)']);
  });

  test('failure: every finished step is rolled back in reverse order, state rolled_back', async () => {
    const h = await setup();
    const trace: string[] = [];
    const op = h.mod.service.apply(
      plan('srv-1', [
        step('a', trace),
        step('b', trace, { noRollback: true }),
        step('c', trace),
        step('d', trace, { fail: 'nginx -t failed' }),
        step('e', trace),
      ]),
    );
    const done = await h.mod.service.wait(op.id);
    expect(trace).toEqual(['run a', 'run b', 'run c', 'run d', 'rollback c ({"id":"c"})', 'rollback a ({"id":"a"})']);
    expect(done.state).toBe('rolled_back');
    expect(done.error).toBe('Step d failed: nginx -t failed');
    expect(done.notRestored).toEqual([]);
    const got = h.mod.service.get(op.id);
    expect(got.steps.map((s) => s.state)).toEqual(['rolled_back', 'rolled_back', 'rolled_back', 'failed', 'pending']);
    expect(got.steps[3]!.error).toBe('nginx -t failed');
    expect(got.steps[2]!.log).toEqual(['Rolling back: Step c']);
  });

  test('a rollback that fails is reported: state failed, what was not restored named, the others still rolled back', async () => {
    const h = await setup();
    const trace: string[] = [];
    const op = h.mod.service.apply(
      plan('srv-1', [
        step('a', trace),
        step('b', trace, { rollbackFails: 'backup gone' }),
        step('c', trace, { fail: 'boom' }),
      ]),
    );
    const done = await h.mod.service.wait(op.id);
    expect(trace).toEqual(['run a', 'run b', 'run c', 'rollback b ({"id":"b"})', 'rollback a ({"id":"a"})']);
    expect(done.state).toBe('failed');
    expect(done.notRestored).toEqual(['Step b']);
    expect(done.error).toBe('Step c failed: boom Could not restore: Step b.');
    const got = h.mod.service.get(op.id);
    expect(got.steps.map((s) => s.state)).toEqual(['rolled_back', 'rollback_failed', 'failed']);
    expect(got.steps[1]!.error).toBe('Rollback failed: backup gone');
  });

  test('cancel takes effect at the next step boundary and rolls back what ran; a queued operation never starts', async () => {
    const h = await setup();
    const trace: string[] = [];
    const g = gate();
    const running = h.waitFor((o) => o.steps[1]?.state === 'running');
    const op = h.mod.service.apply(
      plan('srv-1', [step('a', trace), step('b', trace, { wait: g.promise }), step('c', trace)]),
    );
    const queuedTrace: string[] = [];
    const queued = h.mod.service.apply(plan('srv-1', [step('q', queuedTrace)]));
    await running;
    const during = h.mod.service.cancel(op.id);
    expect(during.state).toBe('running');
    expect(h.mod.service.cancel(queued.id).state).toBe('cancelled');
    g.open();
    const done = await h.mod.service.wait(op.id);
    expect(trace).toEqual(['run a', 'run b', 'rollback b ({"id":"b"})', 'rollback a ({"id":"a"})']);
    expect(done.state).toBe('cancelled');
    expect(done.steps.map((s) => s.state)).toEqual(['rolled_back', 'rolled_back', 'pending']);
    expect(queuedTrace).toEqual([]);
    expect((await h.mod.service.wait(queued.id)).state).toBe('cancelled');
    expect(() => h.mod.service.cancel(op.id)).toThrow(/not queued or running/);
  });

  test('one write at a time per server; another server runs in parallel', async () => {
    const h = await setup();
    const trace: string[] = [];
    const g = gate();
    const firstRunning = h.waitFor((o) => o.title === 'first' && o.state === 'running');
    const first = h.mod.service.apply(plan('srv-1', [step('1a', trace, { wait: g.promise })], { title: 'first' }));
    const second = h.mod.service.apply(plan('srv-1', [step('2a', trace)], { title: 'second' }));
    await firstRunning;
    // srv-2 finishes completely while srv-1's first operation is still blocked...
    const other = h.mod.service.apply(plan('srv-2', [step('3a', trace), step('3b', trace)], { title: 'other' }));
    expect((await h.mod.service.wait(other.id)).state).toBe('succeeded');
    // ...and srv-1's second operation has not started behind it.
    expect(trace).toEqual(['run 1a', 'run 3a', 'run 3b']);
    expect(h.mod.service.get(second.id).state).toBe('queued');
    g.open();
    expect((await h.mod.service.wait(second.id)).state).toBe('succeeded');
    expect((await h.mod.service.wait(first.id)).state).toBe('succeeded');
    expect(trace).toEqual(['run 1a', 'run 3a', 'run 3b', 'run 2a']);
  });

  test('secrets are redacted in every recorded line, command, output and error', async () => {
    const h = await setup();
    const trace: string[] = [];
    const up = 'Pl4n-Secret!x';
    const late = 's3';
    const op = h.mod.service.apply(
      plan(
        'srv-1',
        [
          step('a', trace, {
            body: (ctx) => {
              ctx.secrets.add(late);
              ctx.log(`password is ${up}; short one ${late}`);
              ctx.record(`mysql --password=${up}`, 1, `ERROR: bad "${up}" / ${JSON.stringify(`q"${up}`)}`);
            },
          }),
          step('b', trace, { fail: `connect with ${up} refused` }),
        ],
        { secrets: [up], commands: [`echo ${up}`], title: `Rotate ${up}` },
      ),
    );
    await h.mod.service.wait(op.id);
    const got = h.mod.service.get(op.id);
    const text = JSON.stringify(got) + JSON.stringify(h.seen);
    expect(text).not.toContain(up);
    expect(got.steps[0]!.log).toEqual(['password is ••••; short one ••••', 'Rolling back: Step a']);
    expect(got.steps[0]!.commands[0]).toMatchObject({ command: 'mysql --password=••••', exitCode: 1 });
    expect(got.steps[0]!.commands[0]!.output).toBe('ERROR: bad "••••" / "q\\"••••"');
    expect(got.steps[1]!.error).toBe('connect with •••• refused');
    expect(got.error).toBe('Step b failed: connect with •••• refused');
    expect(got.plannedCommands).toEqual(['echo ••••']);
    expect(got.title).toBe('Rotate ••••');
  });

  test('list filters by server and state and pages newest first', async () => {
    const h = await setup();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const op = h.mod.service.apply(
        plan(i % 2 ? 'srv-odd' : 'srv-even', [step(`s${i}`, [], i === 4 ? { fail: 'x' } : {})]),
      );
      ids.push(op.id);
      await h.mod.service.wait(op.id);
    }
    const p1 = h.mod.service.list({ limit: 2 });
    expect(p1.total).toBe(5);
    expect(p1.items.map((o) => o.id)).toEqual([ids[4], ids[3]]);
    const p2 = h.mod.service.list({ limit: 2, cursor: p1.nextCursor! });
    const p3 = h.mod.service.list({ limit: 2, cursor: p2.nextCursor! });
    expect([...p2.items, ...p3.items].map((o) => o.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(p3.nextCursor).toBeNull();
    expect(h.mod.service.list({ limit: 50, serverId: 'srv-odd' }).items.map((o) => o.id)).toEqual([ids[3], ids[1]]);
    expect(h.mod.service.list({ limit: 50, state: ['rolled_back'] }).items.map((o) => o.id)).toEqual([ids[4]]);
  });

  test('retry re-runs from the first unfinished step; rollback undoes the finished ones', async () => {
    const h = await setup();
    const trace: string[] = [];
    let failB = true;
    const steps = [
      step('a', trace),
      {
        ...step('b', trace),
        run() {
          trace.push('run b');
          return failB ? Promise.reject(new Error('flaky')) : Promise.resolve();
        },
      },
    ];
    const op = h.mod.service.apply(plan('srv-1', steps));
    expect((await h.mod.service.wait(op.id)).state).toBe('rolled_back');
    failB = false;
    await h.mod.service.retry(op.id);
    expect((await h.mod.service.wait(op.id)).state).toBe('succeeded');
    expect(trace).toEqual(['run a', 'run b', 'rollback a ({"id":"a"})', 'run a', 'run b']);
    await expect(h.mod.service.rollback(op.id)).rejects.toThrow(/succeeded cannot be rolled back/);
  });

  test('an operation that outlives a vault lock keeps its states on disk and writes its text at the next unlock', async () => {
    const h = await setup();
    const g = gate();
    const running = h.waitFor((o) => o.state === 'running');
    const op = h.mod.service.apply(
      plan('srv-1', [
        {
          id: 'a',
          title: 'Long step',
          kind: 'exec',
          async run(ctx) {
            await g.promise;
            ctx.log('written while locked');
            return { data: { backup: '/tmp/x' } };
          },
        },
      ]),
    );
    await running;
    h.vault.lock();
    g.open();
    expect((await h.mod.service.wait(op.id)).state).toBe('succeeded');
    const row = h.mod.history.db.prepare('SELECT state, progress FROM operations WHERE id = ?').get(op.id);
    expect(row).toEqual({ state: 'succeeded', progress: 1 });
    expect(() => h.mod.service.get(op.id)).toThrow(/locked/);
    await h.vault.unlock('correct horse battery staple');
    const got = h.mod.service.get(op.id);
    expect(got.steps[0]!.log).toEqual(['written while locked']);
    expect(h.mod.history.journal.get(op.id)!.steps[0]!.body.result).toEqual({ data: { backup: '/tmp/x' } });
  });

  test('recorded output is capped: lines per step, line length, and long command output (head and tail kept)', async () => {
    const h = await setup();
    const big = `${'h'.repeat(5000)}${'m'.repeat(100_000)}${'t'.repeat(13_000)}`;
    const op = h.mod.service.apply(
      plan('srv-1', [
        step('a', [], {
          body: (ctx) => {
            ctx.record('dump', 0, big);
            ctx.log('x'.repeat(5000));
            for (let i = 0; i < 250; i++) ctx.log(`line ${i}`);
          },
        }),
      ]),
    );
    await h.mod.service.wait(op.id);
    const s = h.mod.service.get(op.id).steps[0]!;
    const out = s.commands[0]!.output;
    expect(out.startsWith('h'.repeat(4096))).toBe(true);
    expect(out.endsWith('t'.repeat(12_288))).toBe(true);
    expect(out).toContain('characters not recorded');
    expect(out.length).toBeLessThan(17_000);
    expect(s.log[0]).toBe(`${'x'.repeat(2000)}…`);
    expect(s.log).toHaveLength(200); // 1 command + 199 lines recorded, then the note
    expect(s.log.at(-2)).toBe('line 197');
    expect(s.log.at(-1)).toBe('… 52 more line(s) not recorded');
  });
});
