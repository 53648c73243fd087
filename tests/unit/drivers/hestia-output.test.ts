import { describe, expect, it } from 'vitest';
import { hestiaShortName } from '../../../src/main/drivers/hestia/databases.capability';
import { hestiaErrorCode, hestiaJson, hestiaOutcome } from '../../../src/main/drivers/hestia/hestia-output';
import { AppError } from '../../../src/shared/errors';

function failure(f: () => unknown): AppError {
  try {
    f();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

describe('Hestia v-* results', () => {
  it('maps exit codes to typed errors', () => {
    expect(hestiaErrorCode(1)).toBe('VALIDATION');
    expect(hestiaErrorCode(2)).toBe('VALIDATION');
    expect(hestiaErrorCode(3)).toBe('NOT_FOUND');
    expect(hestiaErrorCode(4)).toBe('CONFLICT');
    expect(hestiaErrorCode(7)).toBe('IN_USE');
    expect(hestiaErrorCode(15)).toBe('CONNECTION_FAILED');
    expect(hestiaErrorCode(99)).toBe('INTERNAL');
    expect(hestiaErrorCode(null)).toBe('INTERNAL');
  });

  it("carries Hestia's Error line and exit name", () => {
    const e = failure(() =>
      hestiaOutcome(
        { code: 4, stdout: 'Error: web domain a.example.com exists\n', stderr: '' },
        'Adding a.example.com',
      ),
    );
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('Adding a.example.com failed: web domain a.example.com exists');
    expect(e.details).toEqual({ exitCode: 4, hestia: 'E_EXISTS' });
  });

  it('says Hestia is missing on exit 127', () => {
    expect(failure(() => hestiaOutcome({ code: 127, stdout: '', stderr: 'not found' }, 'Listing')).code).toBe(
      'UNSUPPORTED',
    );
  });

  it('parses json lists, empty output as {}, and refuses non-objects', () => {
    expect(hestiaJson('{"a.example.com": {"SSL": "no"}}', 'x')).toEqual({ 'a.example.com': { SSL: 'no' } });
    expect(hestiaJson('  \n', 'x')).toEqual({});
    expect(failure(() => hestiaJson('[1]', 'x')).code).toBe('INTERNAL');
    expect(failure(() => hestiaJson('Error: nope', 'x')).code).toBe('INTERNAL');
  });

  it('strips the account prefix Hestia adds, once', () => {
    expect(hestiaShortName('admin', 'admin_shop')).toBe('shop');
    expect(hestiaShortName('admin', 'shop')).toBe('shop');
    expect(hestiaShortName('admin', 'administrator')).toBe('administrator');
  });
});
