import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { afterEach, expect, test } from 'vitest';
import { MapPlanRegistry } from '../../../src/main/operations';
import { fileRebuilder } from './fixtures/file-plan';
import { harness, tempDir, type Harness } from './helpers';

const PASSWORD = 'restart test password';
const CHILD = path.join(import.meta.dirname, 'fixtures', 'crash-child.ts');
const open: Harness[] = [];
afterEach(async () => {
  for (const h of open.splice(0)) await h.close();
});

test('a core SIGKILLed mid-operation: after restart the operations are interrupted with their finished steps; retry completes one, rollback undoes the other', async () => {
  const dataDir = tempDir();
  const work = tempDir();
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, work, 'srv-1', 'srv-2'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, PD_TEST_PASSWORD: PASSWORD },
  });
  const blocked: string[] = [];
  for await (const line of readline.createInterface({ input: child.stdout })) {
    const m = /^BLOCKED (\S+)$/.exec(line);
    if (m) blocked.push(m[1]!);
    if (blocked.length === 2) break;
  }
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  const [, signal] = await exited;
  expect(signal).toBe('SIGKILL');
  expect(fs.readdirSync(work).sort()).toEqual(['srv-1.a', 'srv-2.a']);

  const registry = new MapPlanRegistry();
  registry.register(
    'test.files',
    fileRebuilder(() => Promise.resolve()),
  );
  const h = await harness({ dir: dataDir, password: PASSWORD, module: { registry } });
  open.push(h);
  const page = h.mod.service.list({ limit: 10 });
  expect(page.items.map((o) => o.state)).toEqual(['interrupted', 'interrupted']);
  expect(new Set(page.items.map((o) => o.id))).toEqual(new Set(blocked));
  const byServer = new Map(page.items.map((o) => [o.serverId, o]));
  const one = h.mod.service.get(byServer.get('srv-1')!.id);
  expect(one.steps.map((s) => s.state)).toEqual(['succeeded', 'interrupted', 'pending']);
  expect(one.steps[0]!.commands.map((c) => c.command)).toEqual([`write ${path.join(work, 'srv-1.a')}`]);
  expect(one.progress).toBeCloseTo(1 / 3);

  await h.mod.service.retry(one.id);
  const retried = await h.mod.service.wait(one.id);
  expect(retried.state).toBe('succeeded');
  expect(retried.steps.map((s) => s.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);

  const two = byServer.get('srv-2')!;
  await h.mod.service.rollback(two.id);
  const undone = await h.mod.service.wait(two.id);
  expect(undone.state).toBe('rolled_back');
  expect(undone.steps.map((s) => s.state)).toEqual(['rolled_back', 'interrupted', 'pending']);
  expect(fs.readdirSync(work).sort()).toEqual(['srv-1.a', 'srv-1.b']);
});
