import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { procStartTime, stopPid } from './proc';

/** A private ssh-agent started by {@link startSshAgent}. */
export interface SshAgentPeer {
  /** Socket path: what SSH_AUTH_SOCK would be. */
  readonly socket: string;
  readonly pid: number;
  /** Adds a private key file to the agent (ssh-add). */
  add(keyPath: string): Promise<void>;
  /** Stops the agent by PID (start time checked) and removes its directory. */
  stop(): Promise<void>;
}

/** Runs a command with SSH_AUTH_SOCK set; rejects with stderr on failure. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd} exited ${code}: ${Buffer.concat(err).toString()}`)),
    );
  });
}

/**
 * Starts `ssh-agent -D -a SOCK` in a temp dir and resolves when it announces its socket on stdout (an event, not a
 * sleep). The agent runs in the foreground as our child; stop() signals it by PID only.
 */
export async function startSshAgent(): Promise<SshAgentPeer> {
  const dir = await mkdtemp(join(tmpdir(), 'paneldeck-agent-'));
  const socket = join(dir, 'agent.sock');
  const child = spawn('ssh-agent', ['-D', '-a', socket], { stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not start ssh-agent');
  const startTime = procStartTime(pid) ?? '';
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('SSH_AUTH_SOCK')) resolve();
    });
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`ssh-agent exited ${code} before it was ready`)));
  });
  child.stdout.resume();
  child.stderr.resume();
  return {
    socket,
    pid,
    add: (keyPath) => run('ssh-add', ['-q', keyPath], { ...process.env, SSH_AUTH_SOCK: socket }),
    stop: async () => {
      await stopPid(pid, startTime, 2_000);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
