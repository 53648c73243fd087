import { expect } from 'vitest';
import { createCore } from '../../../src/main/core/create-core';
import { MIN_KDF } from '../../../src/main/vault/crypto';
import type { Input, MethodName, Output, Payload } from '../../../src/shared/contract';
import type { ServerExecResult, ServerHost } from './server-host';
import { coreHarness, type CoreHarness } from '../../support/core-harness';

/**
 * Helpers of the databases integration tests: a core managing the whole-server peer, operations applied while a
 * sampler watches every process's argv and environment on the server, and logins as a database user from inside
 * the server (credentials in 0600 files, never argv).
 */

/** An operation as operations.get returns it. */
export type Op = Payload<'operations.changed'>;
export type Engine = 'mariadb' | 'postgresql';
export const FINAL = new Set(['succeeded', 'failed', 'rolled_back', 'cancelled', 'interrupted']);
/** A file no command may ever create: every hostile password and name in the tests tries to. */
export const CANARY = '/tmp/pd-db-canary';

/** A core with a vault and the whole-server peer added as root by key; `trust` answers its host-key prompt. */
export async function managerCore(server: ServerHost, trust = true): Promise<{ h: CoreHarness; serverId: string }> {
  const h = await coreHarness({ ssh: { idleGraceMs: 60_000 } });
  if (trust) trustHostKeys(h);
  const cred = await h.call('credentials.create', {
    name: 'root key',
    kind: 'ssh-key',
    secret: server.rootKey,
    passphrase: null,
  });
  const s = await h.call('servers.create', {
    name: 'db-1',
    host: server.address,
    port: server.sshPort,
    user: 'root',
    auth: 'key',
    credentialId: cred.id,
    jumpHostIds: [],
  });
  return { h, serverId: s.id };
}

export function trustHostKeys(h: CoreHarness): void {
  h.core.events.subscribe((name, payload) => {
    if (name !== 'ssh.hostKey.prompt') return;
    const p = payload as Payload<'ssh.hostKey.prompt'>;
    queueMicrotask(() => void h.call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
  });
}

/** Waits for the operation to end and returns it with its steps and commands (operations.get). */
export async function settled(h: CoreHarness, operationId: string): Promise<Op> {
  await h.waitFor('operations.changed', (p) => p.id === operationId && FINAL.has(p.state), { timeoutMs: 60_000 });
  return h.call('operations.get', { id: operationId });
}

/**
 * Applies a planned change while a sampler reads every /proc/PID/cmdline and environ on the server; returns the
 * finished operation and everything the sampler saw (it has completed a round after the operation ended).
 */
export async function appliedWatched(
  server: ServerHost,
  h: CoreHarness,
  planned: Output<'databases.create'>,
): Promise<{ op: Op; seen: string[] }> {
  const sampler = await server.startProcSampler(undefined, { traceExec: true });
  try {
    const { operationId } = await h.call('plans.apply', { planId: planned.plan.planId });
    const op = await settled(h, operationId);
    await sampler.sync();
    const seen = (await sampler.stop()).strings;
    return { op, seen };
  } catch (e) {
    await sampler.stop();
    throw e;
  }
}

/** The login check's client, seen with the path of its secret file: the sampler watched while it ran. */
export function expectSawLoginCheck(seen: readonly string[]): void {
  expect(seen.some((x) => /(--defaults-file=|^PGPASSFILE=)\/tmp\/tmp\.\w+\/c\b/.test(x))).toBe(true);
}

/** No sampled argv or environment entry contains any of `secrets`. */
export function expectNoSecret(seen: readonly string[], secrets: readonly string[]): void {
  for (const s of secrets) expect(seen.filter((x) => x.includes(s))).toEqual([]);
}

/** Connects as a database user from inside the server (credentials in a 0600 file) and runs `sql`. */
export async function runAs(
  server: ServerHost,
  engine: Engine,
  user: string,
  password: string,
  db: string,
  sql: string,
): Promise<ServerExecResult> {
  if (engine === 'mariadb') {
    await server.execOk(['sh', '-c', 'umask 077 && cat > /root/pd-test.cnf'], {
      input: `[client]\nuser=${user}\npassword="${password}"\n`,
    });
    return server.exec(['mariadb', '--defaults-file=/root/pd-test.cnf', '--batch', '--skip-column-names', db], {
      input: sql,
    });
  }
  const esc = (s: string) => s.replace(/[\\:]/g, '\\$&');
  await server.execOk(['sh', '-c', 'umask 077 && cat > /root/pd-test.pgpass'], {
    input: `localhost:*:*:${esc(user)}:${esc(password)}\n`,
  });
  return server.exec(
    [
      'env',
      'PGPASSFILE=/root/pd-test.pgpass',
      'psql',
      '-X',
      '-q',
      '-A',
      '-t',
      '-w',
      '-v',
      'ON_ERROR_STOP=1',
      '-h',
      'localhost',
      '-U',
      user,
      '-d',
      db,
    ],
    { input: sql },
  );
}

/** A second core on an existing data dir (the app after a restart), its vault unlocked. */
export async function reopen(dataDir: string) {
  const core = createCore({
    dataDir,
    strict: true,
    kdf: MIN_KDF,
    logSink: () => undefined,
    keychain: { get: () => Promise.resolve(null), set: () => Promise.resolve(), delete: () => Promise.resolve(false) },
    ssh: { idleGraceMs: 60_000, readyTimeoutMs: 10_000, keepaliveIntervalMs: 0 },
  });
  const ctx = { transport: 'in-process' as const };
  const call = async <M extends MethodName>(method: M, input: Input<M>): Promise<Output<M>> => {
    const r = await core.dispatcher.call(method, input, ctx);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as Output<M>;
  };
  const ended = new Map<string, () => void>();
  core.events.subscribe((name, payload) => {
    if (name === 'ssh.hostKey.prompt') {
      const p = payload as Payload<'ssh.hostKey.prompt'>;
      queueMicrotask(() => void call('ssh.hostKey.answer', { promptId: p.promptId, trust: true }));
    }
    if (name === 'operations.changed') {
      const p = payload as Op;
      if (FINAL.has(p.state)) ended.get(p.id)?.();
    }
  });
  await call('vault.unlock', { password: 'correct horse battery staple' });
  return {
    call,
    settled: async (id: string): Promise<Op> => {
      const done = new Promise<void>((r) => ended.set(id, r));
      if (!FINAL.has((await call('operations.get', { id })).state)) await done;
      return call('operations.get', { id });
    },
    close: () => core.close(),
  };
}
