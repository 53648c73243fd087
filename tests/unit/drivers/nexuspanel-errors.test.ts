import { describe, expect, it } from 'vitest';
import { envelopeFailure, readNexusError, withAppCode } from '../../../src/main/drivers/nexuspanel/nexuspanel-errors';
import { parseProcessSearch } from '../../../src/main/drivers/nexuspanel/nexuspanel-resources';
import { ruleBody, serverBody, userBody } from '../../../src/main/drivers/nexuspanel/nexuspanel-values';
import { AppError } from '../../../src/shared/errors';

const res = (status: number, body: unknown) => ({ status, body, headers: {}, request: 'POST /api/v1/servers' });

describe('NexusPanel error envelope', () => {
  it('reads {code, message, details}: the code kept, a details sentence appended, a field list as fields', () => {
    expect(
      readNexusError(
        res(401, { code: 40001, message: 'Invalid credentials', details: 'Username or password is incorrect' }),
      ),
    ).toEqual({
      message: 'Invalid credentials (Username or password is incorrect)',
      panelCode: '40001',
      fields: [],
    });
    expect(
      readNexusError(
        res(422, {
          code: 42201,
          message: 'Validation error',
          details: { fields: [{ field: 'host', message: 'bad' }] },
        }),
      ),
    ).toEqual({ message: 'Validation error', panelCode: '42201', fields: [{ field: 'host', message: 'bad' }] });
    expect(readNexusError(res(502, '<html>bad gateway</html>'))).toBeNull();
  });

  it('a failure code inside a 2xx answer is a typed error; a success code is not', () => {
    const e = envelopeFailure({ code: 40401, message: 'Server not found' }, 'GET /api/v1/servers/9');
    expect([e?.code, e?.message, e?.details?.['panelCode']]).toEqual([
      'NOT_FOUND',
      'NexusPanel: Server not found',
      '40401',
    ]);
    expect(envelopeFailure({ code: 200, message: 'Success', data: {} }, 'GET /')).toBeNull();
    expect(envelopeFailure({ code: 201, message: 'Created' }, 'POST /')).toBeNull();
  });

  it('the application code wins over the HTTP status where it is more precise', () => {
    const e = withAppCode(
      new AppError('VALIDATION', 'NexusPanel: Invalid credentials', { status: 400, panelCode: '40001' }),
    );
    expect((e as AppError).code).toBe('AUTH_FAILED');
    const same = new AppError('NOT_FOUND', 'x', { status: 404, panelCode: '40401' });
    expect(withAppCode(same)).toBe(same);
  });
});

describe('NexusPanel values are checked before sending', () => {
  it('accepts a plain server and defaults port and user', () => {
    expect(serverBody({ name: 'Web 01', host: 'web01.example.com' })).toEqual({
      name: 'Web 01',
      host: 'web01.example.com',
      port: 22,
      ssh_user: 'root',
    });
  });

  it.each([
    [{ name: 'a;touch x', host: '10.0.0.1' }, 'name'],
    [{ name: 'ok', host: '$(id)' }, 'host'],
    [{ name: 'ok', host: '10.0.0.1', sshUser: 'root;id' }, 'sshUser'],
    [{ name: 'ok', host: '10.0.0.1', port: 70000 }, 'port'],
  ])('refuses %j (field %s)', (values, field) => {
    expect(() => serverBody(values)).toThrowError(expect.objectContaining({ code: 'VALIDATION', details: { field } }));
  });

  it('keeps a new user password apart (to register it as a secret) and checks rule enums', () => {
    const u = userBody({ username: 'ops', email: 'o@example.com', password: 'long-password' });
    expect(u.password).toBe('long-password');
    expect(() => ruleBody({ name: 'r', metric: 'temperature', threshold: 1 })).toThrowError(
      expect.objectContaining({ details: { field: 'metric' } }),
    );
  });

  it('reads the processes search box: server:<id>, sort:<key>, words', () => {
    expect(parseProcessSearch('server:12 sort:memory Nginx')).toEqual({
      serverId: '12',
      sort: 'memory',
      words: ['nginx'],
    });
    expect(() => parseProcessSearch('server:../1')).toThrowError(expect.objectContaining({ code: 'VALIDATION' }));
  });
});
