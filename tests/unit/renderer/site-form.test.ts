import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/shared/errors';
import { SiteCreate } from '../../../src/shared/contract/sites.contract';
import {
  aliasList,
  checkField,
  checkForm,
  coreFieldErrors,
  createInput,
  type SiteForm,
} from '../../../src/renderer/features/sites/site-form';

const FORM: SiteForm = {
  serverId: 'srv-1',
  kind: 'static',
  domain: 'example.com',
  aliases: '',
  phpVersion: '',
  upstream: '',
  root: '',
  systemUser: '',
};

describe('the create-site form', () => {
  it('says what is wrong as you type, with the contract schemas own messages', () => {
    expect(checkField({ ...FORM, domain: 'test..com' }, 'domain')).toBe(
      'A domain cannot have an empty label (two dots).',
    );
    expect(checkField({ ...FORM, aliases: 'www.example.com bad_name.com' }, 'aliases')).toMatch(/^bad_name\.com: /);
    expect(checkField({ ...FORM, root: '/etc/nginx' }, 'root')).toBe('That is a system directory.');
    expect(checkField({ ...FORM, systemUser: 'root' }, 'systemUser')).toBe('That user is a system account.');
    expect(checkField({ ...FORM, kind: 'proxy', upstream: '70000' }, 'upstream')).toBe('A port is 1 to 65535.');
    expect(checkField({ ...FORM, kind: 'proxy', upstream: 'ftp://x' }, 'upstream')).toMatch(/http:\/\//);
    expect(checkField({ ...FORM, kind: 'php', phpVersion: '8' }, 'phpVersion')).toBe('A PHP version looks like 8.2.');
    expect(checkField({ ...FORM, serverId: '' }, 'serverId')).toBe('Choose a server.');
  });

  it('leaves optional fields empty for the core to default, and checks only the touched fields', () => {
    expect(checkForm(FORM)).toEqual({});
    expect(checkForm({ ...FORM, domain: '', root: 'relative' }, new Set(['root']))).toEqual({
      root: 'Use an absolute path (starting with /).',
    });
  });

  it('builds an input the contract accepts: a port becomes a number, aliases a list', () => {
    expect(aliasList(' a.example.com, b.example.com  ')).toEqual(['a.example.com', 'b.example.com']);
    const proxy = createInput({ ...FORM, kind: 'proxy', upstream: '3000', aliases: 'www.example.com' }, true);
    expect(proxy).toMatchObject({ kind: 'proxy', upstream: 3000, aliases: ['www.example.com'], dryRun: true });
    const parsed = SiteCreate.parse({ ...proxy, serverId: '00000000-0000-4000-8000-000000000000' });
    expect(parsed).toMatchObject({ upstream: 'http://127.0.0.1:3000' });
    expect(createInput({ ...FORM, kind: 'php' }, false)).not.toHaveProperty('phpVersion');
  });

  it("puts the core's VALIDATION answers against their fields", () => {
    const schema = new AppError('VALIDATION', 'Invalid input', {
      issues: [{ path: 'aliases.1', message: 'A domain is required.' }],
    });
    expect(coreFieldErrors(schema)).toEqual({ aliases: 'A domain is required.' });
    const service = new AppError('VALIDATION', 'PHP 7.4 is not installed here; choose one of 8.2.', {
      field: 'phpVersion',
    });
    expect(coreFieldErrors(service)).toEqual({ phpVersion: 'PHP 7.4 is not installed here; choose one of 8.2.' });
    const conflict = new AppError('CONFLICT', 'example.com is already served by /etc/nginx/sites-available/x.');
    expect(coreFieldErrors(conflict)).toEqual({ _: 'example.com is already served by /etc/nginx/sites-available/x.' });
  });
});
