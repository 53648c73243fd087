import { describe, expect, it } from 'vitest';
import { GHOSTCP_KINDS, readGhostCpError } from '../../../src/main/drivers/ghostcp';
import { kindOf, rowOf } from '../../../src/main/drivers/ghostcp/ghostcp-kinds';
import { domain, recordValue, secretValue, username } from '../../../src/main/drivers/ghostcp/ghostcp-values';
import { PanelResourceKind } from '../../../src/shared/contract/panels.contract';
import type { AppError } from '../../../src/shared/errors';

const res = (status: number, body: unknown) => ({ status, body, headers: {}, request: 'POST /api/v1/users' });

function thrown(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    return e as AppError;
  }
  throw new Error('expected a failure');
}

describe('GhostCP error envelope', () => {
  it('reads the documented envelope: message, 422 field map, other details kept', () => {
    expect(
      readGhostCpError(res(422, { error: 'Validation failed', status: 422, details: { username: 'Taken' } })),
    ).toEqual({
      message: 'Validation failed',
      fields: [{ field: 'username', message: 'Taken' }],
    });
    expect(
      readGhostCpError(res(404, { error: 'Resource not found', status: 404, details: { resource: 'user', id: 'x' } })),
    ).toEqual({
      message: 'Resource not found',
      details: { panelDetails: { resource: 'user', id: 'x' } },
    });
  });

  it("reads the public code's envelope without details, and gives up on bare statuses and HTML", () => {
    expect(readGhostCpError(res(422, { error: 'Username or email already exists', status: 422 }))).toEqual({
      message: 'Username or email already exists',
      fields: [],
    });
    expect(readGhostCpError(res(401, null))).toBeNull();
    expect(readGhostCpError(res(429, '<html><body>429 Too Many Requests</body></html>'))).toBeNull();
  });
});

describe('GhostCP values and kinds', () => {
  it('checks names before sending: domains, user names, record values, secrets', () => {
    expect(domain('Bücher.example', 'domain')).toBe('xn--bcher-kva.example');
    expect(thrown(() => domain('a..b.com', 'domain')).details?.['field']).toBe('domain');
    expect(username('ops_1', 'username')).toBe('ops_1');
    expect(thrown(() => username(' ops', 'username')).code).toBe('VALIDATION');
    expect(thrown(() => username('root', 'username')).message).toMatch(/Nothing was sent to GhostCP\.$/);
    expect(recordValue('A', '192.0.2.1', 'value')).toBe('192.0.2.1');
    expect(thrown(() => recordValue('AAAA', '192.0.2.1', 'value')).message).toMatch(/^Not an IPv6 address\./);
    expect(thrown(() => recordValue('TXT', 'v=spf1\n-all', 'value')).code).toBe('VALIDATION');
    expect(thrown(() => secretValue('pass\u0000word', 'password')).code).toBe('VALIDATION');
  });

  it('every kind fits the contract; child kinds take their parent; secret-looking cells are never shown', () => {
    for (const k of GHOSTCP_KINDS) expect(PanelResourceKind.parse(k.info)).toEqual(k.info);
    expect(kindOf('dns-records@zone-1').parent).toBe('zone-1');
    expect(thrown(() => kindOf('users@x')).code).toBe('VALIDATION');
    expect(thrown(() => kindOf('dns-records@$(id)')).code).toBe('VALIDATION');
    const backups = kindOf('backups').spec;
    const row = rowOf(
      backups,
      {
        id: 'b1',
        name: 'Nightly',
        backend_config: { bucket: 'b', region: 'eu', secret_key: 'S3CRET' },
        repository_password: 'P',
      },
      null,
    );
    expect(row).toEqual({
      id: 'b1',
      cells: expect.objectContaining({ name: 'Nightly', bucket: 'b', region: 'eu' }) as object,
    });
    expect(JSON.stringify(row)).not.toMatch(/S3CRET|"P"/);
  });
});
