import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { clpctlOutcome, symfonyErrorText } from '../../../src/main/drivers/cloudpanel-cli/clpctl-output';
import { clpSiteUser } from '../../../src/main/drivers/cloudpanel-cli/sites.capability';
import { withStdinPassword } from '../../../src/main/drivers/panel-cli-steps';
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

const BLOCK =
  '\n                                 \n  Site "x.example.com" does not exist.  \n                                 \n\n';

describe('clpctl output (Symfony console text)', () => {
  it('returns the success message of exit 0', () => {
    expect(clpctlOutcome({ code: 0, stdout: 'Site "a.example.com" has been created.\n', stderr: '' }, 'Creating')).toBe(
      'Site "a.example.com" has been created.',
    );
  });

  it('treats a validation line with exit 0 as a failure: "already exists" is CONFLICT', () => {
    const e = failure(() =>
      clpctlOutcome(
        { code: 0, stdout: 'domainName: This value already exists.\n', stderr: '' },
        'Creating a.example.com',
      ),
    );
    expect(e.code).toBe('CONFLICT');
    expect(e.message).toBe('Creating a.example.com: CloudPanel says domainName: This value already exists.');
    expect(e.details).toMatchObject({ field: 'domainName', exitCode: 0 });
  });

  it('treats other validation lines as VALIDATION', () => {
    const e = failure(() =>
      clpctlOutcome({ code: 0, stdout: 'siteUser: This value should not be blank.\n', stderr: '' }, 'Creating'),
    );
    expect(e.code).toBe('VALIDATION');
    expect(e.details).toMatchObject({ field: 'siteUser' });
  });

  it('reads the error block of exit 1: "does not exist" is NOT_FOUND, anything else INTERNAL', () => {
    const e = failure(() => clpctlOutcome({ code: 1, stdout: '', stderr: BLOCK }, 'Deleting'));
    expect(e.code).toBe('NOT_FOUND');
    expect(e.message).toBe('Deleting failed: Site "x.example.com" does not exist.');
    const other = failure(() =>
      clpctlOutcome(
        { code: 1, stdout: '', stderr: '\nIn SiteAddCommand.php line 42:\n\n  [ERROR] Boom.  \n\n' },
        'Adding',
      ),
    );
    expect(other.code).toBe('INTERNAL');
    expect(other.message).toBe('Adding failed: Boom.');
  });

  it('strips the padding and the file header of an error block', () => {
    expect(symfonyErrorText('\nIn X.php line 3:\n   \n  Nope.  \n')).toBe('Nope.');
  });

  it('derives a CloudPanel site user from a domain', () => {
    expect(clpSiteUser('shop.example.com')).toBe('shop-example-com');
    expect(clpSiteUser('1shop.example.com')).toBe('sshop-example-com');
    expect(clpSiteUser('a-very-long-subdomain-name.of-some.example.com').length).toBeLessThanOrEqual(32);
  });
});

describe('withStdinPassword (the password goes on stdin, never in the argv PanelDeck sends)', () => {
  it('puts the password read from stdin into the CLI argv at its place, the rest as positional arguments', () => {
    const argv = withStdinPassword(['printf', '%s|', 'a b', { passwordPrefix: '--pw=' }, "it's"]);
    expect(argv.join(' ')).not.toContain('s3cret');
    const out = execFileSync(argv[0] ?? '', argv.slice(1), { input: 's3cret $(id)\n' }).toString();
    expect(out).toBe("a b|--pw=s3cret $(id)|it's|");
  });

  it('refuses a prefix that is not a fixed option name', () => {
    expect(() => withStdinPassword(['x', { passwordPrefix: '$(id)' }])).toThrow();
  });
});
