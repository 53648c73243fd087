import { describe, expect, it } from 'vitest';
import { connectCause, unreachableHop } from '../../../src/main/ssh/connect-failure';
import type { SshTarget } from '../../../src/main/ssh/ssh.types';

const target = (host: string, port: number): SshTarget => ({
  id: host,
  host,
  port,
  user: 'tester',
  auth: 'password',
  jump: [],
});

describe('connect failures say which hop and why (issue 8 #4)', () => {
  it('classifies socket codes and the texts a jump host sshd sends', () => {
    expect(connectCause('ECONNREFUSED')).toBe('refused');
    expect(connectCause('(SSH) Channel open failure: Connection refused')).toBe('refused');
    expect(connectCause('ETIMEDOUT')).toBe('timeout');
    expect(connectCause('EHOSTUNREACH')).toBe('unreachable');
    expect(connectCause('ENETUNREACH')).toBe('unreachable');
    expect(connectCause('No route to host')).toBe('unreachable');
    expect(connectCause('ENOTFOUND')).toBe('dns');
    expect(connectCause('Connection lost before handshake')).toBe('closed');
    expect(connectCause('something else')).toBe('other');
  });

  it('names the hop, the cause and the jump host in words and in details', () => {
    const e = unreachableHop(target('10.0.0.9', 22), 'unreachable', target('bastion.example.com', 2222));
    expect(e.code).toBe('CONNECTION_FAILED');
    expect(e.message).toBe(
      'Cannot connect to tester@10.0.0.9:22 through tester@bastion.example.com:2222: no route to host (the network cannot reach it).',
    );
    expect(e.details).toEqual({
      hop: 'tester@10.0.0.9:22',
      cause: 'unreachable',
      via: 'tester@bastion.example.com:2222',
    });
    expect(unreachableHop(target('a.example.com', 22), 'timeout').code).toBe('TIMEOUT');
  });
});
